"""The two editorial roles, as groups whose permissions follow this file.

Permission rows only exist after `migrate` has created them (post_migrate), so the groups
are brought in line after every migrate, on a fresh database too.
"""

from django.apps import apps as global_apps

# Content that Editors add and change; Publishers may also delete it.
CONTENT_MODELS = [
    "route",
    "eligibilitycriterion",
    "blocker",
    "evidenceitem",
    "pathwaystep",
    "officiallink",
    "faq",
    "source",
    "jurisdiction",
    "category",
    "author",
    "profession",
    "assessment",
    "assessmentfactor",
    "assessmentoption",
    "searchsynonym",
    "glossaryterm",
]
EDITOR_PERMISSIONS = [
    *(f"{action}_{model}" for model in CONTENT_MODELS for action in ("add", "change", "view")),
    "view_country",
    "view_changenote",
    "view_pendingchange",
    "view_routealias",
    "view_jurisdictionalias",
    "view_problemreport",
    "change_problemreport",
    # Within a grid they may change (a draft), Editors remove factors and options too.
    "delete_assessmentfactor",
    "delete_assessmentoption",
]
PUBLISHER_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    *(f"delete_{model}" for model in CONTENT_MODELS),
    "publish_route",
    "add_changenote",
    "change_changenote",
    "delete_changenote",
    "delete_pendingchange",
    "change_routealias",
    "delete_routealias",
    "change_jurisdictionalias",
    "delete_jurisdictionalias",
    "delete_problemreport",
]
GROUPS = {"Editors": EDITOR_PERMISSIONS, "Publishers": PUBLISHER_PERMISSIONS}


def sync_groups(apps=global_apps, **kwargs):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="guides", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:  # not created yet: a later post_migrate run will finish the job
            continue
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
