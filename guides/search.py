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
from functools import reduce
from operator import add, or_

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, Greatest
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import FAQ, EligibilityCriterion, Route, SearchSynonym

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
                     WHERE f.route_id = r.id), '') || ' '
        || concat_ws(' ', r.sponsorship_note, r.permanent_residency_note, r.processing_time,
                     r.partner_note, r.partner_work_note, r.children_note)), 'C')
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


# Question words that ask for one key fact: the snippet then shows that fact.
QUESTIONS = {
    "how long": ("processing_time", "How long it takes to get a decision"),
    "how much": ("fees", "What it costs"),
    "cost": ("fees", "What it costs"),
    "fee": ("fees", "What it costs"),
    "can my": ("family_summary", "Your partner and children"),
    "bring my": ("family_summary", "Your partner and children"),
}


def asked_fact(query):
    """(field, label) of the key fact a question asks for, or None."""
    words = " ".join(re.findall(r"[\w']+", query.lower()))
    lowered = f" {words} "
    return next((fact for words, fact in QUESTIONS.items() if f" {words} " in lowered), None)


def word_groups(query):
    """The query as groups of alternatives, one group a word (or a phrase that has a
    synonym): a route matches a group if it has any of its words. Synonyms are data that
    editors keep (SearchSynonym): "husband" also looks for "spouse"."""
    lowered = " ".join(re.findall(r"[\w']+", query.lower()))
    for words in QUESTIONS:
        lowered = re.sub(rf"\b{words}\b", " ", lowered) if " " in words else lowered
    synonyms = {}
    for word, means in SearchSynonym.objects.values_list("word", "means"):
        synonyms.setdefault(word, []).append(means)
    groups = []
    for phrase in [word for word in synonyms if " " in word and f" {word} " in f" {lowered} "]:
        groups.append((phrase, *synonyms[phrase]))
        lowered = f" {lowered} ".replace(f" {phrase} ", " ")
    for term in query_terms(lowered) if lowered.strip() else []:
        groups.append((term, *synonyms.get(term, [])))
    return groups


@dataclass
class Result:
    route: Route
    snippet: str | None


def search(query):
    """Published routes matching `query`, best first. On PostgreSQL each result holds only
    what ranking reads: `shown()` completes the results of the page a visitor sees."""
    query = clean_query(query)
    groups = word_groups(query) if query_terms(query) else []
    if not groups:
        return []
    return postgres_search(query, groups) if uses_postgres() else simple_search(query, groups)


def shown(results, query):
    """The results of one page, complete: the whole route, and its snippet (the key fact a
    question asks for, or an excerpt with the hits marked)."""
    if uses_postgres() and results:
        complete_from_postgres(results, query)
    fact = asked_fact(query)
    if fact:
        field, label = fact
        for result in results:
            answer = getattr(result.route, field)
            answer = answer() if callable(answer) else answer
            if answer:
                result.snippet = safe_snippet(excerpt(f"{label}: {answer}", []))
    return results


# PostgreSQL ----------------------------------------------------------------------------


def any_of(alternatives):
    """One query that matches any of the alternatives, a phrase as a phrase."""
    queries = [
        SearchQuery(alt, search_type="phrase" if " " in alt else "plain", config="english")
        for alt in alternatives
    ]
    return reduce(or_, queries)


def postgres_query(groups):
    return reduce(or_, [any_of(group) for group in groups])


def postgres_search(query, groups):
    search_query = postgres_query(groups)
    vector = RawSQL('"guides_route"."search_vector"', [], output_field=SearchVectorField())
    # How many of the query's words (each with its synonyms) the route has.
    matched = reduce(
        add,
        [
            Case(
                When(Q(vector=any_of(group)), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for group in groups
        ],
    )
    routes = (
        Route.objects.published()
        .only("name", "acronym", "sponsorship_required")
        .annotate(vector=vector)
        # Each condition has an index: the search vector's GIN index, and trigram indexes for
        # a misspelt name or acronym.
        .filter(
            Q(vector=search_query)
            | Q(name__trigram_similar=query)
            | Q(acronym__trigram_similar=query)
        )
        .annotate(
            rank=SearchRank(vector, search_query),
            similarity=Greatest(
                TrigramSimilarity("name", query), TrigramSimilarity("acronym", query)
            ),
            matched=matched,
        )
        .order_by((F("rank") + F("similarity")).desc(), "name")
    )
    results = [Result(route, None) for route in routes]
    return ranked(query, groups, results, score=lambda r: r.route.rank + r.route.similarity)


def complete_from_postgres(results, query):
    """The routes of the results shown, with their highlighted excerpts, in one query: a
    common word matches thousands of routes in a large catalogue, and `ts_headline` reads
    each route's text."""
    groups = word_groups(query)
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
        .filter(pk__in=[result.route.pk for result in results])
        .annotate(
            snippet=SearchHeadline(
                document,
                postgres_query(groups),
                config="english",
                start_sel=HIT_START,
                stop_sel=HIT_END,
                max_words=SNIPPET_WORDS,
                min_words=15,
            )
        )
        .in_bulk()
    )
    # A route unpublished or deleted since the results were ranked is left out.
    results[:] = [result for result in results if result.route.pk in routes]
    for result in results:
        result.route = routes[result.route.pk]
        result.snippet = safe_snippet(result.route.snippet)


# SQLite and other databases ------------------------------------------------------------


# The route's own fields that search reads besides its name and summary.
NOTE_FIELDS = [
    "overview",
    "sponsorship_note",
    "permanent_residency_note",
    "processing_time",
    "partner_note",
    "partner_work_note",
    "children_note",
]


def simple_search(query, groups):
    alternatives = {alternative for group in groups for alternative in group}
    # Items in subqueries, not joins: joined, a route would be read once per item.
    matches = reduce(
        or_,
        (
            Q(name__icontains=alt)
            | Q(acronym__icontains=alt)
            | Q(summary__icontains=alt)
            | Q(pk__in=EligibilityCriterion.objects.filter(text__icontains=alt).values("route"))
            | Q(
                pk__in=FAQ.objects.filter(
                    Q(question__icontains=alt) | Q(answer__icontains=alt)
                ).values("route")
            )
            | reduce(or_, (Q(**{f"{field}__icontains": alt}) for field in NOTE_FIELDS))
            for alt in alternatives
        ),
    )
    routes = (
        Route.objects.published().filter(matches).for_listing().prefetch_related("criteria", "faqs")
    )
    phrase = " ".join(query_terms(query))
    scored = []
    for route in routes:
        body = " ".join(
            [getattr(route, field) for field in NOTE_FIELDS]
            + [criterion.text for criterion in route.criteria.all()]
            + [f"{faq.question} {faq.answer}" for faq in route.faqs.all()]
        )
        title = f"{route.name} {route.acronym}".lower()
        summary, lowered_body = route.summary.lower(), body.lower()

        texts = (title, summary, lowered_body)
        group_scores = [max(weight(texts, alt) for alt in group) for group in groups]
        score = sum(group_scores)
        if phrase in title:
            score += 20
        elif phrase in summary or phrase in lowered_body:
            score += 5
        if score:
            route.score, route.matched = score, sum(1 for found in group_scores if found)
            text = next(
                (
                    text
                    for text in [route.summary, route.overview, body]
                    if has_any(text, alternatives)
                ),
                route.summary,
            )
            snippet = mark_terms(excerpt(plain_text(text), alternatives), alternatives)
            scored.append(Result(route, safe_snippet(snippet)))
    return ranked(query, groups, scored, score=lambda r: r.route.score)


def weight(texts, term):
    """How much a term counts in a route: a hit in the name most, then the summary, then
    (up to five hits) the rest."""
    title, summary, body = texts
    return (
        10 * count_words(title, term)
        + 4 * count_words(summary, term)
        + min(count_words(body, term), 5)
    )


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


def plain_text(text):
    """Markdown as a reader sees it: no **, #, list marks or link syntax."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text or "")
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?m)^\s*(#+|[-*+]|\d+\.)\s+", "", text)
    return re.sub(r"(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)", "", text)


def safe_snippet(text):
    """Escape the snippet, then turn the sentinels around each hit into <mark>. Markdown
    syntax never shows."""
    escaped = escape(plain_text(text or ""))
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


def ranked(query, groups, results, score):
    """Best first: for "no job offer"-style queries, routes that need no sponsor; then routes
    whose name is the query, starts with it or contains it; then routes that have every word
    of the query (or a synonym) before those that have some; then by score."""
    sponsor_order = {"no": 0, "depends": 1, "": 2, "yes": 3}

    def key(result):
        route = result.route
        intent = sponsor_order.get(route.sponsorship_required, 2) if intent_boost(query) else 0
        return (intent, name_match(query, route), -route.matched, -score(result), route.name)

    return sorted(results, key=key)
