"""The QMAS page on paper, printed by Chromium to PDF (written to artefacts/browser/ to look
at): the content alone, every answer open, every source's address readable, a few pages."""

import io
import re
import unicodedata

import pytest

pytestmark = pytest.mark.browser


def flat(text):
    """Text without its line breaks and spaces (a URL the PDF wraps reads whole again) and
    with the PDF's ligatures ("ﬀ") as letters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_printed_qmas_page(site, open_page, artefacts, scheme):
    from pypdf import PdfReader  # from the browser extra, which `make test` does not install

    page = open_page(1280, 800, scheme)
    page.goto(site + "/hong-kong/qmas/")
    addresses = page.locator("main a[href^='http']").evaluate_all("links => links.map(a => a.href)")
    answers = page.locator("#faq ~ details .details__text").all_text_contents()
    pdf = page.pdf(format="A4")
    (artefacts / f"qmas-printed-{scheme}.pdf").write_bytes(pdf)
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = "\n".join(printed.extract_text() for printed in pages)

    assert 2 <= len(pages) <= 3
    assert "Printed from https://routeguide.test/hong-kong/qmas/, last reviewed" in text
    assert "Quality Migrant Admission Scheme (QMAS)" in text
    assert "Key facts" in text and "Sources" not in text.split("Key facts")[0]
    for left_off in ["Route finder", "Search routes", "How we check our facts", "Skip to main"]:
        assert left_off not in text  # the header, the footer and their forms
    assert "Is something wrong" not in text
    assert len(answers) >= 3
    for answer in answers:
        assert flat(answer)[:80] in flat(text)  # printed open
    assert len(addresses) > 20
    for address in addresses:
        assert f"({flat(address)})" in flat(text)

    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
