"""A visitor checks their fit for QMAS on a 360 px phone with JavaScript off."""

import pytest

from guides.models import Assessment

pytestmark = pytest.mark.browser


def test_a_visitor_answers_the_general_points_test_on_a_phone(site, phone):
    gpt = Assessment.objects.get(route__slug="qmas", key="general-points-test")
    conditions = [f.key for f in gpt.factors.all() if f.required]
    criteria = [f.key for f in gpt.factors.all() if not f.required]
    phone.goto(site + "/hong-kong/qmas/")
    phone.locator("#key-facts ~ *").get_by_role("link", name="Check your fit").first.click()
    test = phone.locator("form.self-check").first
    for key in conditions + criteria[:7]:
        test.locator(f"input[name='{key}'][value='yes']").check()
    for key in criteria[7:]:
        test.locator(f"input[name='{key}'][value='no']").check()
    test.get_by_role("button", name="See my result").click()
    assert "test=general-points-test" in phone.url
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    result = phone.locator(".self-check-result")
    assert "You meet 7 of the 12 criteria; 6 are needed to apply." in result.inner_text()
    assert "does not guarantee approval" in result.inner_text()
    assert result.locator("a.source").count() == len(conditions) + len(criteria)
