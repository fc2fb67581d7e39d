"""Check your fit: a route's published grids as plain GET forms, scored by guides/scoring.py,
each row cited; editors keep the grids in the admin."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from reversion.models import Version

from guides.models import Assessment, AssessmentFactor, AssessmentOption
from guides.scoring import problems, score

from .forms import form_data

QMAS = "/hong-kong/qmas/self-assessment/"
FSW = "/canada/federal-skilled-worker/self-assessment/"


def answers_meeting(assessment, count):
    """Every condition met, and the first `count` criteria."""
    answers = {"test": assessment.key}
    criteria = 0
    for factor in assessment.factors.all():
        if factor.required or criteria < count:
            answers[factor.key] = "yes"
            criteria += not factor.required
    return answers


@pytest.fixture
def gpt(seeded):
    return Assessment.objects.get(route__slug="qmas", key="general-points-test")


def test_every_seeded_grid_is_sound_and_only_confirmed_ones_are_published(seeded):
    for assessment in Assessment.objects.all():
        assert problems(assessment.grid()) == [], assessment
    published = set(Assessment.objects.published().values_list("route__slug", flat=True))
    assert published == {"qmas", "federal-skilled-worker"}


def test_the_form_asks_one_question_per_factor_without_javascript(client, gpt):
    response = client.get(QMAS)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<form class="form self-check" method="get"' in page
    for factor in gpt.factors.all():
        assert f'name="{factor.key}"' in page
    assert escape(gpt.source.publisher) in page
    assert "<script" not in page.split("<main")[1]


def test_the_result_states_the_outcome_explains_each_row_and_cites_it(client, gpt):
    response = client.get(QMAS, answers_meeting(gpt, 7))
    page = response.content.decode()
    assert "You meet 7 of the 12 criteria; 6 are needed to apply." in page
    assert "On these answers you reach the threshold to apply." in page
    assert "does not guarantee approval" in page
    assert page.count("Your answer:") == gpt.factors.count()
    assert f'href="{gpt.source.url}"' in page
    assert f'href="{gpt.route.get_absolute_url()}"' in page
    assert f'href="{gpt.route.official_links.first().url}"' in page
    assert '<meta name="robots" content="noindex, follow">' in page
    short = client.get(QMAS, answers_meeting(gpt, 5)).content.decode()
    assert "You meet 5 of the 12 criteria" in short
    assert "Meeting 1 more criterion would reach the threshold." in short


def test_a_worked_example_on_the_federal_skilled_worker_grid(client, seeded):
    fsw = Assessment.objects.get(route__slug="federal-skilled-worker")
    # Age 30 (12), a three-year degree (21), six years' work (15), CLB 9 in English (4 x 6):
    # 72 of 100, with no second language, job offer or adaptability.
    answers = {
        "test": fsw.key,
        "age": "18-35",
        "education": "three-year",
        "experience": "6-plus",
        **{
            f"first-language-{ability}": "clb-9"
            for ability in ["speaking", "listening", "reading", "writing"]
        },
        "second-language": "no",
        "arranged-employment": "no",
        "adaptability": "0",
    }
    page = client.get(FSW, answers).content.decode()
    assert "You score 72 of 100 points; 67 are needed." in page
    below = client.get(FSW, {**answers, "first-language-writing": "clb-7"}).content.decode()
    assert "You score 70 of 100 points" in below
    failed = client.get(FSW, {**answers, "first-language-writing": "below-clb-7"}).content.decode()
    assert "You do not meet a condition that is required" in failed
    capped = client.get(FSW, {**answers, "adaptability": "10"}).content.decode()
    assert "You score 82 of 100 points" in capped


def test_worked_examples_on_the_unpublished_grids(seeded):
    compass = Assessment.objects.get(key="compass")
    assert score(compass.grid(), {"qualifying-salary": "yes", "c1-salary": "90th-plus",
                                  "c2-qualifications": "degree-equivalent",
                                  "c3-diversity": "meets"}).total == 40  # fmt: skip
    uk = Assessment.objects.get(route__slug="skilled-worker")
    met = {"sponsored-job-offer": "yes", "skill-level": "yes", "english": "yes"}
    assert not score(uk.grid(), met).passed  # 50 of 70
    assert score(uk.grid(), {**met, "salary-or-alternative": "threshold"}).passed


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"age-18": "maybe"}, "age-18"),
        ({"age-18": ""}, "age-18"),
        ({"test": "general-points-test", "age-18": None}, "age-18"),
    ],
)
def test_invalid_answers_show_the_form_again_with_a_message(client, gpt, changes, field):
    answers = {**answers_meeting(gpt, 7), **changes}
    answers = {key: value for key, value in answers.items() if value is not None}
    response = client.get(QMAS, answers)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'href="#id_{field}_0"' in page
    assert "Your result" not in page


def test_out_of_range_numbers_and_repeated_parameters_never_break_it(client, gpt):
    fsw = Assessment.objects.get(route__slug="federal-skilled-worker")
    for path, query in [
        (FSW, f"?test={fsw.key}&adaptability=-1"),
        (FSW, f"?test={fsw.key}&adaptability=999&age=18-35&age=36"),
        (FSW, "?test=nope&age=18-35"),
        (QMAS, f"?test={gpt.key}&test=x&age-18=yes&age-18=no"),
    ]:
        response = client.get(path + query)
        assert response.status_code == 200
    page = client.get(FSW, {"test": fsw.key, "adaptability": "999"}).content.decode()
    assert "There is a problem" in page and "Your result" not in page


def test_a_route_without_a_published_grid_has_no_self_assessment(client, seeded):
    assert client.get("/hong-kong/gep/self-assessment/").status_code == 404
    assert client.get("/singapore/employment-pass/self-assessment/").status_code == 404
    assert client.get("/hong-kong/nope/self-assessment/").status_code == 404


def test_the_route_page_and_the_finder_link_to_it(client, seeded):
    page = client.get("/hong-kong/qmas/").content.decode()
    assert page.count(f'href="{QMAS}">Check your fit</a>') == 2  # key facts and pathway
    assert "Check your fit" not in client.get("/singapore/employment-pass/").content.decode()
    finder = client.get("/finder/", {"job_offer": "no"}).content.decode()
    assert f'href="{QMAS}">Check your fit</a>' in finder


def test_queries_of_the_form_and_the_result(
    client, gpt, no_page_cache, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get(QMAS)
    with django_assert_max_num_queries(8):
        client.get(QMAS, answers_meeting(gpt, 7))


def test_a_publisher_changes_the_pass_mark_and_the_next_result_and_etag_follow(
    publisher_client, client, gpt
):
    first = client.get(QMAS)
    url = reverse("admin:guides_assessment_change", args=[gpt.pk])
    form = load_assessment(publisher_client, url)
    form["pass_mark"] = ["7"]
    assert publisher_client.post(url, form).status_code == 302
    page = client.get(QMAS, answers_meeting(gpt, 6)).content.decode()
    assert "6 of the 12 criteria; 7 are needed to apply." in page
    assert client.get(QMAS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get("/hong-kong/qmas/")["ETag"] != first["ETag"]


def test_an_editor_may_not_change_a_published_grid_in_place(editor_client, gpt):
    url = reverse("admin:guides_assessment_change", args=[gpt.pk])
    page = editor_client.get(url).content.decode()
    assert 'name="pass_mark"' not in page  # shown, not editable
    assert "Propose a change" in page
    assert editor_client.post(url, {"pass_mark": "1"}).status_code == 403
    Assessment.objects.filter(pk=gpt.pk).update(is_published=False)
    assert 'name="pass_mark"' in editor_client.get(url).content.decode()
    assert 'name="is_published"' not in editor_client.get(url).content.decode()


def propose(client, assessment):
    response = client.post(reverse("admin:guides_assessment_propose", args=[assessment.pk]))
    assert response.status_code == 302
    return Assessment.objects.get(draft_of=assessment)


def test_an_editors_change_to_a_published_grid_waits_for_a_publisher(
    editor_client, publisher_client, client, gpt
):
    first = client.get(QMAS)
    draft = propose(editor_client, gpt)
    assert not draft.is_published and draft.factors.count() == gpt.factors.count() == 16
    assert propose(editor_client, gpt) == draft  # one draft per grid
    url = reverse("admin:guides_assessment_change", args=[draft.pk])
    form = load_assessment(editor_client, url)
    form["pass_mark"] = ["7"]
    criterion = next(k for k, v in form.items() if k.endswith("-key") and v == ["good-english"])
    form[criterion.replace("-key", "-name")] = ["Do you speak and write English well?"]
    assert editor_client.post(url, form).status_code == 302
    assert "Publish this change" not in editor_client.get(url).content.decode()
    assert (
        editor_client.post(
            reverse("admin:guides_assessment_publish_draft", args=[draft.pk])
        ).status_code
        == 403
    )
    assert "6 are needed" in client.get(QMAS, answers_meeting(gpt, 6)).content.decode()
    home = publisher_client.get(reverse("admin:index")).content.decode()
    assert "Changes to self-assessments waiting for a Publisher (1)" in home

    publish = reverse("admin:guides_assessment_publish_draft", args=[draft.pk])
    assert publisher_client.post(publish).status_code == 302
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    live = Assessment.objects.get(pk=gpt.pk)
    assert (live.pass_mark, live.is_published, live.factors.count()) == (7, True, 16)
    assert live.factors.get(key="good-english").name == "Do you speak and write English well?"
    assert "7 are needed" in client.get(QMAS, answers_meeting(gpt, 6)).content.decode()
    assert client.get(QMAS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert Version.objects.get_for_object(live).first().field_dict["pass_mark"] == 7


def test_a_draft_is_not_published_over_a_change_made_since(editor_client, publisher_client, gpt):
    draft = propose(editor_client, gpt)
    url = reverse("admin:guides_assessment_change", args=[gpt.pk])
    form = load_assessment(publisher_client, url)
    form["explanation"] = ["A Publisher's own fix, made after the draft."]
    assert publisher_client.post(url, form).status_code == 302
    response = publisher_client.post(
        reverse("admin:guides_assessment_publish_draft", args=[draft.pk]), follow=True
    )
    assert "changed after this draft was made" in response.content.decode()
    live = Assessment.objects.get(pk=gpt.pk)
    assert live.explanation == "A Publisher's own fix, made after the draft."
    assert Assessment.objects.filter(pk=draft.pk).exists()


def test_a_grid_that_cannot_be_passed_is_refused_naming_the_problem(publisher_client, gpt):
    url = reverse("admin:guides_assessment_change", args=[gpt.pk])
    form = load_assessment(publisher_client, url)
    form["pass_mark"] = ["13"]
    response = publisher_client.post(url, form)
    assert response.status_code == 200
    assert "No one can pass: there are 12 criteria, fewer than the 13 to meet." in (
        response.content.decode()
    )
    assert Assessment.objects.get(pk=gpt.pk).pass_mark == 6


def test_a_factor_whose_maximum_disagrees_with_its_options_is_refused_by_name(
    publisher_client, seeded
):
    age = AssessmentFactor.objects.get(key="age", assessment__route__slug="federal-skilled-worker")
    url = reverse("admin:guides_assessmentfactor_change", args=[age.pk])
    form = load_assessment(publisher_client, url, form_id="assessmentfactor_form")
    form["maximum"] = ["15"]
    page = publisher_client.post(url, form).content.decode()
    assert "its maximum is 15 but its options give at most 12." in page
    assert AssessmentFactor.objects.get(pk=age.pk).maximum == 12
    assert AssessmentOption.objects.filter(factor=age).count() == 13


def load_assessment(client, url, form_id="assessment_form"):
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id)


def test_a_change_to_a_grid_is_kept_in_its_history(publisher_client, gpt):
    url = reverse("admin:guides_assessment_change", args=[gpt.pk])
    form = load_assessment(publisher_client, url)
    form["explanation"] = ["Changed for the history."]
    assert publisher_client.post(url, form).status_code == 302
    versions = Version.objects.get_for_object(gpt)
    assert versions.count() == 1
    assert versions.first().field_dict["explanation"] == "Changed for the history."
    history = publisher_client.get(reverse("admin:guides_assessment_history", args=[gpt.pk]))
    assert history.status_code == 200


def test_a_draft_is_not_published_over_an_option_changed_since(
    editor_client, publisher_client, gpt
):
    draft = propose(editor_client, gpt)
    factor = gpt.factors.get(key="age-18")
    url = reverse("admin:guides_assessmentfactor_change", args=[factor.pk])
    form = load_assessment(publisher_client, url, form_id="assessmentfactor_form")
    form["explanation"] = ["Fixed on the live grid itself."]
    assert publisher_client.post(url, form).status_code == 302
    response = publisher_client.post(
        reverse("admin:guides_assessment_publish_draft", args=[draft.pk]), follow=True
    )
    assert "changed after this draft was made" in response.content.decode()
    assert (
        AssessmentFactor.objects.get(pk=factor.pk).explanation == "Fixed on the live grid itself."
    )


def test_editors_delete_only_the_drafts_they_proposed(editor_client, django_user_model, gpt):
    from .conftest import client_in_group

    compass = Assessment.objects.get(key="compass")
    delete = "admin:guides_assessment_delete"
    assert editor_client.get(reverse(delete, args=[gpt.pk])).status_code == 403
    assert editor_client.get(reverse(delete, args=[compass.pk])).status_code == 403
    draft = propose(editor_client, gpt)
    other = client_in_group(django_user_model, "Editors", "erin")
    assert other.get(reverse(delete, args=[draft.pk])).status_code == 403
    assert editor_client.post(reverse(delete, args=[draft.pk]), {"post": "yes"}).status_code == 302
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert Assessment.objects.get(pk=gpt.pk).factors.count() == 16
