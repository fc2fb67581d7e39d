"""How route content is written: one path for every save, publish and restore.

A route's *content* is a plain dict: the route's own fields and, per kind of part, each part
by its stable `key`. Related rows are named by id, so renaming a source, a jurisdiction or a
profession never breaks it; text has LF line breaks, so a browser's CRLF is no change.

    {"route": {"summary": "…", "source": 7, "professions": [3, 9], …},
     "parts": {"criteria": {"age": {"position": 10, "text": "…", "source": 4}, …}, …}}

Every form the admin shows carries the content it was loaded from (its *base*). Saving
compares three contents, as version control does: the base, what the form now holds
(*mine*) and what the target holds now (*theirs*). What only one side changed is kept; what
both changed differently is a conflict, shown to the person saving before anything is
written. The target is the live route, or its waiting change when an Editor changes a
published page:

- a Publisher (or anyone, on a never-published draft) writes to the route itself;
- an Editor's change to a published route is kept as its `PendingChange`, with the live
  content it was based on; publishing merges it into the live route the same way, so a
  newer live correction is never undone, and applies it in one transaction.

Restoring an old version is a form loaded with that version's content over the current
base: it goes through the same path, so an Editor's restore waits for a Publisher too.
"""

import datetime
import decimal
from dataclasses import dataclass

import reversion
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import Truncator

from . import notices
from .models import (
    ChangeNote,
    DraftEvent,
    PendingChange,
    ReviewRequest,
    Route,
    RouteStatus,
    ScheduledPublication,
)
from .models.base import DERIVED_FIELDS
from .models.pages import one_refresh

# Not content: publication state and what the site derives or records by itself.
NOT_CONTENT = DERIVED_FIELDS | {"id", "route", "key", "status", "first_published_at"}
SIGNING_SALT = "guides.workflow.base"


# Content -----------------------------------------------------------------------------------


def part_models():
    """{related name: part model}, in the order the page shows them."""
    return {name: getattr(Route, name).rel.related_model for name in Route.PART_RELATIONS}


def content_fields(model):
    """The fields of `model` that editors write, concrete and many-to-many."""
    return [
        field
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.name not in NOT_CONTENT
    ]


def plain_value(field, value):
    """`value` of `field` as it is stored in content: JSON, comparable, LF line breaks."""
    if field.many_to_many:
        return sorted(item if isinstance(item, int) else item.pk for item in value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, decimal.Decimal):
        return f"{value:.{field.decimal_places}f}"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def fields_of(obj, many_to_many=None):
    """The content of one row. `many_to_many` gives those values where the row cannot (an
    unsaved row from a form); otherwise they are read from the database."""
    values = {}
    for field in content_fields(type(obj)):
        if field.many_to_many:
            if many_to_many is not None:
                value = many_to_many.get(field.name, [])
            else:
                value = getattr(obj, field.name).values_list("pk", flat=True) if obj.pk else []
        else:
            value = getattr(obj, field.attname)
        values[field.name] = plain_value(field, value)
    return values


def route_content(route):
    """The content of `route` as the database holds it now."""
    return {
        "route": fields_of(route),
        "parts": {
            relation: {part.key: fields_of(part) for part in model.objects.filter(route=route)}
            for relation, model in part_models().items()
        },
    }


def changes_wait(route, user):
    """Whether `user`'s changes to `route` wait for a Publisher."""
    return route.is_published and not user.has_perm("guides.publish_route")


def target_content_for(route, user):
    """The content a change by `user` is made on: the route's waiting change for an Editor
    of a published route (or the live content if none waits), else the route itself."""
    pending = (
        PendingChange.objects.filter(route=route).first() if changes_wait(route, user) else None
    )
    return pending.content if pending else route_content(route)


def completed(partial, base):
    """`partial` content (some route fields, some kinds of part) filled in from `base`, so
    that what a form does not hold counts as unchanged."""
    return {
        "route": {**base["route"], **partial["route"]},
        "parts": {**base["parts"], **partial["parts"]},
    }


# Comparing and merging ---------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """Something both sides changed differently: a route field, a part's field, or a part
    one side deleted while the other changed it."""

    where: tuple  # ("route", field), ("parts", relation, key) or (…, key, field)
    label: str
    base: object
    mine: object
    theirs: object

    @property
    def id(self):
        return "/".join(self.where)


def describe(where, *contents):
    """A unit of content as people call it: a field's name, or a part by its own title or
    first words (looked up in `contents`), never by its bare key."""
    if where[0] == "route":
        return Route._meta.get_field(where[1]).verbose_name.capitalize()
    model = part_models()[where[1]]
    label = f"{model._meta.verbose_name.capitalize()} “{part_name(where, contents)}”"
    if len(where) == 4:
        return f"{label}: {model._meta.get_field(where[3]).verbose_name}"
    return label


def part_name(where, contents):
    for content in contents:
        fields = content["parts"].get(where[1], {}).get(where[2])
        for name in ["title", "question", "link_text", "text"] if fields else []:
            if fields.get(name):
                return Truncator(fields[name]).words(8)
    return where[2]


def entries(content):
    """Each unit of content: route fields one by one, parts whole."""
    found = {("route", name): value for name, value in content["route"].items()}
    for relation, parts in content["parts"].items():
        for key, fields in parts.items():
            found[("parts", relation, key)] = fields
    return found


def three_way(where, old, new, now, choices, conflicts, contents=()):
    """The merged value of one unit; a conflict is recorded and settled by `choices`
    (theirs unless the Publisher chose "mine")."""
    if new in (old, now):
        return now
    if now == old:
        return new
    conflict = Conflict(where, describe(where, *contents), old, new, now)
    conflicts.append(conflict)
    return new if choices.get(conflict.id) == "mine" else now


def merge(base, mine, theirs, choices=None):
    """Three-way merge of contents: (merged content, unsettled [Conflict]).

    What only one side changed is taken from it. Route fields merge one by one; a part
    that both sides kept merges field by field; a part one side deleted while the other
    changed it is a conflict of its own. `choices` maps a conflict's id to "mine" or
    "theirs"; an unsettled conflict keeps theirs.
    """
    choices = choices or {}
    conflicts = []
    route = {}
    for name in {**base["route"], **theirs["route"], **mine["route"]}:
        route[name] = three_way(
            ("route", name),
            base["route"].get(name),
            mine["route"].get(name),
            theirs["route"].get(name),
            choices,
            conflicts,
        )
    parts = {}
    for relation in part_models():
        old_parts = base["parts"].get(relation, {})
        my_parts = mine["parts"].get(relation, {})
        their_parts = theirs["parts"].get(relation, {})
        merged = {}
        for key in {**their_parts, **my_parts}:
            old, new, now = old_parts.get(key), my_parts.get(key), their_parts.get(key)
            if old is not None and new is not None and now is not None:
                part = {
                    name: three_way(
                        ("parts", relation, key, name),
                        old.get(name),
                        new.get(name),
                        now.get(name),
                        choices,
                        conflicts,
                        (mine, theirs),
                    )
                    for name in {**old, **now, **new}
                }
            else:
                where = ("parts", relation, key)
                part = three_way(where, old, new, now, choices, conflicts, (mine, theirs))
            if part is not None:
                merged[key] = part
        parts[relation] = merged
    unsettled = [conflict for conflict in conflicts if conflict.id not in choices]
    return {"route": route, "parts": parts}, unsettled


def changed_entries(before, after):
    """[(where, before, after)] for every unit of content that differs."""
    old, new = entries(before), entries(after)
    return [
        (where, old.get(where), new.get(where))
        for where in [*old, *(w for w in new if w not in old)]
        if old.get(where) != new.get(where)
    ]


# The form's base ---------------------------------------------------------------------------


def sign_base(content):
    return signing.dumps(content, salt=SIGNING_SALT, compress=True)


def unsign_base(token):
    """The content a form was loaded from, or None if the token was tampered with."""
    try:
        return signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None


# Writing -----------------------------------------------------------------------------------


class MissingReference(ValidationError):
    """Content names a row (a source, a country …) that no longer exists."""


def set_fields(obj, fields, strict=True):
    """Set `obj`'s concrete fields from content; returns its many-to-many values. A related
    row that no longer exists raises MissingReference, or is left out if not `strict`."""
    many_to_many = {}
    for field in content_fields(type(obj)):
        if field.name not in fields:
            continue
        value = fields[field.name]
        if field.many_to_many:
            existing = set(
                field.related_model._base_manager.filter(pk__in=value).values_list("pk", flat=True)
            )
            if strict and existing != set(value):
                raise MissingReference(f"{field.verbose_name}: an item it names was deleted.")
            many_to_many[field.name] = sorted(existing)
        elif field.is_relation:
            if (
                value is not None
                and not field.related_model._base_manager.filter(pk=value).exists()
            ):
                if strict:
                    raise MissingReference(f"{field.verbose_name}: the item it names was deleted.")
                value = None
            setattr(obj, field.attname, value)
        else:
            setattr(obj, field.attname, field.to_python(value))
    return many_to_many


def apply_content(route, content, user):
    """Make the database hold `content` as the content of `route`: its fields, and its parts
    by key (added, changed, deleted). Publication state stays as it is."""
    with transaction.atomic(), one_refresh():
        previous_address = (route.jurisdiction_id, route.slug)
        many_to_many = set_fields(route, content["route"])
        # Two changes that each kept the rules may break one together (a figure whose
        # source the other removed, a slug another route took): refuse, never crash.
        route.full_clean()
        route.updated_by = user
        route.save()
        for name, value in many_to_many.items():
            getattr(route, name).set(value)
        for relation, model in part_models().items():
            wanted = content["parts"].get(relation, {})
            model.objects.filter(route=route).exclude(key__in=list(wanted)).delete()
            existing = {part.key: part for part in model.objects.filter(route=route)}
            for key, fields in wanted.items():
                if key in existing and fields_of(existing[key]) == fields:
                    continue  # unchanged: no write, no page refresh
                part = existing.get(key) or model(route=route, key=key)
                part_many_to_many = set_fields(part, fields)
                part.full_clean(exclude=["route"], validate_unique=False)
                part.save()
                for name, value in part_many_to_many.items():
                    getattr(part, name).set(value)
        if (route.jurisdiction_id, route.slug) != previous_address:
            route._move_address(previous_address)


def save_content(route, user, content, summary):
    """Write merged content to where a change of `user`'s goes: the route, or its waiting
    change when changes of theirs to this published route wait for a Publisher."""
    if changes_wait(route, user):
        save_pending_change(route, content, user, summary)
        return "waiting"
    with reversion.create_revision():
        apply_content(route, content, user)
        reversion.set_user(user)
        reversion.set_comment(summary)
        reversion.add_to_revision(route)
    return "saved"


def save_pending_change(route, content, user, summary):
    """Keep `content` as the route's waiting change, based on the live content now if the
    change is new; the waiting change's trail records who saved what."""
    with transaction.atomic():
        pending = PendingChange.objects.select_for_update().filter(route=route).first()
        if pending is None:
            pending = PendingChange(route=route, base=route_content(route), created_by=user)
        pending.content = content
        pending.updated_by = user
        pending.updated_at = timezone.now()
        pending.save()
        DraftEvent.objects.create(
            route=route, action=DraftEvent.Action.SAVED, user=user, summary=summary
        )
    return pending


def discard(route, user):
    with transaction.atomic():
        deleted, _ = PendingChange.objects.filter(route=route).delete()
        if deleted:
            DraftEvent.objects.create(
                route=route, action=DraftEvent.Action.DISCARDED, user=user, summary=""
            )
    return bool(deleted)


class NothingToPublish(Exception):
    pass


def waiting_token(pending):
    """Names one state of a waiting change: it changes whenever the change is saved again."""
    return f"{pending.pk}-{pending.updated_at.timestamp()}"


def publish(route, user, note="", choices=None, waiting=None):
    """Publish a draft, or a published route's waiting change, in one transaction.

    The waiting change is merged into the live content: what a later live change touched
    stays; what both changed is a conflict, settled by `choices`, or returned with nothing
    written. `waiting` (a `waiting_token`) names the waiting change the Publisher saw: if it
    was saved again, discarded, or published meanwhile (a second Publisher at the same moment
    waits for the first's lock), NothingToPublish is raised. The first publication always
    gets the note "First published."; later ones only when the Publisher writes one.
    """
    with transaction.atomic(), one_refresh(), reversion.create_revision():
        route = Route.objects.select_for_update().get(pk=route.pk)
        pending = PendingChange.objects.filter(route=route).first()
        if waiting is not None and (pending is None or waiting_token(pending) != waiting):
            raise NothingToPublish
        if route.is_published and pending is None and not note.strip():
            raise NothingToPublish
        elif pending is not None:
            merged, conflicts = merge(pending.base, pending.content, route_content(route), choices)
            if conflicts:
                return conflicts
            apply_content(route, merged, user)
            pending.delete()
            DraftEvent.objects.create(
                route=route, action=DraftEvent.Action.PUBLISHED, user=user, summary=note
            )
        first_publication = route.first_published_at is None
        now = timezone.now()
        route.status = RouteStatus.PUBLISHED
        route.first_published_at = route.first_published_at or now
        route.updated_by = user
        route.save()
        note = note.strip() or ("First published." if first_publication else "")
        if note:
            ChangeNote.objects.create(route=route, note=note, published_at=now, created_by=user)
        review = ReviewRequest.objects.filter(route=route).first()
        if review is not None:
            review.delete()
        reversion.set_user(user)
        reversion.set_comment(f"Published. {note}".strip())
        reversion.add_to_revision(route)
    if review is not None:
        notices.notify([review.requested_by], "Published", route, f"{user} published it.")
    return []


def schedule(route, user, publish_at, note=""):
    """Approve `route` (a draft, or its waiting change as it is now) to go live at
    `publish_at`; a later schedule of the same route replaces it."""
    pending = PendingChange.objects.filter(route=route).first()
    ScheduledPublication.objects.update_or_create(
        route=route,
        defaults={
            "publish_at": publish_at,
            "note": note,
            "waiting": waiting_token(pending) if pending else "",
            "scheduled_by": user,
        },
    )


def publish_due(now=None):
    """Publish what is scheduled for now or earlier: [(route, outcome)]. Each schedule is
    claimed by deleting it, so two runs at once publish it once. A waiting change saved
    again since it was approved, or that now conflicts, is left for a Publisher."""
    now = now or timezone.now()
    outcomes = []
    for due in ScheduledPublication.objects.filter(publish_at__lte=now).select_related("route"):
        with transaction.atomic():
            claimed, _ = ScheduledPublication.objects.filter(pk=due.pk).delete()
            if not claimed:
                continue
            try:
                conflicts = publish(
                    due.route, due.scheduled_by, due.note, waiting=due.waiting or None
                )
            except NothingToPublish:
                outcomes.append((due.route, "not published: the approved change has changed"))
                continue
            except ValidationError as error:
                outcomes.append((due.route, f"not published: {' '.join(error.messages)}"))
                continue
            if conflicts:
                outcomes.append((due.route, "not published: conflicts with the live page"))
                continue
            outcomes.append((due.route, "published"))
    return outcomes


def submit(route, user):
    """An Editor asks a Publisher to review the route's draft or waiting change."""
    with transaction.atomic():
        ReviewRequest.objects.update_or_create(
            route=route,
            defaults={
                "state": ReviewRequest.State.SUBMITTED,
                "requested_by": user,
                "comment": "",
                "updated_at": timezone.now(),
            },
        )
        DraftEvent.objects.create(route=route, action=DraftEvent.Action.SUBMITTED, user=user)
    notices.notify(
        notices.publishers(), "Submitted for review", route, f"{user} asks you to review it."
    )


def send_back(route, user, comment):
    """A Publisher returns a submitted change to its Editor with a comment."""
    with transaction.atomic():
        request = ReviewRequest.objects.select_for_update().filter(route=route).first()
        if request is None:
            return False
        request.state = ReviewRequest.State.SENT_BACK
        request.answered_by = user
        request.comment = comment
        request.updated_at = timezone.now()
        request.save()
        DraftEvent.objects.create(
            route=route, action=DraftEvent.Action.SENT_BACK, user=user, summary=comment[:500]
        )
    notices.notify([request.requested_by], "Sent back", route, f"{user} wrote:\n\n{comment}")
    return True


def unpublish(route, user):
    with transaction.atomic(), reversion.create_revision():
        route.status = RouteStatus.DRAFT
        route.updated_by = user
        route.save()
        reversion.set_user(user)
        reversion.set_comment("Unpublished.")
        reversion.add_to_revision(route)


def mark_reviewed(route, user, today=None):
    with transaction.atomic(), reversion.create_revision():
        route.last_reviewed = today or timezone.localdate()
        route.updated_by = user
        route.save()
        reversion.set_user(user)
        reversion.set_comment(f"Marked reviewed on {route.last_reviewed:%-d %B %Y}.")
        reversion.add_to_revision(route)


def version_content(version):
    """The content of a route as a django-reversion version recorded it (route and parts)."""
    models_by_name = {model: name for name, model in part_models().items()}
    content = {"route": {}, "parts": {name: {} for name in part_models()}}
    for version_of_row in version.revision.version_set.all():
        stored = version_of_row._object_version
        obj, many_to_many = stored.object, stored.m2m_data
        if isinstance(obj, Route):
            content["route"] = fields_of(obj, many_to_many)
        elif type(obj) in models_by_name:
            content["parts"][models_by_name[type(obj)]][obj.key] = fields_of(obj, many_to_many)
    return content
