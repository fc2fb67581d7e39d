"""The route list and form read at a glance; differences mark the words that changed."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from guides.models import PendingChange, Route, Source

from .factories import make_route
from .test_editing_together import change_url, load, post


@pytest.fixture
def qmas(seeded):
    return Route.objects.get(jurisdiction__slug="hong-kong", slug="qmas")


def row_of(page, name):
    row = page[page.index(name) :]
    return row[: row.index("</tr>")]


def test_the_route_list_says_in_words_what_waits_and_what_was_never_reviewed(
    staff_client, editor_client, qmas
):
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Waiting.")  # fmt: skip
    make_route(name="Brand new draft", status=Route.Status.DRAFT, last_reviewed=None)
    page = staff_client.get(reverse("admin:guides_route_changelist")).content.decode()
    assert "Change waiting" in row_of(page, "Quality Migrant Admission Scheme")
    draft = row_of(page, "Brand new draft")
    assert "Not yet reviewed" in draft and "Overdue" not in draft
    assert "icon-no.svg" not in page


def test_admin_search_finds_a_route_by_the_text_of_its_items(staff_client, qmas):
    criterion = qmas.criteria.first().text
    words = " ".join(criterion.split()[1:4])
    page = staff_client.get(reverse("admin:guides_route_changelist"), {"q": words})
    assert "Quality Migrant Admission Scheme" in page.content.decode()
    assert "Express Entry" not in page.content.decode()


def test_admin_search_words_may_be_in_the_route_and_its_items_and_list_it_once(
    staff_client, qmas, django_assert_max_num_queries
):
    faq = qmas.faqs.first()
    faq.question = "Can a zebrafinch apply?"
    faq.save()
    qmas.criteria.update(text="Every criterion mentions a zebrafinch.")
    # 13 with the session's save, which moves a staff member's idle limit on each request.
    with django_assert_max_num_queries(13):
        response = staff_client.get(
            reverse("admin:guides_route_changelist"), {"q": "Quality zebrafinch"}
        )
    assert list(response.context["cl"].result_list) == [qmas]


def test_save_buttons_are_at_the_top_and_the_bottom(staff_client, qmas):
    page = staff_client.get(change_url(qmas)).content.decode()
    assert page.count('name="_save"') == 2


def test_a_new_item_goes_to_the_end(editor_client, qmas):
    form = load(editor_client, change_url(qmas))
    total = int(form["criteria-TOTAL_FORMS"][0])
    form[f"criteria-{total}-text"] = ["A new last criterion."]
    form[f"criteria-{total}-source"] = form["criteria-0-source"]
    form[f"criteria-{total}-position"] = ["0"]
    form["criteria-TOTAL_FORMS"] = [str(total + 1)]
    assert editor_client.post(change_url(qmas), form).status_code == 302
    criteria = PendingChange.objects.get(route=qmas).content["parts"]["criteria"]
    new = next(part for part in criteria.values() if part["text"] == "A new last criterion.")
    assert new["position"] > max(p["position"] for p in criteria.values() if p is not new)


def test_differences_name_items_by_their_words_and_mark_what_changed(
    editor_client, publisher_client, qmas
):
    form = load(editor_client, change_url(qmas))
    text = form["criteria-0-text"][0]
    post(editor_client, change_url(qmas), form, **{"criteria-0-text": text + " Newly added."})
    page = publisher_client.get(reverse("admin:guides_route_changes", args=[qmas.pk]))
    html = page.content.decode()
    first_words = " ".join(text.split()[:3])
    assert f"Eligibility criterion “{first_words}" in html
    assert "<ins>Newly added.</ins>" in html or "<ins> Newly added.</ins>" in html


def test_differences_name_sources_and_choices_in_words_not_ids(
    editor_client, publisher_client, qmas
):
    form = load(editor_client, change_url(qmas))
    other = Source.objects.exclude(pk=form["criteria-0-source"][0]).first()
    post(editor_client, change_url(qmas), form, **{"criteria-0-source": str(other.pk)})
    page = publisher_client.get(reverse("admin:guides_route_changes", args=[qmas.pk]))
    html = page.content.decode()
    assert escape(other.title) in html
    assert f"source: {other.pk}<" not in html and f"source: <ins>{other.pk}" not in html


def test_the_admin_home_page_is_a_work_queue(
    editor_client, publisher_client, qmas, django_user_model
):
    from .conftest import client_in_group

    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Waiting.")  # fmt: skip
    other = client_in_group(django_user_model, "Editors", "erin")
    home = reverse("admin:index")
    publisher_page = publisher_client.get(home).content.decode()
    queue = publisher_page[publisher_page.index('id="work-queue"') :]
    waiting = queue[: queue.index("<h3>Drafts")]
    assert "Quality Migrant Admission Scheme (QMAS)" in waiting
    assert "by eddie" in waiting
    assert "need attention" in queue or "needs attention" in queue
    assert "Quality Migrant" in editor_client.get(home).content.decode().split("<h3>Drafts")[0]
    others = other.get(home).content.decode()
    assert "Changes waiting for a Publisher (0)" in others

    from datetime import date

    Route.objects.filter(slug="gep").update(last_reviewed=date(2024, 1, 1))
    due = publisher_client.get(home).content.decode().split("<h3>Due for review")[1]
    due = due.split("<h3>")[0]
    assert "General Employment Policy" in due and "Quality Migrant" not in due


def test_a_route_being_edited_by_someone_else_says_who_and_since_when(
    editor_client, publisher_client, qmas
):
    editor_client.get(change_url(qmas))
    form = publisher_client.get(change_url(qmas)).content.decode()
    assert "Also editing this page:</strong> eddie (since" in form
    again = editor_client.get(change_url(qmas)).content.decode()
    assert "Also editing this page:</strong> pat (since" in again
    listing = publisher_client.get(reverse("admin:guides_route_changelist")).content.decode()
    assert "eddie" in row_of(listing, "Quality Migrant Admission Scheme")


def test_an_editor_who_left_long_ago_is_not_shown(editor_client, publisher_client, qmas):
    from datetime import timedelta

    from django.utils import timezone

    from guides.models import Editing

    editor_client.get(change_url(qmas))
    Editing.objects.update(seen_at=timezone.now() - timedelta(hours=1))
    form = publisher_client.get(change_url(qmas)).content.decode()
    assert "Also editing this page" not in form


def test_errors_are_listed_at_the_top_with_links_to_their_fields(staff_client, qmas):
    form = load(staff_client, change_url(qmas))
    form["summary"] = [""]
    form["criteria-1-text"] = [""]
    response = staff_client.post(change_url(qmas), form)
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert '<a href="#id_summary">Summary: This field is required.</a>' in summary
    assert (
        '<a href="#id_criteria-1-text">Eligibility criterion 2, text: This field is required.'
        in summary
    )


def test_the_route_forms_item_sections_are_folded_and_say_how_many_items_they_hold(
    staff_client, qmas
):
    page = staff_client.get(change_url(qmas)).content.decode()
    count = qmas.criteria.count()
    assert f"Eligibility criteria ({count})" in page
    group = page[page.index('id="criteria-group"') :]
    assert group.index("<details>") < group.index("Eligibility criteria (")
    assert "css/admin.css" in page
