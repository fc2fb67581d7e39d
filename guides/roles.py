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
    # Lifting an admin sign-in lock (django-axes).
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
]
GROUPS = {"Editors": EDITOR_PERMISSIONS, "Publishers": PUBLISHER_PERMISSIONS}


def sync_groups(apps=global_apps, **kwargs):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        # "codename" is one of this app's permissions; "app.codename" another app's.
        wanted = {codename if "." in codename else f"guides.{codename}" for codename in codenames}
        permissions = {
            f"{permission.content_type.app_label}.{permission.codename}": permission
            for permission in Permission.objects.select_related("content_type").filter(
                content_type__app_label__in={label.split(".")[0] for label in wanted}
            )
        }
        if wanted - set(permissions):  # not created yet: a later post_migrate run finishes
            continue
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([permissions[label] for label in wanted])
