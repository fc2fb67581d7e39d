"""Search: the fixture queries find the expected routes first, on SQLite and PostgreSQL
alike; odd queries never fail; snippets are safe."""

import pytest
from django.db import connection

from guides.models import Route, SearchSynonym

from .factories import add_parts, make_route

SEARCH = "/search/"


def top(client, query, count=1):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return [result.route.slug for result in response.context["page_obj"].object_list][:count]


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("qmas", {"qmas"}),
        ("QMAS", {"qmas"}),
        ("quality migrant", {"qmas"}),
        ("points test", {"qmas"}),
        ("express entry", {"express-entry"}),
    ],
)
def test_fixture_queries_find_the_expected_route_first(client, seeded, query, expected_first):
    assert set(top(client, query, len(expected_first))) == expected_first


def test_skilled_worker_finds_both_skilled_worker_routes_first(client, seeded):
    assert set(top(client, "skilled worker", 2)) == {"skilled-worker", "federal-skilled-worker"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The name less "visa" is the query: before a name that merely contains it.
        ("skilled worker", ["skilled-worker", "federal-skilled-worker"]),
        ("Skilled Worker visa", ["skilled-worker", "federal-skilled-worker"]),
        # The acronym is the query.
        ("EP", ["employment-pass"]),
        # The name starts with the query, before names that only contain it.
        ("global", ["global-talent"]),
    ],
)
def test_a_name_or_acronym_equal_to_the_query_ranks_first_then_names_starting_with_it(
    client, seeded, query, expected
):
    assert top(client, query, len(expected)) == expected


def test_no_job_offer_finds_routes_that_need_no_sponsor_first(client, seeded):
    response = client.get(SEARCH, {"q": "no job offer"})
    results = response.context["page_obj"].object_list
    assert len(results) >= 3
    assert all(result.route.sponsorship_required == "no" for result in results[:3])


def test_talent_finds_the_talent_routes_of_all_four_jurisdictions_first(client, seeded):
    response = client.get(SEARCH, {"q": "talent"})
    results = list(response.context["page_obj"].object_list)
    talent_routes = [r for r in results if "talent" in f"{r.route.name} {r.route.summary}".lower()]
    first = results[: len(talent_routes)]
    assert first == talent_routes
    assert {r.route.jurisdiction.slug for r in first} == {
        "hong-kong", "singapore", "united-kingdom", "canada"
    }  # fmt: skip


@pytest.mark.parametrize(
    "query",
    ['"quoted', "100%", "a & b", "🛂 visa", "x\x00y", "a" * 5000, "'; DROP TABLE", "   ", "<>",
     "!!!", "-qmas", "or"],
)  # fmt: skip
def test_odd_queries_never_fail(client, seeded, query):
    assert client.get(SEARCH, {"q": query}).status_code == 200


def test_a_query_with_no_hits_says_so_and_suggests_browsing(client, seeded):
    page = client.get(SEARCH, {"q": "zzyzx"}).content.decode()
    assert "No route matches your search" in page
    assert 'href="/routes/"' in page


def test_drafts_never_appear_in_results(client, seeded):
    qmas = Route.objects.get(slug="qmas")
    draft = make_route(jurisdiction=qmas.jurisdiction, name="Quality Migrant Draft", status="draft")
    response = client.get(SEARCH, {"q": "quality migrant"})
    found = [result.route.slug for result in response.context["page_obj"].object_list]
    assert "qmas" in found
    assert draft.slug not in found
    assert "Quality Migrant Draft" not in response.content.decode()


def test_search_pages_are_noindex(client, seeded):
    assert (
        '<meta name="robots" content="noindex, follow">'
        in client.get(SEARCH, {"q": "qmas"}).content.decode()
    )


def test_snippets_highlight_hits_and_never_let_markup_through(client, db):
    route = add_parts(make_route(name="Zebra scheme", summary="For zebra keepers."), 1)
    criterion = route.criteria.get()
    criterion.text = 'Zebra <script>alert(1)</script> and <img src=x onerror="alert(2)"> zebra'
    criterion.save()
    route.overview = "<script>alert(3)</script> zebra"
    route.save()
    page = client.get(SEARCH, {"q": "zebra"}).content.decode()
    assert "<mark>" in page
    body = page.split("<main", 1)[1]
    assert "<script>" not in body and "<img" not in body


@pytest.mark.parametrize("count", [3, 30])
def test_search_query_count_is_fixed_as_data_grows(
    client, db, count, no_page_cache, django_assert_max_num_queries
):
    for number in range(count):
        add_parts(make_route(name=f"Harbour route {number}"), 1)
    with django_assert_max_num_queries(4):
        response = client.get(SEARCH, {"q": "harbour"})
    assert response.context["result_count"] == count


@pytest.mark.postgres
def test_postgres_finds_a_misspelt_route_name_by_trigram(client, seeded):
    assert connection.vendor == "postgresql"
    assert "skilled-worker" in top(client, "skiled worker", 2)


@pytest.mark.postgres
def test_postgres_finds_a_route_by_a_misspelt_acronym(client, seeded):
    assert connection.vendor == "postgresql"
    assert "ttps" in top(client, "tps", 3)


@pytest.mark.postgres
def test_postgres_search_vector_is_refreshed_after_an_inline_edit(client, seeded):
    assert connection.vendor == "postgresql"
    assert top(client, "quokka") == []
    criterion = Route.objects.get(slug="ttps").criteria.first()
    criterion.text = "You have seen a quokka."
    criterion.save()
    assert top(client, "quokka") == ["ttps"]


def test_synonyms_are_data_and_find_what_the_pages_call_otherwise(client, seeded):
    # "husband" is on no page; the pages say "spouse".
    found = top(client, "husband", 10)
    assert "qmas" in found and "dependants-pass" in found
    SearchSynonym.objects.create(word="missus", means="spouse")
    assert "qmas" in top(client, "missus", 10)


def test_routes_with_every_word_rank_before_those_with_some(client, seeded):
    found = top(client, "work visa without job offer", 3)
    routes = {route.slug: route for route in Route.objects.all()}
    assert all(routes[slug].sponsorship_required == "no" for slug in found)


def test_a_question_leads_to_the_key_fact_that_answers_it(client, seeded):
    response = client.get(SEARCH, {"q": "how long to get PR"})
    results = response.context["page_obj"].object_list
    assert results
    assert str(results[0].snippet).startswith("How long it takes to get a decision:")
    first = Route.objects.get(pk=results[0].route.pk)
    assert first.leads_to_permanent_residency in ("yes", "depends")


def test_snippets_never_show_markdown(client, seeded):
    qmas = Route.objects.get(slug="qmas")
    qmas.overview = "**Age** matters: see [the official tool](https://example.gov/tool)."
    qmas.save()
    page = client.get(SEARCH, {"q": "age matters"}).content.decode()
    snippet = page.split('<p class="snippet">')[1].split("</p>")[0]
    assert "**" not in snippet and "](" not in snippet
    assert "the official tool" in snippet


def test_can_my_questions_lead_to_the_family_facts(client, seeded):
    response = client.get(SEARCH, {"q": "can my husband work"})
    results = response.context["page_obj"].object_list
    family = [r for r in results if str(r.snippet).startswith("Your partner and children:")]
    assert family and "Partner can come" in str(family[0].snippet)


def test_a_question_is_understood_whatever_its_punctuation(client, seeded):
    results = client.get(SEARCH, {"q": "QMAS: how much?"}).context["page_obj"].object_list
    assert results[0].route.slug == "qmas"
    assert str(results[0].snippet).startswith("What it costs:")
