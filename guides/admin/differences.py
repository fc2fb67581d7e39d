"""What a waiting change alters, for people: whole texts with the changed words marked."""

import re
from difflib import SequenceMatcher

from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from ..models import Route
from ..workflow import part_models

# A word with the spaces before it: a run of changed words is marked as one.
WORDS = re.compile(r"\s*\S+|\s+")


def marked(where, before, after):
    """(before, after), the values of the content at `where`, as HTML: the words only
    `before` has in <del>, only `after` in <ins>."""
    before, after = in_words(where, before), in_words(where, after)
    if isinstance(before, dict) or isinstance(after, dict):
        return marked_fields(before or {}, after or {})
    old, new = WORDS.findall(as_text(before)), WORDS.findall(as_text(after))
    old_html, new_html = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        old_part, new_part = escape("".join(old[i1:i2])), escape("".join(new[j1:j2]))
        if tag == "equal":
            old_html.append(old_part)
            new_html.append(new_part)
            continue
        if old_part:
            old_html.append(f"<del>{old_part}</del>")
        if new_part:
            new_html.append(f"<ins>{new_part}</ins>")
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))


def marked_fields(before, after):
    """A part's fields, one line each, each marked as `marked` does."""
    rows = [
        (name.replace("_", " "), *marked((), before.get(name), after.get(name)))
        for name in {**before, **after}
        if name != "position" or before.get(name) != after.get(name)
    ]
    return (
        format_html_join(mark_safe("<br>"), "{}: {}", ((name, old) for name, old, _ in rows)),
        format_html_join(mark_safe("<br>"), "{}: {}", ((name, new) for name, _, new in rows)),
    )


def in_words(where, value):
    """The content value at `where` ("route", field), ("parts", relation, key) or
    ("parts", relation, key, field) as people read it: a related row by its name, a choice
    by its label. A whole part's fields each so."""
    if not where:
        return value
    model = Route if where[0] == "route" else part_models()[where[1]]
    if isinstance(value, dict):
        return {name: field_in_words(model, name, item) for name, item in value.items()}
    return field_in_words(model, where[-1], value)


def field_in_words(model, name, value):
    field = model._meta.get_field(name)
    if value is None or value == "" or value == []:
        return value
    if field.many_to_many:
        return ", ".join(map(str, field.related_model._default_manager.filter(pk__in=value)))
    if field.many_to_one:
        row = field.related_model._default_manager.filter(pk=value).first()
        return str(row) if row else f"a deleted {field.related_model._meta.verbose_name}"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def as_text(value):
    if value is None or value == "" or value == []:
        return "—"
    return str(value)
