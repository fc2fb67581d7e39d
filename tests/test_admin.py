import pytest
from django.test import Client
from django.urls import reverse

from guides.models import EligibilityCriterion, Route

from .forms import form_data


def change_url(route):
    return reverse("admin:guides_route_change", args=[route.pk])


@pytest.fixture
def qmas(seeded):
    return Route.objects.get(jurisdiction__slug="hong-kong", slug="qmas")


def test_change_page_renders_every_inline_for_staff(staff_client, qmas):
    response = staff_client.get(change_url(qmas))
    assert response.status_code == 200
    page = response.content.decode()
    for prefix in ["criteria", "blockers", "evidence", "steps", "official_links", "faqs"]:
        assert f'name="{prefix}-TOTAL_FORMS"' in page
    assert qmas.criteria.first().text in page
    assert "markdownx" in page
    assert "View on site" in page


def test_anonymous_users_are_sent_to_log_in(client, qmas):
    response = client.get(change_url(qmas))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_edit_through_the_admin_form_shows_on_the_page(staff_client, client, qmas):
    data = form_data(staff_client.get(change_url(qmas)).content.decode(), "route_form")
    data["summary"] = ["A summary rewritten by an editor."]
    data["overview"] = ["An overview with **emphasis**."]
    data["criteria-0-text"] = ["A criterion rewritten by an editor."]
    data["faqs-0-answer"] = ["An answer with a [link](https://www.example.gov/)."]
    response = staff_client.post(change_url(qmas), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""

    page = client.get(qmas.get_absolute_url()).content.decode()
    assert "A summary rewritten by an editor." in page
    assert "An overview with <strong>emphasis</strong>." in page
    assert "A criterion rewritten by an editor." in page
    assert 'href="https://www.example.gov/"' in page
    qmas.refresh_from_db()
    assert qmas.updated_by.username == "editor"


def test_an_inline_that_fails_validation_saves_nothing(staff_client, qmas):
    data = form_data(staff_client.get(change_url(qmas)).content.decode(), "route_form")
    data["summary"] = ["This must not be saved."]
    data["criteria-0-text"] = ["Neither must this."]
    data["criteria-1-source"] = [""]
    response = staff_client.post(change_url(qmas), data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    qmas.refresh_from_db()
    assert qmas.summary != "This must not be saved."
    assert not EligibilityCriterion.objects.filter(text="Neither must this.").exists()


def test_swapping_positions_of_two_items_saves(staff_client, qmas):
    first, second = qmas.criteria.all()[:2]
    data = form_data(staff_client.get(change_url(qmas)).content.decode(), "route_form")
    data["criteria-0-position"], data["criteria-1-position"] = (
        [str(second.position)],
        [str(first.position)],
    )
    assert staff_client.post(change_url(qmas), data).status_code == 302
    assert list(qmas.criteria.all()[:2]) == [second, first]


def test_markdown_preview_renders_sanitised_html_for_staff_only(django_user_model, db):
    url = reverse("markdown_preview")
    content = {"content": "**bold** <script>x()</script>"}
    visitor = Client()
    assert visitor.post(url, content).status_code == 403
    visitor.force_login(django_user_model.objects.create_user("reader", password="pw"))
    assert visitor.post(url, content).status_code == 403
    staff = Client()
    staff.force_login(django_user_model.objects.create_user("staff", password="pw", is_staff=True))
    response = staff.post(url, content)
    assert response.status_code == 200
    assert response.content.decode().strip() == "<p><strong>bold</strong> </p>"


def test_markdownx_image_upload_is_not_routed(staff_client, db):
    assert staff_client.get("/markdownx/upload/").status_code == 404
    # The path falls through to the route pattern, which only reads.
    assert staff_client.post("/markdownx/upload/").status_code == 405


def test_deleting_routes_from_the_admin_list_leaves_their_addresses_gone(
    staff_client, client, qmas
):
    response = staff_client.post(
        reverse("admin:guides_route_changelist"),
        {"action": "delete_selected", "_selected_action": [qmas.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Route.objects.filter(pk=qmas.pk).exists()
    assert client.get("/hong-kong/qmas/").status_code == 410


def test_changing_a_slug_in_the_admin_redirects_the_old_address(staff_client, client, qmas):
    data = form_data(staff_client.get(change_url(qmas)).content.decode(), "route_form")
    data["slug"] = ["quality-migrants"]
    assert staff_client.post(change_url(qmas), data).status_code == 302
    response = client.get("/hong-kong/qmas/")
    assert response.status_code == 301
    assert response["Location"] == "/hong-kong/quality-migrants/"
