from django import template

register = template.Library()


@register.filter
def shared_source(items):
    """The one source that every item of a list of several cites, to cite once under the
    list; None if they differ (or for a single item, cited beside it)."""
    sources = {item.source_id for item in items}
    return items[0].source if len(items) > 1 and len(sources) == 1 else None
