"""The seed content says what the fact sheets' second check (25 November 2026) found."""

import html
import re

import pytest

from guides.models import Route

SEVEN_YEAR_ROUTES = ["qmas", "ttps", "gep", "techtas", "iang", "asmtp"]


def text_of(client, path, section=None):
    """A page's visible text, or that of one section of a route page (by its heading id)."""
    page = client.get(path).content.decode()
    assert page, path
    page = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    if section:
        start = page.index(f'id="{section}"')
        page = page[start : page.index("</section>", start)]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def notice_of(client, path):
    page = client.get(path).content.decode()
    notice = page[page.index('class="warning"') :]
    return re.sub(
        r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", notice[: notice.index("</div>")]))
    )


def test_s_pass_gives_the_newer_processing_time(client, seeded):
    facts = text_of(client, "/singapore/s-pass/", "key-facts")
    assert "within 10 business days" in facts
    assert "4 November 2024" in facts
    assert "3 weeks" not in text_of(client, "/singapore/s-pass/")


def test_salary_notices_name_the_budget_statement_and_both_dates(client, seeded):
    for path in ["/singapore/employment-pass/", "/singapore/s-pass/"]:
        notice = notice_of(client, path)
        assert "12 February 2026" in notice, path
        assert "1 January 2027" in notice and "1 January 2028" in notice, path
        assert "Committee of Supply" not in notice, path
        assert "(secondary source: news report)" in notice, path


def test_dependants_pass_gives_one_pass_families_four_weeks(client, seeded):
    page = text_of(client, "/singapore/dependants-pass/")
    assert "4 weeks" in page
    step = text_of(client, "/singapore/dependants-pass/", "pathway")
    assert "ONE Pass" in step and "4 weeks" in step


def test_skilled_worker_gives_no_unsourced_start_date(client, seeded):
    assert client.get("/united-kingdom/skilled-worker/").status_code == 200
    page = text_of(client, "/united-kingdom/skilled-worker/")
    assert "Skilled Worker visa" in page
    assert "1 December 2020" not in page
    assert "Tier 2" not in page


def test_graduate_visa_warns_of_the_change_to_18_months(client, seeded):
    notice = notice_of(client, "/united-kingdom/graduate/")
    assert "18 months" in notice and "1 January 2027" in notice
    assert "(secondary source: news report)" in notice
    graduate = Route.objects.get(jurisdiction__slug="united-kingdom", slug="graduate")
    assert graduate.review_cycle_months == 1


def test_uk_advice_note_cites_the_regulator_and_links_no_guidance_as_a_register(client, seeded):
    advice = text_of(client, "/united-kingdom/skilled-worker/", "advice")
    assert "Find a regulated adviser" not in advice
    assert "Immigration Advice Authority" in advice
    assert "Source: Home Office (GOV.UK)" in advice


@pytest.mark.parametrize("slug", SEVEN_YEAR_ROUTES)
def test_seven_years_to_permanent_residence_is_cited(client, seeded, slug):
    facts = text_of(client, f"/hong-kong/{slug}/", "key-facts")
    row = facts[facts.index("Leads to permanent residence") :]
    assert "7 years" in row
    assert "Chief Executive's Policy Address" in row
    assert "19 October 2022" in row


def test_hong_kong_summary_cites_its_seven_years(client, seeded):
    page = text_of(client, "/hong-kong/")
    assert "7 years" in page
    assert "Source: Hong Kong SAR Government (Chief Executive's Policy Address)" in page


def test_ttps_states_no_unverified_quota_or_yearly_update(client, seeded):
    page = text_of(client, "/hong-kong/ttps/")
    assert "10,000" not in page
    assert "every year" not in page
    assert "top 100" in page


def test_start_up_visa_notice_gives_no_dates_from_a_summary(client, seeded):
    notice = notice_of(client, "/canada/start-up-visa/")
    assert "(official document, reproduced on another site)" in notice
    assert not re.search(r"\b20(25|26)\b", notice.split("Source:")[0])
