"""A route page built from content that is not live (a waiting change), for staff previews.

The route and its parts are unsaved objects made from the content; the page reads their
related rows (sources, countries, professions) from the database as usual. Nothing is
written, so a preview can never leak into the live page.
"""

from .models import Country, Jurisdiction, Profession, Route
from .models.base import prefetched
from .workflow import part_models, set_fields


def route_for_preview(route, content):
    """`route` (saved) as `content` would make it: an unsaved copy with its parts."""
    shown = Route.objects.page(pk=route.pk)
    many_to_many = set_fields(shown, content["route"], strict=False)
    many_to_many_models = {
        "related_routes": Route.objects.published().for_listing(),
        "professions": Profession.objects.all(),
        "explored_by": Country.objects.all(),
        "compare_with": Jurisdiction.objects.all(),
    }
    for name, queryset in many_to_many_models.items():
        if name in many_to_many:
            prefetched(shown, name, queryset.filter(pk__in=many_to_many[name]))
    for relation, model in part_models().items():
        parts = []
        for number, (key, fields) in enumerate(content["parts"].get(relation, {}).items(), 1):
            # An id no row has: Django reads a many-to-many (prefetched below) only on a row
            # with an id, and this part is never saved.
            part = model(route=shown, key=key, pk=-number)
            part_many_to_many = set_fields(part, fields, strict=False)
            if names_a_deleted_row(part):
                continue  # publishing refuses it and says why
            if "excluded_nationalities" in part_many_to_many:
                countries = Country.objects.filter(
                    pk__in=part_many_to_many["excluded_nationalities"]
                )
                prefetched(part, "excluded_nationalities", countries)
            if hasattr(part, "render_markdown_fields"):
                part.render_markdown_fields()
            parts.append(part)
        parts.sort(key=lambda part: (part.position, part.key))
        prefetched(shown, relation, parts)
    shown.render_markdown_fields()
    return shown


def names_a_deleted_row(part):
    return any(
        getattr(part, field.attname) is None
        for field in part._meta.concrete_fields
        if field.is_relation and not field.null
    )
