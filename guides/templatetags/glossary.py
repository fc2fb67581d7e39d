from django import template

register = template.Library()


@register.filter
def glossary_links(text, linker):
    """The text with the first use on the page of each glossary term linked to it."""
    return linker.link(text) if linker else text
