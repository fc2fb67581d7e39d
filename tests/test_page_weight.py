"""Page weight: the richest route page and the stylesheet stay small, with no script or font."""

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse

from guides.views import drop_template_indentation

QMAS = "/hong-kong/qmas/"  # the route with the most items, notes and sources


def test_the_richest_route_page_is_under_40_kb_and_needs_no_script_or_font(client, seeded):
    page = client.get(QMAS).content
    assert len(page) < 40 * 1024
    text = page.decode()
    assert "<script src" not in text and "<script>" not in text  # JSON-LD data only
    assert "@font-face" not in text and "fonts.googleapis" not in text


def test_the_stylesheet_is_under_20_kb_and_loads_no_font():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    assert len(css.encode()) < 20 * 1024
    assert "@font-face" not in css and "@import" not in css


def test_template_indentation_is_dropped_but_not_where_whitespace_shows(client, seeded):
    page = client.get(QMAS).content.decode()
    assert "\n " not in page
    assert "\n\n" not in page
    for shown in ["<pre>\n  indented code\n</pre>", '<textarea name="m">\n  kept</textarea>']:
        response = HttpResponse(f"<main>\n    {shown}</main>")
        assert drop_template_indentation(response).content.decode() == f"<main>\n    {shown}</main>"
    assert drop_template_indentation(HttpResponse("<p>\n\n   a</p>")).content == b"<p>\na</p>"
