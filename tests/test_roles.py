"""Editors and Publishers get their permissions on a fresh database, and the admin shows
each only what they may do."""

from django.contrib.auth.models import Group
from django.urls import reverse

from guides.models import Route

from .factories import make_route


def test_groups_exist_with_their_permissions_on_a_fresh_database(db):
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    publishers = set(
        Group.objects.get(name="Publishers").permissions.values_list("codename", flat=True)
    )
    assert {"add_route", "change_route", "add_source", "change_eligibilitycriterion"} <= editors
    # Editors delete nothing but the factors and options of a grid they may change (a draft).
    deletes = {perm for perm in editors if perm.startswith("delete_")}
    assert deletes == {"delete_assessmentfactor", "delete_assessmentoption"}
    assert "publish_route" not in editors
    assert {"publish_route", "delete_route", "delete_source"} <= publishers
    assert editors < publishers


def test_editors_may_add_and_change_but_not_delete(editor_client, db):
    route = make_route()
    assert editor_client.get(reverse("admin:guides_route_add")).status_code == 200
    change = editor_client.get(reverse("admin:guides_route_change", args=[route.pk]))
    assert change.status_code == 200
    assert "deletelink" not in change.content.decode()
    assert (
        editor_client.get(reverse("admin:guides_route_delete", args=[route.pk])).status_code == 403
    )
    changelist = editor_client.get(reverse("admin:guides_route_changelist")).content.decode()
    assert "delete_selected" not in changelist
    assert "unpublish_selected" not in changelist


def test_publishers_may_publish_and_delete(publisher_client, db):
    route = make_route(status=Route.Status.DRAFT)
    changelist = publisher_client.get(reverse("admin:guides_route_changelist")).content.decode()
    assert "publish_selected" in changelist and "delete_selected" in changelist
    change = publisher_client.get(reverse("admin:guides_route_change", args=[route.pk]))
    assert "Publish…" in change.content.decode()
    assert (
        publisher_client.get(reverse("admin:guides_route_delete", args=[route.pk])).status_code
        == 200
    )


def test_visitors_cannot_reach_the_workflow_views(client, db):
    route = make_route(status=Route.Status.DRAFT)
    for name in ["preview", "changes", "publish"]:
        response = client.get(reverse(f"admin:guides_route_{name}", args=[route.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
