"""Full-text search over published routes.

On PostgreSQL: a stored, weighted search vector per route (name and acronym above the
summary, the summary above the body: overview, criteria and FAQ), kept current by
`update_search_vector()`, with a GIN index; ranked with `ts_rank`, plus trigram similarity
on the name and acronym so that a misspelling still finds its route; snippets from
`ts_headline`. The column, its index and the pg_trgm extension exist on PostgreSQL only
(migration 0005). On SQLite, a simpler scorer over the same fields gives the same top
results for everyday queries.

Snippets are built safely: hits are marked with sentinels, the text is escaped, and only
then do the sentinels become <mark> elements.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, Greatest
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import EligibilityCriterion, Route

MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 30
HIT_START, HIT_END = "\ue000", "\ue001"  # private-use characters: never in editors' text
TRIGRAM_THRESHOLD = 0.3
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "for", "from", "how", "i",
    "if", "in", "into", "is", "it", "my", "of", "on", "or", "the", "to", "what", "when",
    "which", "who", "with",
})  # fmt: skip
# "no job offer", "without a sponsor": what matters is that the route needs none.
NO_SPONSOR_INTENT = re.compile(
    r"\b(no|without|don'?t need|not need)\b.*\b(job offer|job|sponsor\w*|employer)\b", re.I
)

WEIGHTED_DOCUMENT_SQL = """
    setweight(to_tsvector('english', coalesce(r.name, '') || ' ' || coalesce(r.acronym, '')), 'A')
    || setweight(to_tsvector('english', coalesce(r.summary, '')), 'B')
    || setweight(to_tsvector('english',
        coalesce(r.overview, '') || ' '
        || coalesce((SELECT string_agg(c.text, ' ') FROM guides_eligibilitycriterion c
                     WHERE c.route_id = r.id), '') || ' '
        || coalesce((SELECT string_agg(f.question || ' ' || f.answer, ' ') FROM guides_faq f
                     WHERE f.route_id = r.id), '')), 'C')
"""


def uses_postgres():
    return connection.vendor == "postgresql"


def update_search_vector(route_ids=None):
    """Rebuild the stored search vector of some routes (all when None); PostgreSQL only."""
    if not uses_postgres():
        return
    where, params = ("WHERE r.id = ANY(%s)", [list(route_ids)]) if route_ids else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE guides_route r SET search_vector = {WEIGHTED_DOCUMENT_SQL} {where}", params
        )


def clean_query(text):
    """The query as the search uses it: no control characters (PostgreSQL refuses NUL),
    single spaces, and no longer than MAX_QUERY_LENGTH."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_terms(query):
    words = re.findall(r"[\w']+", query.lower())
    return [word for word in words if word not in STOPWORDS] or words


@dataclass
class Result:
    route: Route
    snippet: str


def search(query):
    """Published routes matching `query`, best first, each with a highlighted snippet."""
    query = clean_query(query)
    if not query_terms(query):
        return []
    return postgres_search(query) if uses_postgres() else simple_search(query)


# PostgreSQL ----------------------------------------------------------------------------


def postgres_search(query):
    search_query = SearchQuery(query, search_type="websearch", config="english")
    vector = RawSQL('"guides_route"."search_vector"', [], output_field=SearchVectorField())
    criteria = Subquery(
        EligibilityCriterion.objects.filter(route=OuterRef("pk"))
        .values("route")
        .annotate(text=StringAgg("text", " "))
        .values("text")
    )
    space, empty = Value(" ", output_field=TextField()), Value("", output_field=TextField())
    document = Concat(
        "summary", space, "overview", space, Coalesce(criteria, empty), output_field=TextField()
    )
    routes = (
        Route.objects.published()
        .for_listing()
        .annotate(
            rank=SearchRank(vector, search_query),
            similarity=Greatest(
                TrigramSimilarity("name", query), TrigramSimilarity("acronym", query)
            ),
        )
        .filter(Q(rank__gt=0) | Q(similarity__gte=TRIGRAM_THRESHOLD))
        .annotate(
            snippet=SearchHeadline(
                document,
                search_query,
                config="english",
                start_sel=HIT_START,
                stop_sel=HIT_END,
                max_words=SNIPPET_WORDS,
                min_words=15,
            )
        )
        .order_by((F("rank") + F("similarity")).desc(), "name")
    )
    results = [Result(route, safe_snippet(route.snippet)) for route in routes]
    return ranked(query, results, score=lambda r: r.route.rank + r.route.similarity)


# SQLite and other databases ------------------------------------------------------------


def simple_search(query):
    terms = query_terms(query)
    phrase = " ".join(terms)
    matches = Q()
    for term in terms:
        matches |= (
            Q(name__icontains=term)
            | Q(acronym__icontains=term)
            | Q(summary__icontains=term)
            | Q(overview__icontains=term)
            | Q(criteria__text__icontains=term)
            | Q(faqs__question__icontains=term)
            | Q(faqs__answer__icontains=term)
        )
    routes = (
        Route.objects.published()
        .filter(matches)
        .distinct()
        .for_listing()
        .prefetch_related("criteria", "faqs")
    )
    scored = []
    for route in routes:
        body = " ".join(
            [route.overview]
            + [criterion.text for criterion in route.criteria.all()]
            + [f"{faq.question} {faq.answer}" for faq in route.faqs.all()]
        )
        title = f"{route.name} {route.acronym}".lower()
        summary, lowered_body = route.summary.lower(), body.lower()
        score = sum(
            10 * count_words(title, term)
            + 4 * count_words(summary, term)
            + min(count_words(lowered_body, term), 5)
            for term in terms
        )
        if phrase in title:
            score += 20
        elif phrase in summary or phrase in lowered_body:
            score += 5
        if score:
            route.score = score
            text = next(
                (text for text in [route.summary, route.overview, body] if has_any(text, terms)),
                route.summary,
            )
            scored.append(Result(route, safe_snippet(mark_terms(excerpt(text, terms), terms))))
    return ranked(query, scored, score=lambda r: r.route.score)


def count_words(text, term):
    return len(re.findall(rf"\b{re.escape(term)}", text))


def has_any(text, terms):
    lowered = text.lower()
    return any(re.search(rf"\b{re.escape(term)}", lowered) for term in terms)


def excerpt(text, terms):
    """About SNIPPET_WORDS words of `text` around the first hit."""
    words = text.split()
    first = next(
        (i for i, word in enumerate(words) if has_any(word, terms)),
        0,
    )
    start = max(0, first - SNIPPET_WORDS // 3)
    chosen = " ".join(words[start : start + SNIPPET_WORDS])
    return ("… " if start else "") + chosen + (" …" if start + SNIPPET_WORDS < len(words) else "")


def mark_terms(text, terms):
    pattern = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.sub(rf"\b({pattern})\w*", rf"{HIT_START}\g<0>{HIT_END}", text, flags=re.I)


# Both -----------------------------------------------------------------------------------


def safe_snippet(text):
    """Escape the snippet, then turn the sentinels around each hit into <mark>."""
    escaped = escape(text or "")
    return mark_safe(escaped.replace(HIT_START, "<mark>").replace(HIT_END, "</mark>"))


# Words a route's name carries that a visitor may leave out: "skilled worker" is the
# Skilled Worker visa's whole name.
NAME_NOISE = frozenset({"visa", "pass", "scheme", "program", "programme", "permit"})


def plain_name(text):
    return " ".join(word for word in re.findall(r"[\w']+", text.lower()) if word not in NAME_NOISE)


def name_match(query, route):
    """0 when the route's name is the query (less words such as "visa") or its acronym is;
    1 when the name starts with it; 2 when it contains it; 3 otherwise."""
    wanted, name = plain_name(query), plain_name(route.name)
    if not wanted:
        return 3
    if name == wanted or route.acronym.lower() == query.lower().strip():
        return 0
    if name.startswith(wanted):
        return 1
    return 2 if wanted in name else 3


def intent_boost(query):
    return 1 if NO_SPONSOR_INTENT.search(query) else 0


def ranked(query, results, score):
    """Best first: for "no job offer"-style queries, routes that need no sponsor; then routes
    whose name is the query, starts with it or contains it; then by score."""
    sponsor_order = {"no": 0, "depends": 1, "": 2, "yes": 3}

    def key(result):
        intent = (
            sponsor_order.get(result.route.sponsorship_required, 2) if intent_boost(query) else 0
        )
        return (intent, name_match(query, result.route), -score(result), result.route.name)

    return sorted(results, key=key)
