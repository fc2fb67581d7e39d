"""Publishing: changes to a live page wait for a Publisher, then go live in one step.

A change an Editor makes to a published route is kept as a *pending change*: the whole
route with its parts as a snapshot in the fixture format (natural keys, no row ids). The
admin applies it inside a transaction that it rolls back, to show the form, a preview or
the differences; publishing applies it for good. See docs/editing.md.
"""

import json
from collections import defaultdict
from dataclasses import dataclass

import reversion
from django.apps import apps
from django.core import serializers
from django.db import transaction
from django.utils import timezone

from .models import ChangeNote, PendingChange, Route, RouteStatus
from .models.base import DERIVED_FIELDS

PART_RELATIONS = Route.PART_RELATIONS

# Not content: publication state and what the site derives or records by itself.
NOT_CONTENT = DERIVED_FIELDS | {"status", "first_published_at"}


def part_models():
    return {name: getattr(Route, name).rel.related_model for name in PART_RELATIONS}


def route_snapshot(route):
    """The route and its parts as fixture objects (dicts) with natural keys."""
    parts = [part for name in PART_RELATIONS for part in getattr(route, name).all()]
    text = serializers.serialize(
        "json", [route, *parts], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    return json.loads(text)


def apply_snapshot(route, snapshot):
    """Make the database hold `snapshot` as the content of `route`.

    Publication state stays as it is; parts that the snapshot lacks are deleted; a new
    address keeps the old one as an alias.
    """
    route_data, *parts_data = snapshot
    previous_address = (route.jurisdiction_id, route.slug)
    (saved_route,) = serializers.deserialize("python", [route_data])
    saved_route.object.pk = route.pk
    saved_route.object.status = route.status
    saved_route.object.first_published_at = route.first_published_at
    saved_route.save()
    kept = defaultdict(set)
    for part in serializers.deserialize("python", parts_data):
        part.save()
        kept[type(part.object)].add(part.object.key)
    for model in part_models().values():
        model.objects.filter(route=route).exclude(key__in=kept[model]).delete()
    route.refresh_from_db()
    if (route.jurisdiction_id, route.slug) != previous_address:
        route._move_address(previous_address)
    route.refresh_derived()


@dataclass(frozen=True)
class Difference:
    item: str
    field: str
    before: str
    after: str


def describe(data):
    name = apps.get_model(data["model"])._meta.verbose_name
    key = data["fields"].get("key")
    return f"{name} “{key}”" if key else str(name)


def snapshot_differences(before, after):
    """What differs, field by field, between two snapshots of one route."""

    def index(snapshot):
        return {
            (data["model"], data["fields"].get("key")): data for data in snapshot
        }  # the route has no key: (model, None)

    old, new = index(before), index(after)
    differences = []
    for identity in sorted(old.keys() | new.keys(), key=lambda item: (item[0], item[1] or "")):
        old_fields = old[identity]["fields"] if identity in old else {}
        new_fields = new[identity]["fields"] if identity in new else {}
        label = describe(old.get(identity) or new[identity])
        for name in sorted((old_fields.keys() | new_fields.keys()) - NOT_CONTENT - {"key"}):
            if old_fields.get(name) != new_fields.get(name):
                differences.append(
                    Difference(
                        label,
                        name.replace("_", " "),
                        shown(old_fields.get(name)),
                        shown(new_fields.get(name)),
                    )
                )
    return differences


def shown(value):
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join("/".join(map(str, item)) if isinstance(item, list) else str(item)
                         for item in value)  # fmt: skip
    return str(value)


def save_pending_change(route, snapshot, user):
    """Keep `snapshot` as the route's pending change (one per route: the newest wins, and an
    Editor always edits on top of the pending change, so nothing is lost)."""
    pending, created = PendingChange.objects.get_or_create(
        route=route, defaults={"content": snapshot, "created_by": user, "updated_by": user}
    )
    if not created:
        pending.content = snapshot
        pending.updated_by = user
        pending.updated_at = timezone.now()
        pending.save()
    return pending


def apply_pending_change(route):
    pending = PendingChange.objects.filter(route=route).first()
    if pending:
        apply_snapshot(route, pending.content)
    return pending


def publish(route, user, note=""):
    """Publish a draft, or a published route's pending change, with an optional note.

    The first publication always gets the note "First published."; later ones get a note
    only when the Publisher writes one (a minor fix needs none).
    """
    with transaction.atomic(), reversion.create_revision():
        pending = apply_pending_change(route)
        route.refresh_from_db()
        first_publication = route.first_published_at is None
        now = timezone.now()
        route.status = RouteStatus.PUBLISHED
        route.first_published_at = route.first_published_at or now
        route.save()
        note = note.strip() or ("First published." if first_publication else "")
        if note:
            ChangeNote.objects.create(route=route, note=note, published_at=now, created_by=user)
        if pending:
            pending.delete()
        reversion.set_user(user)
        reversion.set_comment(f"Published. {note}".strip())
        reversion.add_to_revision(route)


def unpublish(route, user):
    with transaction.atomic(), reversion.create_revision():
        route.status = RouteStatus.DRAFT
        route.save()
        reversion.set_user(user)
        reversion.set_comment("Unpublished.")
        reversion.add_to_revision(route)


def mark_reviewed(route, user, today=None):
    with transaction.atomic(), reversion.create_revision():
        route.last_reviewed = today or timezone.localdate()
        route.save()
        reversion.set_user(user)
        reversion.set_comment(f"Marked reviewed on {route.last_reviewed:%-d %B %Y}.")
        reversion.add_to_revision(route)
