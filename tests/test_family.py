"""Your partner and children: on every route page, cited, in comparisons and in the finder."""

import pytest
from django.db import IntegrityError, transaction

from guides.finder import Answers, Fit, RouteFacts, verdict
from guides.models import Route

from .test_editing_together import change_url, load, post


def family_section(client, route):
    page = client.get(route.get_absolute_url()).content.decode()
    return page, page.split('id="family"')[1].split("</section>")[0]


def test_every_route_page_has_the_family_section_in_its_contents(client, seeded):
    for route in Route.objects.published():
        page, section = family_section(client, route)
        assert 'href="#family"' in page, route
        assert "Your partner" in section and "Your children" in section, route


def test_a_confirmed_fact_is_cited_and_an_unconfirmed_one_says_where_to_check(client, seeded):
    qmas = Route.objects.get(slug="qmas")
    _, section = family_section(client, qmas)
    assert "Yes — Your spouse can come" in section
    assert "Children under 18 can come." in section
    assert f'href="{qmas.family_source.url}"' in section
    assert f'href="{qmas.dependant_fee_source.url}"' in section  # the fee cites its own source
    assert f'href="{qmas.dependants_route.get_absolute_url()}"' in section
    skilled_worker = Route.objects.get(slug="skilled-worker")
    _, section = family_section(client, skilled_worker)
    assert section.count("Not confirmed: check the official page.") == 5
    assert f'href="{skilled_worker.official_links.first().url}"' in section


def test_family_facts_without_a_source_are_refused(publisher_client, seeded):
    qmas = Route.objects.get(slug="qmas")
    form = load(publisher_client, change_url(qmas))
    response = post(publisher_client, change_url(qmas), form, family_source="")
    assert response.status_code == 200
    assert "Facts about the family must cite their source." in response.content.decode()
    with pytest.raises(IntegrityError), transaction.atomic():
        Route.objects.filter(pk=qmas.pk).update(dependant_fee_source=None)


def test_the_comparison_has_a_family_row(client, seeded):
    page = client.get("/compare/", {"routes": "hong-kong/qmas,united-kingdom/skilled-worker"})
    row = page.content.decode().split('<th scope="row">Your partner and children</th>')[1]
    row = row.split("</tr>")[0]
    assert "Partner can come: Yes. Partner may work: not confirmed. Children: under 18." in row
    assert "Not confirmed: refer to the official page." in row


@pytest.mark.parametrize(
    "come, work, moving, fit",
    [
        ("yes", "yes", "works", Fit.FITS),
        ("yes", "", "works", Fit.MAY_FIT),
        ("yes", "no", "works", Fit.DOES_NOT_FIT),
        ("no", "", "comes", Fit.DOES_NOT_FIT),
        ("", "", "comes", Fit.MAY_FIT),
        ("no", "no", "", Fit.FITS),
    ],
)
def test_moving_with_a_partner_in_the_finder(come, work, moving, fit):
    route = RouteFacts(key="a/b", partner_can_come=come, partner_can_work=work)
    assert verdict(route, Answers(partner=moving)).fit is fit


def test_the_finder_asks_about_a_partner_who_wants_to_work(client, seeded):
    page = client.get("/finder/", {"partner": "works", "jurisdictions": "hong-kong"})
    page = page.content.decode()
    may_fit = page.split(">Routes that may fit")[1].split(">Routes that do not fit")[0]
    assert "/hong-kong/qmas/" in may_fit and "Your partner can come with you" in may_fit
    assert "We have not confirmed whether your partner may work" in may_fit
