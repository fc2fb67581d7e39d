"""Hostile input: odd requests to every public URL answer 4xx or the page, never a 5xx;
hostile text in every field an editor fills leaves every page safe; oversized or malformed
form input is a form error that saves nothing."""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guides.markdown import render_markdown
from guides.models import ProblemReport, Route, Source

from .factories import add_parts, make_route, make_source

HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


def public_patterns(resolver=None, prefix=""):
    """Every URL pattern outside the admin, as a route string such as `<slug:slug>/report/`."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(pattern, URLResolver):
            yield from public_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


PATTERNS = sorted(set(public_patterns()))
# What a path converter may be given: ordinary slugs, the seed's own, and junk.
SEGMENTS = st.one_of(
    st.sampled_from(["hong-kong", "qmas", "sam-parks", "software-engineer", "updates", "x"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40).map(
        lambda text: "".join(f"%{byte:02X}" for byte in text.encode())
    ),
    st.from_regex(r"[A-Za-z0-9_-]{1,300}", fullmatch=True),
)
QUERY = st.lists(
    st.tuples(
        st.sampled_from(["q", "page", "routes", "age", "nationality", "jurisdictions", "test",
                         "purposes", "sort", "x", "age-18", "category"]),
        st.text(max_size=200),
    ),
    max_size=8,
)  # fmt: skip


def fill(pattern, segments):
    values = iter(segments)
    return "/" + re.sub(r"<[^>]+>", lambda _: next(values), pattern)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pattern=st.sampled_from(PATTERNS),
    segments=st.lists(SEGMENTS, min_size=3, max_size=3),
    query=QUERY,
    method=st.sampled_from(["get", "head", "post", "put", "delete", "options"]),
)
def test_odd_requests_to_every_public_url_never_answer_5xx(
    seeded, pattern, segments, query, method
):
    client = Client(raise_request_exception=False)
    address = f"{fill(pattern, segments)}?{urlencode(query)}"
    body = urlencode(query)
    if method == "post":
        response = client.post(address, body, "application/x-www-form-urlencoded", **HTTPS)
    else:
        response = getattr(client, method)(address, **HTTPS)
    assert response.status_code < 500, (method, address)


NASTY = [
    "/hong-kong/qmas/%00/",
    "/search/?q=%00%00",
    "/search/?q=" + "x" * 8192,
    "/routes/?" + "&".join(["jurisdiction=hong-kong"] * 200),
    "/" + "a" * 10_000 + "/",
    "/hong-kong/..%2f..%2fetc%2fpasswd/",
    "/%ff%fe%c0%af/",
    "/finder/?age=99999999999999999999999&nationality=%00",
    "/compare/?routes=" + ",".join(["hong-kong/qmas"] * 500),
    "/compare/%00-vs-%ff/",
    "/compare/?routes=%00/x,hong-kong/%00qmas",
    "/hong-kong/qmas/self-assessment/?test=%00&age-18=" + "y" * 5000,
    "/search/?q=' OR 1=1; DROP TABLE guides_route; --",
    "/routes/?page=-1",
    "/routes/?page=99999999999999999999",
    "/sources/?page=abc&kind=%ff",
]


@pytest.mark.parametrize("path", NASTY)
def test_nasty_requests_answer_4xx_or_the_page(seeded, path):
    response = Client(raise_request_exception=False).get(path, **HTTPS)
    assert response.status_code < 500
    assert Route.objects.filter(slug="qmas").exists()


def test_odd_headers_answer_4xx_or_the_page(seeded):
    client = Client(raise_request_exception=False)
    assert client.get("/", HTTP_HOST="evil.example", **HTTPS).status_code == 400
    assert client.get("/", HTTP_HOST="local host", **HTTPS).status_code == 400
    for language in ["", "*", "xx-XX;q=abc", "en-GB," * 500, "\u202e\u200b", "zh-Hant-TW;q=0.9"]:
        response = client.get("/hong-kong/qmas/", HTTP_ACCEPT_LANGUAGE=language, **HTTPS)
        assert response.status_code == 200
    assert client.put("/hong-kong/qmas/", **HTTPS).status_code == 405
    assert client.delete("/", **HTTPS).status_code == 405


HOSTILE = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    "[a link](javascript:alert(1)) and [another](data:text/html;base64,PHNjcmlwdD4=)",
    "<div><p>unbalanced <b>html",
    "\u202eRTL override\u202c and zero\u200bwidth\u200d marks, \U0001f680 emoji",
    '"><svg onload=alert(1)>',
    "</textarea></script><!--",
]


def hostile_text(field, number):
    """A hostile string as long as `field` takes; 100 KB in a text field."""
    text = HOSTILE[number % len(HOSTILE)]
    if isinstance(field, models.TextField):
        return (text + " ") * (100_000 // len(text))
    return text[: field.max_length]


def fill_text_fields(obj):
    fields = [
        field
        for field in obj._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and not isinstance(field, models.SlugField | models.URLField | models.EmailField)
        and field.name not in {"acronym", "key"}
    ]
    for number, field in enumerate(fields):
        setattr(obj, field.name, hostile_text(field, number))
    obj.save()


def make_hostile_route():
    """A published route whose every text field, and its parts', holds hostile text."""
    route = add_parts(make_route(purpose="work"), 2)
    source = make_source()
    for field in Route._meta.concrete_fields:
        if field.related_model is Source:  # hostile facts are cited facts
            setattr(route, field.name, source)
    for obj in [
        route,
        *route.criteria.all(),
        *route.blockers.all(),
        *route.faqs.all(),
        *route.steps.all(),
        *route.evidence.all(),
        *route.official_links.all(),
    ]:
        fill_text_fields(obj)  # fmt: skip
    route.refresh_from_db()
    return route


def test_hostile_text_in_every_field_leaves_every_page_safe(client, db):
    route = make_hostile_route()
    for path in [route.get_absolute_url(), route.jurisdiction.get_absolute_url(), "/routes/",
                 "/search/?q=alert", f"/compare/?routes={route.jurisdiction.slug}/{route.slug}",
                 "/feeds/updates/", "/sitemap.xml"]:  # fmt: skip
        response = client.get(path, **HTTPS)
        assert response.status_code == 200, path
        tags = Tags()
        tags.feed(response.content.decode())
        assert set(tags.scripts) <= {"application/ld+json"}, path
        assert not tags.handlers and not tags.unsafe_links, (path, tags.handlers, tags.unsafe_links)
        assert not {"svg", "img", "iframe", "object"} & tags.names, path


class Tags(HTMLParser):
    """What a browser would make of a page's tags: their names, the types of its scripts,
    event handler attributes, and links or sources to `javascript:` or `data:`."""

    def __init__(self):
        super().__init__()
        self.names, self.scripts, self.handlers, self.unsafe_links = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        self.names.add(tag)
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes.get("type"))
        self.handlers += [name for name in attributes if name.startswith("on")]
        self.unsafe_links += [
            value
            for name, value in attrs
            if name in {"href", "src", "action", "formaction"}
            and re.match(r"\s*(javascript|data|vbscript):", value or "", re.IGNORECASE)
        ]


def test_oversized_or_malformed_form_input_is_a_form_error_that_saves_nothing(seeded):
    client = Client()
    before = ProblemReport.objects.count()
    for message in ["", "x" * 1_000_000, "\x00" * 10]:
        response = client.post(
            "/hong-kong/qmas/report/", {"message": message, "email": "reader@example.org"}, **HTTPS
        )
        assert response.status_code == 200
        assert "message" in response.context["form"].errors
    assert ProblemReport.objects.count() == before
    for path in ["/finder/?age=abc&nationality=ZZ&purposes=fly",
                 "/hong-kong/qmas/self-assessment/?test=general-points-test&age-18=perhaps",
                 "/compare/?routes=nowhere/nothing,hong-kong/qmas"]:  # fmt: skip
        assert client.get(path, **HTTPS).status_code == 200


def test_the_markdown_preview_answers_staff_only_and_uploads_are_not_routed(client, db):
    preview = client.post("/markdownx/markdownify/", {"content": "**x**"}, **HTTPS)
    assert preview.status_code in (302, 403)
    # Its upload view is not routed: the address is an unknown route page.
    assert client.get("/markdownx/upload/", **HTTPS).status_code == 404


def test_a_link_to_a_script_keeps_its_text_and_loses_its_tag():
    assert render_markdown("[a](javascript:alert(1)) [b](data:,x) [c](https://x.org)") == (
        '<p>a b <a href="https://x.org" rel="noopener noreferrer">c</a></p>'
    )


def test_an_abbreviation_is_not_taken_for_a_link():
    assert render_markdown('<abbr title="Hong Kong ID">HKID</abbr> [x](javascript:y)') == (
        '<p><abbr title="Hong Kong ID">HKID</abbr> x</p>'
    )
