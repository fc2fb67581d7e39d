"""The sources register, the kind of each source beside its citations, and confirming."""

import html
import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from reversion.models import Version

from guides import workflow
from guides.citations import citations_of
from guides.models import Blocker, EligibilityCriterion, EvidenceItem, Jurisdiction, Route, Source

from .factories import add_parts, make_route, make_source

# Hosts whose pages count as the government's or a regulator's own.
OFFICIAL_HOSTS = (
    ".gov.hk",
    ".gov.sg",
    ".gov.uk",
    "gov.uk",
    ".canada.ca",
    ".gc.ca",
    "college-ic.ca",
)
# Sites no careful reader would accept as a source, whatever their page says.
REFUSED_HOSTS = ("blogspot.", "wordpress.", "medium.com", "studylib.", "scribd.", "reddit.")


def citations_on(page):
    """(source URL, kind label or None) for each citation link on a page, in order."""
    pattern = re.compile(
        r'<a class="source" href="([^"]*)" rel="external">Source[^:]*: .*?</a>'
        r'( <span class="source-kind">\((.*?)\)</span>)?'
    )
    return [(html.unescape(url), label or None) for url, _, label in pattern.findall(page)]


@pytest.fixture
def qmas(seeded):
    return Route.objects.get(jurisdiction__slug="hong-kong", slug="qmas")


def test_the_database_refuses_an_uncited_item_or_figure(db):
    route = make_route()
    for part in [EligibilityCriterion, Blocker, EvidenceItem]:
        with pytest.raises(IntegrityError), transaction.atomic():
            part.objects.create(route=route, key="uncited", text="Uncited.", source=None)
    for figure in [{"fee_amount": 600, "fee_currency": "HKD"}, {"initial_stay_months": 12},
                   {"notice": "A change."}]:  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            Route.objects.filter(pk=route.pk).update(**figure)


def test_seed_content_cites_no_blog_or_document_sharing_site(seeded):
    for source in Source.objects.all():
        host = urlsplit(source.url).hostname
        assert not any(refused in host for refused in REFUSED_HOSTS), source.url
        if source.kind == Source.Kind.OFFICIAL:
            assert host.endswith(OFFICIAL_HOSTS), f"{source.slug} is not an official site"


def test_every_route_page_labels_each_source_that_is_not_official(client, seeded):
    sources = {source.url: source for source in Source.objects.all()}
    labelled = 0
    for route in Route.objects.published():
        page = client.get(route.get_absolute_url()).content.decode()
        citations = citations_on(page)
        assert {url for url, _ in citations} >= {
            source.url
            for source in route.cited_sources()
            if source != route.jurisdiction.adviser_register
        }, route
        for url, label in citations:
            assert label == (sources[url].reader_label or None), (route, url)
            labelled += label is not None
    assert labelled, "the seed content cites no secondary source, so nothing was checked"


def test_a_secondary_source_is_labelled_beside_the_item_that_cites_it(client, seeded):
    route = make_route(jurisdiction=Jurisdiction.objects.get(slug="singapore"), status="published")
    news = make_source(publisher="The Daily Planet", kind=Source.Kind.NEWS)
    EligibilityCriterion.objects.create(route=route, text="You hold a planet pass.", source=news)
    page = client.get(route.get_absolute_url()).content.decode()
    item = re.search(r"<li>\s*<p>You hold a planet pass\.</p>.*?</li>", page, re.S).group(0)
    assert "(secondary source: news report)" in item
    assert "The Daily Planet" in item


def test_key_facts_show_the_date_of_their_source(client, qmas):
    page = client.get(qmas.get_absolute_url()).content.decode()
    facts = page[page.index('id="key-facts"') : page.index('id="overview"')]
    assert f"Source: {qmas.fees_source.publisher}</a>" in facts
    assert f'<span class="source-date"> · {qmas.fees_source.as_at}</span>' in facts


def test_route_page_lists_its_sources_once_each_and_links_the_register(client, qmas):
    page = client.get(qmas.get_absolute_url()).content.decode()
    section = page[page.index('id="sources"') : page.index('id="advice"')]
    cited = Route.objects.page(pk=qmas.pk).cited_sources()
    assert len(cited) >= 3
    for source in cited:
        assert section.count(f'href="{source.get_absolute_url()}"') == 1, source.slug
    assert 'href="/sources/"' in section
    assert 'href="/how-we-check/"' in section


def test_register_lists_each_publicly_cited_source_once_with_its_pages(client, qmas):
    unused = make_source(title="Cited by nothing")
    draft = make_route(jurisdiction=qmas.jurisdiction, status="draft")
    draft_only = make_source(title="Cited by a draft only")
    EligibilityCriterion.objects.create(route=draft, text="Draft text.", source=draft_only)
    pages = [client.get("/sources/"), client.get("/sources/?page=2")]
    assert [response.status_code for response in pages] == [200, 200]
    page = "".join(response.content.decode() for response in pages)
    for source in Source.objects.cited_publicly():
        assert page.count(f'href="{source.get_absolute_url()}"') == 1, source.slug
    assert unused.title not in page
    assert draft_only.title not in page
    self_assessment = Source.objects.get(slug="immd-qmas-self-assessment-tool")
    entry = page[page.index(self_assessment.title) :]
    entry = entry[: entry.index("</li>")]
    assert f'href="{qmas.get_absolute_url()}"' in entry
    assert client.get(draft_only.get_absolute_url()).status_code == 404
    assert client.get("/sources/no-such-source/").status_code == 404


def test_register_filters_by_jurisdiction_kind_and_words(client, seeded):
    singapore = client.get("/sources/?jurisdiction=singapore").content.decode()
    assert "Ministry of Manpower" in singapore
    assert "Immigration Department (Hong Kong SAR)" not in singapore
    official = client.get("/sources/?kind=official").content.decode()
    not_official = Source.objects.cited_publicly().exclude(kind="official")
    assert not_official.exists()
    for source in not_official:
        assert source.get_absolute_url() not in official
    found = client.get("/sources/?q=self-assessment").content.decode()
    assert "/sources/immd-qmas-self-assessment-tool/" in found
    words = "self-assessment"
    matching = (
        Source.objects.cited_publicly()
        .filter(Q(title__icontains=words) | Q(publisher__icontains=words) | Q(url__icontains=words))
        .count()
    )
    assert f"{matching} source{'s' if matching != 1 else ''}<" in found
    odd = client.get("/sources/?kind=gossip&jurisdiction=atlantis&q=%00")
    assert odd.status_code == 200
    assert "Some filters were not understood" in odd.content.decode()
    assert 'name="robots" content="noindex' in official


def test_register_shows_fifty_to_a_page(client, seeded):
    route = Route.objects.get(slug="qmas")
    for number in range(60):
        source = make_source(title=f"Extra source {number:02}", publisher="Zeta publisher")
        EligibilityCriterion.objects.create(route=route, text=f"Item {number}", source=source)
    total = Source.objects.cited_publicly().count()
    first = client.get("/sources/").content.decode()
    assert first.count('class="source-list__title"') == 50
    last_page = (total + 49) // 50
    last = client.get(f"/sources/?page={last_page}").content.decode()
    assert last.count('class="source-list__title"') == total - 50 * (last_page - 1)
    assert client.get(f"/sources/?page={last_page + 1}").status_code == 404


def test_register_and_source_pages_keep_a_fixed_query_budget(
    client, seeded, no_page_cache, django_assert_num_queries
):
    def queries(path):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    source = Source.objects.get(slug="immd-qmas-self-assessment-tool")
    before = queries("/sources/"), queries(source.get_absolute_url())
    for route in Route.objects.published()[:5]:
        add_parts(route, 6, source=source)
        for _ in range(3):
            EvidenceItem.objects.create(route=route, text="Extra.", source=make_source())
    after = queries("/sources/"), queries(source.get_absolute_url())
    assert before == after
    with django_assert_num_queries(before[0]):
        client.get("/sources/?jurisdiction=hong-kong&kind=official")


def test_source_page_says_what_cites_it_and_how_sure_we_are(client, qmas):
    source = qmas.notice_source
    page = client.get(source.get_absolute_url()).content.decode()
    assert source.get_kind_display() in page
    assert "Treat it as weaker than an official page" in page
    cited_on = page[page.index('id="cited-on"') :]
    assert f'<a href="{qmas.get_absolute_url()}">{qmas.title} (Hong Kong)</a> · Notice' in cited_on
    official = Source.objects.get(slug="immd-qmas-self-assessment-tool")
    page = client.get(official.get_absolute_url()).content.decode()
    assert "Treat it as weaker" not in page
    age = qmas.criteria.get(key="age")
    assert "· Typical criteria</p>" in page
    assert escape(age.text) in page


def test_citations_name_every_place_a_source_is_cited(seeded):
    source = make_source()
    route = Route.objects.get(slug="qmas")
    route.processing_time_source = source
    route.save()
    EvidenceItem.objects.create(route=route, text="Your passport.", source=source)
    jurisdiction = route.jurisdiction
    jurisdiction.adviser_note = "Ask a regulated adviser."
    jurisdiction.adviser_note_source = source
    jurisdiction.save()
    citations = citations_of([source])[source.pk]
    assert [(c.page, c.where) for c in citations] == [
        (jurisdiction, "Need tailored advice?"),
        (route, "Typical evidence"),
        (route, "Key facts: how long a decision takes"),
    ]


def test_how_we_check_is_linked_from_every_page_footer(client, qmas):
    page = client.get("/how-we-check/")
    assert page.status_code == 200
    assert "How we check our facts" in page.content.decode()
    for path in ["/", qmas.get_absolute_url(), "/sources/", "/routes/"]:
        assert 'href="/how-we-check/"' in client.get(path).content.decode(), path


def test_sources_are_in_the_sitemap(client, qmas):
    from .test_crawlers import sitemap_locations

    locations = sitemap_locations(client)
    site = "https://routeguide.test"
    assert f"{site}/sources/" in locations
    assert f"{site}/how-we-check/" in locations
    for source in Source.objects.cited_publicly():
        assert f"{site}{source.get_absolute_url()}" in locations
    unused = make_source()
    assert f"{site}{unused.get_absolute_url()}" not in sitemap_locations(client)


def test_a_new_source_starts_unconfirmed_and_confirming_records_who_and_when(editor_client, seeded):
    source = make_source()
    assert source.confirmed_on is None
    response = editor_client.post(
        reverse("admin:guides_source_changelist"),
        {"action": "confirm_selected", "_selected_action": [source.pk]},
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.confirmed_on == timezone.localdate()
    assert source.confirmed_by == editor_client.user
    (version,) = Version.objects.get_for_object(source)
    assert version.revision.user == editor_client.user
    assert version.field_dict["confirmed_on"] == timezone.localdate()


def test_confirmed_date_is_not_a_form_field(staff_client, seeded):
    source = Source.objects.get(slug="immd-qmas-self-assessment-tool")
    page = staff_client.get(reverse("admin:guides_source_change", args=[source.pk]))
    assert 'name="confirmed_on"' not in page.content.decode()


def test_attention_page_lists_sources_editors_must_look_at(staff_client, seeded):
    secondary = Source.objects.cited_publicly().exclude(kind="official").first()
    broken = Source.objects.get(slug="immd-iang")
    Source.objects.filter(pk=broken.pk).update(check_state="broken", check_status=404)
    stale = Source.objects.get(slug="itc-techtas-faq")
    Source.objects.filter(pk=stale.pk).update(confirmed_on=date(2020, 1, 1))
    fresh = Source.objects.get(slug="immd-qmas-self-assessment-tool")
    Source.objects.filter(pk=fresh.pk).update(confirmed_on=timezone.localdate())
    url = reverse("admin:guides_source_attention")
    page = staff_client.get(url).content.decode()
    sections = page.split("<h2>")
    not_official = next(part for part in sections if part.startswith("Not official"))
    failing = next(part for part in sections if part.startswith("Link check failed"))
    unconfirmed = next(part for part in sections if part.startswith("Not confirmed"))
    assert secondary.title in not_official
    some_item = citations_of([secondary], routes=Route.objects.all())[secondary.pk][0]
    assert (some_item.text or some_item.where)[:40] in not_official
    assert broken.title in failing and "(404)" in failing
    assert stale.title in unconfirmed
    assert fresh.title not in unconfirmed
    assert Client().get(url).status_code == 302


def test_route_list_shows_a_route_whose_cited_source_fails(staff_client, seeded):
    Source.objects.filter(slug="immd-iang").update(check_state="broken")
    page = staff_client.get(reverse("admin:guides_route_changelist")).content.decode()
    rows = {row.split("</th>")[0]: row for row in page.split('<th class="field-name">')[1:]}
    iang = next(row for name, row in rows.items() if "Non-local Graduates" in name)
    qmas = next(row for name, row in rows.items() if "Quality Migrant" in name)
    assert "a cited source failed its link check" in iang
    assert "a cited source failed its link check" not in qmas


def test_permanent_residency_source_is_cited_and_moves_the_page_version(client, qmas):
    first = client.get(qmas.get_absolute_url())
    facts = first.content.decode()
    facts = facts[facts.index('id="key-facts"') : facts.index('id="overview"')]
    assert escape(qmas.permanent_residency_source.publisher) in facts
    source = qmas.permanent_residency_source
    source.as_at = "20 October 2022"
    source.save()
    second = client.get(qmas.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "20 October 2022" in second.content.decode()


def test_a_source_nothing_cites_is_listed_for_attention_until_a_change_cites_it(
    staff_client, editor_client, seeded
):
    abandoned = Source.objects.create(
        slug="left-behind",
        publisher="Immigration Department (Hong Kong SAR)",
        title="Made in the + window for a route never saved",
        url="https://www.immd.gov.hk/eng/left-behind.html",
        kind="official",
    )
    url = reverse("admin:guides_source_attention")
    uncited = next(
        part
        for part in staff_client.get(url).content.decode().split("<h2>")
        if part.startswith("Cited by nothing")
    )
    assert abandoned.title in uncited
    assert Source.objects.cited_publicly().first().title not in uncited

    qmas = Route.objects.get(slug="qmas")
    content = workflow.route_content(qmas)
    content["route"]["fees_source"] = abandoned.pk
    workflow.save_pending_change(qmas, content, editor_client.user, "cites the new source")
    assert not Source.objects.uncited().filter(pk=abandoned.pk).exists()


def test_a_list_whose_items_share_one_source_cites_it_once_under_the_list(client, db):
    shared, other = make_source(publisher="Shared Office"), make_source(publisher="Other Office")
    route = make_route()
    for n in range(3):
        EligibilityCriterion.objects.create(route=route, key=f"c{n}", text=f"Rule {n}.",
                                            position=n, source=shared)  # fmt: skip
    Blocker.objects.create(route=route, key="b0", text="Blocker 0.", position=0, source=shared)
    Blocker.objects.create(route=route, key="b1", text="Blocker 1.", position=1, source=other)
    page = client.get(route.get_absolute_url()).content.decode()
    criteria = page[page.index('id="criteria"') : page.index('id="blockers"')]
    blockers = page[page.index('id="blockers"') :]
    assert criteria.count("Shared Office") == 1
    assert "Source of each of these:" in criteria
    assert blockers.count('<p class="cited-list__source"><a class="source"') == 2
    assert "Source of each of these:" not in blockers[: blockers.index("</section>")]
