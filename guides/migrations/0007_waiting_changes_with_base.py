"""Waiting changes record the live content they were based on, and have a trail of their own.

A waiting change used to be a fixture-format snapshot (natural keys); it becomes a content
dict (guides/workflow.py) with the live content as its base. The conversion below is a
frozen copy of what it needs, so that later changes to the app cannot change it.
"""

import datetime
import decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

NOT_CONTENT = {
    "id", "route", "key", "status", "first_published_at", "created_at", "created_by",
    "confirmed_by", "updated_at", "updated_by", "content_updated_at", "overview_html",
    "notice_html", "answer_html", "check_state", "checked_at", "check_status",
    "check_final_url", "check_elapsed_ms", "check_error",
}  # fmt: skip
PARTS = {
    "eligibilitycriterion": "criteria",
    "blocker": "blockers",
    "evidenceitem": "evidence",
    "pathwaystep": "steps",
    "officiallink": "official_links",
    "faq": "faqs",
}
# How a fixture names a row of each model that content refers to.
NATURAL_KEYS = {
    "jurisdiction": ["slug"],
    "category": ["slug"],
    "author": ["slug"],
    "profession": ["slug"],
    "source": ["slug"],
    "country": ["code"],
    "route": ["jurisdiction__slug", "slug"],
}


def content_fields(model):
    return [
        field
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.name not in NOT_CONTENT
    ]


def plain_value(field, value):
    if field.many_to_many:
        return sorted(value)
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, decimal.Decimal):
        return f"{value:.{field.decimal_places}f}"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def live_content(apps, route):
    def fields_of(obj):
        values = {}
        for field in content_fields(type(obj)):
            if field.many_to_many:
                value = list(getattr(obj, field.name).values_list("pk", flat=True))
            else:
                value = getattr(obj, field.attname)
            values[field.name] = plain_value(field, value)
        return values

    parts = {}
    for model_name, relation in PARTS.items():
        model = apps.get_model("guides", model_name)
        parts[relation] = {part.key: fields_of(part) for part in model.objects.filter(route=route)}
    return {"route": fields_of(route), "parts": parts}


def fixture_content(apps, snapshot):
    def pk_of(model, natural_key):
        lookup = dict(zip(NATURAL_KEYS[model._meta.model_name], natural_key, strict=True))
        found = model.objects.filter(**lookup).values_list("pk", flat=True).first()
        return found

    def fields_of(model, data):
        values = {}
        for field in content_fields(model):
            value = data.get(field.name)
            if field.many_to_many:
                value = [pk_of(field.related_model, key) for key in value or []]
                value = [pk for pk in value if pk is not None]
            elif field.is_relation:
                value = pk_of(field.related_model, value) if value else None
            elif value is not None:
                value = field.to_python(value)
            values[field.name] = plain_value(field, value)
        return values

    content = {"route": {}, "parts": {relation: {} for relation in PARTS.values()}}
    for obj in snapshot:
        model = apps.get_model(obj["model"])
        if model._meta.model_name == "route":
            content["route"] = fields_of(model, obj["fields"])
        else:
            relation = PARTS[model._meta.model_name]
            content["parts"][relation][obj["fields"]["key"]] = fields_of(model, obj["fields"])
    return content


def convert_waiting_changes(apps, schema_editor):
    PendingChange = apps.get_model("guides", "PendingChange")
    for pending in PendingChange.objects.select_related("route"):
        pending.base = live_content(apps, pending.route)
        pending.content = fixture_content(apps, pending.content)
        pending.save(update_fields=["base", "content"])


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0006_sources_register"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingchange",
            name="base",
            field=models.JSONField(default=dict),
            preserve_default=False,
        ),
        migrations.RunPython(convert_waiting_changes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pendingchange",
            name="base",
            field=models.JSONField(),
        ),
        migrations.CreateModel(
            name='DraftEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('saved', 'Saved a change'), ('published', 'Published the change'), ('discarded', 'Discarded the change')], max_length=10)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('summary', models.CharField(blank=True, max_length=500)),
                ('route', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='guides.route')),
                ('user', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-at', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('action__in', ['saved', 'published', 'discarded'])), name='guides_draftevent_action_valid')],
            },
        ),
    ]
