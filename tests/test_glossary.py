"""/glossary/: the site's words explained and cited; a route page links each term's first use."""

from types import SimpleNamespace

from django.urls import reverse

from guides.glossary import GlossaryLinker
from guides.models import GlossaryTerm


def term(pk, name, also=""):
    return SimpleNamespace(
        pk=pk,
        forms=lambda: sorted([name, *filter(None, also.split(", "))], key=len, reverse=True),
        get_absolute_url=lambda: f"/glossary/#{pk}",
    )


def test_the_glossary_explains_each_term_with_its_source(client, seeded):
    response = client.get("/glossary/")
    page = response.content.decode()
    assert response.status_code == 200
    for entry in GlossaryTerm.objects.select_related("source"):
        assert f'<dt id="{entry.slug}">' in page
        assert f'href="{entry.source.url}"' in page
    assert 'href="/glossary/"' in client.get("/").content.decode()  # the footer
    assert "/glossary/" in client.get("/sitemap-pages.xml").content.decode()


def test_a_route_page_links_the_first_use_of_a_term_only(client, seeded):
    page = client.get("/hong-kong/qmas/").content.decode()
    link = f'<a href="{reverse("guides:glossary")}#continuous-ordinary-residence"'
    assert page.count(link) == 1
    assert page.lower().count("continuous ordinary residence") > 1


def test_the_linker_escapes_text_and_links_once_per_page():
    linker = GlossaryLinker([term(1, "sponsor", "sponsorship"), term(2, "PR")])
    first = linker.link("You need a sponsor <b>now</b>; a sponsor again. PR later.")
    assert first.count('href="/glossary/#1"') == 1 and first.count('href="/glossary/#2"') == 1
    assert "&lt;b&gt;now&lt;/b&gt;" in first
    assert "glossary-link" not in linker.link("Another sponsor, and PR.")
    assert "glossary-link" not in GlossaryLinker([term(3, "pass")]).link("A passage, bypassed.")


def test_the_linker_prefers_longer_terms_and_never_touches_markup_or_entities():
    linker = GlossaryLinker([term(1, "sponsor licence"), term(2, "sponsor"), term(3, "amp")])
    html = linker.link("Get a sponsor licence. Your sponsor applies. R&D & co.")
    assert html.count('href="/glossary/#1"') == 1 and html.count('href="/glossary/#2"') == 1
    assert ">sponsor licence</a>" in html and "Your <a" in html
    assert "R&amp;D &amp; co." in html and "#3" not in html
