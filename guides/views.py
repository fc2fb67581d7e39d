import logging
import re
import sys
from collections import Counter
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.mixins import UserPassesTestMixin
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.views import View, defaults
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, FormView, ListView, TemplateView
from markdownx.views import MarkdownifyView

from routes_site.middleware import maintenance_retry_seconds

from .citations import citations_of, pages_of
from .comparisons import (
    MOST_COMPARED,
    compare_url,
    comparison_rows,
    comparisons_for_page,
    finder_facts,
    jurisdiction_pair,
    jurisdictions_side_by_side,
    route_key,
    routes_to_add,
    routes_to_compare,
)
from .finder import Fit, verdict
from .forms import (
    FinderForm,
    ProblemReportForm,
    RouteFilterForm,
    SelfAssessmentForm,
    SourceFilterForm,
)
from .glossary import GlossaryLinker
from .models import (
    Assessment,
    Author,
    Category,
    ContentVersion,
    GlossaryTerm,
    Jurisdiction,
    ProblemReport,
    Profession,
    Route,
    Source,
)
from .models.catalogue import SOURCE_CONFIRMATION_MONTHS
from .models.routes import prefetch_page
from .reports import client_address, hash_address
from .scoring import outcome, score, what_would_change
from .search import clean_query, search, shown
from .sections import route_sections
from .seo import absolute_url, jurisdiction_structured_data, route_structured_data
from .sitemaps import SITEMAPS

# A CDN in front may serve a page up to this long after it changed: a minute fresh, then
# a minute more while it fetches the new one (docs/performance.md).
PUBLIC_MAX_AGE = 60
PUBLIC_STALE_WHILE_REVALIDATE = 60

logger = logging.getLogger(__name__)


TEMPLATE_INDENTATION = re.compile(rb"\n\s+")


def drop_template_indentation(response):
    """Each run of blank lines and indentation left by the templates becomes one newline,
    which the page shows the same; about 5% of a route page. Not where whitespace shows:
    preformatted text and form fields."""
    content = response.content
    if response.get("Content-Type", "").startswith("text/html") and not re.search(
        rb"<(pre|textarea)\b", content
    ):
        response.content = TEMPLATE_INDENTATION.sub(b"\n", content)
    return response


def public_page(view):
    """A page for everyone: the page cache keeps it (guides/page_cache.py), and browsers and
    CDNs may keep it briefly, then revalidate it cheaply with its ETag. A response that
    already says how to cache it (a preview) keeps its say."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.add_post_render_callback(drop_template_indentation)
        elif not response.streaming:
            drop_template_indentation(response)
        if not response.has_header("Cache-Control"):
            patch_cache_control(
                response,
                public=True,
                max_age=PUBLIC_MAX_AGE,
                stale_while_revalidate=PUBLIC_STALE_WHILE_REVALIDATE,
            )
        return response

    return wrapped


private_page = cache_control(private=True, no_store=True)

HOME_PROFESSIONS = 8
HOME_RECENT_ROUTES = 5


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    kind: str = "website"
    noindex: bool = False


class PageMetaMixin:
    """Puts the page's title and description, from the model, in the context as `meta`."""

    meta_kind = "website"

    def get_meta(self):
        return PageMeta(self.object.page_title(), self.object.page_description(), self.meta_kind)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meta=self.get_meta(), **kwargs)


def conditional_page(request, page, render_page):
    """304 when the visitor already has this version of `page` (its stored `page_version()`
    and the release of the code), else `render_page()` with its ETag and Last-Modified.
    Django's `condition()` would read the version in a query of its own, twice."""
    tag, changed = page.page_version()
    etag = quote_etag(f"{settings.RELEASE}-{tag}")
    last_modified = int(changed.timestamp())
    response = (
        get_conditional_response(request, etag=etag, last_modified=last_modified) or render_page()
    )
    response.headers.setdefault("ETag", etag)
    response.headers.setdefault("Last-Modified", http_date(last_modified))
    return response


def moved_or_missing(request, found):
    """301 to where an old address went, 410 for a deleted route, else 404."""
    if found.target and found.target.get_absolute_url() != request.path:
        return redirect(found.target, permanent=True)
    if found.gone:
        return render(request, "410.html", status=410)
    raise Http404


@method_decorator(public_page, "dispatch")
class HomeView(ListView):
    template_name = "guides/home.html"
    context_object_name = "jurisdictions"

    def get_queryset(self):
        return Jurisdiction.objects.with_route_counts()

    def get_context_data(self, **kwargs):
        meta = PageMeta(
            "Immigration routes, explained and cited",
            "Clear guides to visas, permits and schemes: who each is for, what it takes and "
            "where to apply, with every claim linked to its official source.",
        )
        return super().get_context_data(
            meta=meta,
            categories=Category.objects.with_route_counts(),
            professions=Profession.objects.with_route_counts().order_by("-route_count", "name")[
                :HOME_PROFESSIONS
            ],
            recently_updated=Route.objects.published()
            .for_listing()
            .order_by("-content_updated_at", "name")[:HOME_RECENT_ROUTES],
            **kwargs,
        )


@method_decorator(public_page, "dispatch")
class JurisdictionListView(ListView):
    template_name = "guides/jurisdictions.html"
    context_object_name = "jurisdictions"

    def get_queryset(self):
        return Jurisdiction.objects.with_route_counts().select_related("summary_source")

    def get_context_data(self, **kwargs):
        meta = PageMeta(
            "Jurisdictions",
            "Every country and territory Route Guide covers, with its number of routes.",
        )
        crumbs = [("Home", reverse("guides:home")), ("Jurisdictions", self.request.path)]
        return super().get_context_data(meta=meta, crumbs=crumbs, **kwargs)


def filters_query_string(request):
    """The list's filters as a query string, for the links to its other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@method_decorator(public_page, "dispatch")
class RouteListView(ListView):
    """Every published route, filtered by a plain GET form, sorted and paginated."""

    template_name = "guides/route_list.html"
    context_object_name = "routes"
    paginate_by = 20

    def get_queryset(self):
        self.form = RouteFilterForm(
            self.request.GET,
            jurisdictions=Jurisdiction.objects.all(),
            categories=Category.objects.all(),
            professions=Profession.objects.all(),
        )
        return self.form.filter(Route.objects.published().for_listing())

    def get_context_data(self, **kwargs):
        filtered = self.form.applied()
        meta = PageMeta(
            "All routes" + (" (filtered)" if filtered else ""),
            "Browse every immigration route we cover, by jurisdiction, category, sponsorship, "
            "settlement and profession.",
            noindex=filtered,
        )
        crumbs = [("Home", reverse("guides:home")), ("All routes", self.request.path)]
        unmatched = []
        if filtered and not self.form.cleaned_data.get("jurisdiction"):
            # Say which jurisdictions have no match, rather than leave them silently out.
            unmatched = (
                Jurisdiction.objects.filter(routes__in=Route.objects.published())
                .exclude(pk__in=self.object_list.values("jurisdiction"))
                .distinct()
            )
        return super().get_context_data(
            form=self.form,
            meta=meta,
            crumbs=crumbs,
            query_string=filters_query_string(self.request),
            filtered=filtered,
            summary=self.form.summary(),
            unmatched=unmatched,
            **kwargs,
        )


@method_decorator(public_page, "dispatch")
class SearchView(TemplateView):
    template_name = "guides/search.html"
    per_page = 10

    def get_context_data(self, **kwargs):
        query = clean_query(self.request.GET.get("q", ""))
        results = search(query) if query else []
        page = Paginator(results, self.per_page).get_page(self.request.GET.get("page"))
        page.object_list = shown(list(page.object_list), query)
        meta = PageMeta(
            f"Search: {query}" if query else "Search",
            "Search every immigration route we cover.",
            noindex=True,
        )
        crumbs = [("Home", reverse("guides:home")), ("Search", self.request.path)]
        return super().get_context_data(
            query=query,
            page_obj=page,
            result_count=len(results),
            query_string=urlencode({"q": query}),
            meta=meta,
            crumbs=crumbs,
            **kwargs,
        )


@method_decorator(public_page, "dispatch")
class SourceListView(ListView):
    """The public register of every source the site cites, with the pages that cite each."""

    template_name = "guides/sources.html"
    context_object_name = "sources"
    paginate_by = 50

    def get_queryset(self):
        self.form = SourceFilterForm(self.request.GET, jurisdictions=Jurisdiction.objects.all())
        return self.form.filter(Source.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        citations = citations_of(context["sources"])
        filtered = self.form.applied()
        context.update(
            form=self.form,
            rows=[(source, pages_of(citations[source.pk])) for source in context["sources"]],
            meta=PageMeta(
                "Sources we cite" + (" (filtered)" if filtered else ""),
                "Every source Route Guide cites: who publishes it, what kind of source it is, "
                "when we last confirmed it and the pages that cite it.",
                noindex=filtered,
            ),
            crumbs=[("Home", reverse("guides:home")), ("Sources", self.request.path)],
            query_string=filters_query_string(self.request),
        )
        return context


@method_decorator(public_page, "dispatch")
class GlossaryView(ListView):
    """The words the site uses, each explained with its official source."""

    template_name = "guides/glossary.html"
    context_object_name = "terms"

    def get_queryset(self):
        return GlossaryTerm.objects.select_related("source")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meta=PageMeta(
                "Glossary: the words we use",
                "Permanent residence, sponsor, dependant and the other terms on our pages, "
                "each explained in plain words with its official source.",
            ),
            crumbs=[("Home", reverse("guides:home")), ("Glossary", self.request.path)],
            **kwargs,
        )


@method_decorator(public_page, "dispatch")
class SourceView(PageMetaMixin, DetailView):
    """One source of the register and every place on the site that cites it."""

    template_name = "guides/source.html"

    def get_queryset(self):
        return Source.objects.cited_publicly()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            citations=citations_of([self.object])[self.object.pk], **kwargs
        )


@method_decorator(public_page, "dispatch")
class HowWeCheckView(TemplateView):
    template_name = "guides/how_we_check.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meta=PageMeta(
                "How we check our facts",
                "What counts as an official source, how we verify and date figures, how often "
                "we review pages and how we correct mistakes.",
            ),
            crumbs=[
                ("Home", reverse("guides:home")),
                ("How we check our facts", self.request.path),
            ],
            review_months=Route._meta.get_field("review_cycle_months").default,
            confirmation_months=SOURCE_CONFIRMATION_MONTHS,
            **kwargs,
        )


class RoutesOfView(PageMetaMixin, DetailView):
    """A page about one thing that lists its published routes."""

    def get_routes(self):
        return self.object.routes.published().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(routes=self.get_routes(), **kwargs)


@method_decorator(public_page, "dispatch")
class JurisdictionView(RoutesOfView):
    model = Jurisdiction
    slug_url_kwarg = "jurisdiction"
    template_name = "guides/jurisdiction.html"

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:  # try its old addresses (and lowercase)
            return moved_or_missing(
                request, Jurisdiction.objects.find_moved(kwargs["jurisdiction"])
            )
        return conditional_page(
            request,
            self.object,
            lambda: self.render_to_response(self.get_context_data(object=self.object)),
        )

    def get_queryset(self):
        return Jurisdiction.objects.select_related(
            "summary_source", "adviser_register", "adviser_note_source"
        )

    def get_routes(self):
        return super().get_routes().order_by("category", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structured_data"] = jurisdiction_structured_data(self.object, context["routes"])
        return context


@method_decorator(public_page, "dispatch")
class ProfessionView(RoutesOfView):
    model = Profession
    template_name = "guides/profession.html"


@method_decorator(public_page, "dispatch")
class AuthorView(RoutesOfView):
    model = Author
    template_name = "guides/author.html"


def render_route_page(request, route, preview=False, pending=None):
    """A route page; a preview (a draft, or a pending change) is for staff and never cached."""
    meta = PageMeta(route.page_title(), route.page_description(), "article", noindex=preview)
    compare_jurisdictions, comparable_routes = comparisons_for_page(route)
    context = {
        "route": route,
        "glossary": GlossaryLinker(GlossaryTerm.objects.all()),
        "meta": meta,
        "sections": route_sections(route, compare_jurisdictions or comparable_routes),
        "compare_jurisdictions": compare_jurisdictions,
        "comparable_routes": comparable_routes,
        "structured_data": route_structured_data(route),
        "preview": preview,
        "pending": pending,
    }
    response = render(request, "guides/route.html", context)
    if preview:
        patch_cache_control(response, private=True, no_store=True)
    return response


@method_decorator(public_page, "dispatch")
class RouteView(View):
    def get(self, request, jurisdiction, slug):
        address = {"jurisdiction__slug": jurisdiction, "slug": slug}
        route = Route.objects.published().with_page_relations().filter(**address).first()
        if route:
            return conditional_page(
                request, route, lambda: render_route_page(request, prefetch_page(route))
            )
        # Decided after the published lookup, so that visitors' pages never read the session.
        if request.user.is_staff:
            draft = Route.objects.page(**address)
            if draft:
                return render_route_page(request, draft, preview=True)
        return moved_or_missing(request, Route.objects.find_moved(jurisdiction, slug))


def published_route_or_404(jurisdiction, slug):
    return get_object_or_404(
        Route.objects.published().select_related("jurisdiction"),
        jurisdiction__slug=jurisdiction,
        slug=slug,
    )


@public_page
def route_updates(request, jurisdiction, slug):
    """All public change notes of a route ("see all updates")."""
    route = published_route_or_404(jurisdiction, slug)
    meta = PageMeta(
        f"Updates to {route.title}", f"What changed on the page about {route.title}, by date."
    )
    crumbs = [*route.breadcrumbs(), ("Updates", request.path)]
    notes = route.change_notes.all()
    return render(
        request,
        "guides/updates.html",
        {"route": route, "notes": notes, "meta": meta, "crumbs": crumbs},
    )


@method_decorator(private_page, "dispatch")
class ReportProblemView(FormView):
    """A reader reports a problem with a route page: post, then redirect to thanks."""

    template_name = "guides/report.html"
    form_class = ProblemReportForm

    def dispatch(self, request, jurisdiction, slug):
        self.route = published_route_or_404(jurisdiction, slug)
        return super().dispatch(request, jurisdiction, slug)

    def get_context_data(self, **kwargs):
        meta = PageMeta(
            f"Report a problem: {self.route.title}",
            "Tell us what is wrong or out of date on this page.",
            noindex=True,
        )
        crumbs = [*self.route.breadcrumbs(), ("Report a problem", self.request.path)]
        return super().get_context_data(
            route=self.route,
            meta=meta,
            crumbs=crumbs,
            retention_days=settings.REPORT_RETENTION_DAYS,
            **kwargs,
        )

    def form_valid(self, form):
        thanks = reverse(
            "guides:report-thanks", args=[self.route.jurisdiction.slug, self.route.slug]
        )
        if form.cleaned_data["website"]:  # only bots fill in the hidden field
            return redirect(thanks)
        address_hash = hash_address(client_address(self.request))
        refusal = ProblemReport.objects.refusal(address_hash)
        if refusal:
            form.add_error(None, refusal)
            return self.form_invalid(form)
        ProblemReport.objects.create(
            route=self.route,
            message=form.cleaned_data["message"],
            email=form.cleaned_data["email"],
            address_hash=address_hash,
        )
        return redirect(thanks)


@private_page
def report_thanks(request, jurisdiction, slug):
    route = published_route_or_404(jurisdiction, slug)
    meta = PageMeta(
        "Thank you for your report", "Your report has reached our editors.", noindex=True
    )
    return render(request, "guides/report_thanks.html", {"route": route, "meta": meta})


@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /markdownx/",
        "Allow: /",
        f"Sitemap: {absolute_url(reverse('guides:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@public_page
def sitemap_index(request):
    """Django's sitemap index, with each section's address taken from SITE_URL."""
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="guides:sitemap-section")
    response.context_data["sitemaps"] = [
        sitemap_views.SitemapIndexItem(absolute_url(relative_url(item.location)), item.last_mod)
        for item in response.context_data["sitemaps"]
    ]
    return response


def relative_url(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@public_page
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


class MarkdownPreviewView(UserPassesTestMixin, MarkdownifyView):
    """The admin's live Markdown preview, for staff only."""

    raise_exception = True

    def test_func(self):
        return self.request.user.is_active and self.request.user.is_staff


DATABASE_DOWN_RETRY_SECONDS = 30


def server_error(request):
    """The answer to an unexpected error: while the database cannot be reached (restarted,
    failed over), a 503 that asks the reader to come back shortly; otherwise Django's 500."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_DOWN_RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return defaults.server_error(request)


# PostgreSQL's code for a statement cancelled by statement_timeout.
QUERY_CANCELED = "57014"


def healthz(request):
    """200 when the database answers the read every page starts with (the content's
    version); otherwise 503, saying whether it could not be reached or did not answer within
    DATABASE_STATEMENT_TIMEOUT."""
    try:
        ContentVersion.objects.current()
    except DatabaseError as error:
        timed_out = getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED
        reason = "database did not answer in time" if timed_out else "database unreachable"
        logger.warning("Health check failed: %s: %s", reason, " ".join(str(error).split()))
        return HttpResponse(reason, status=503, content_type="text/plain")
    maintenance = " (maintenance mode is on)" if maintenance_retry_seconds() is not None else ""
    return HttpResponse(f"ok{maintenance}", content_type="text/plain")


FINDER_NOT_FIT_PER_PAGE = 20
# The most routes listed in full in "fit" and "may fit"; a visitor with more narrows the
# answers (as a catalogue of thousands would give).
FINDER_MOST_SHOWN = 50


@method_decorator(public_page, "dispatch")
class FinderView(TemplateView):
    """The route finder: the visitor's answers, weighed against every published route of the
    jurisdictions they chose. Nothing is stored; the address holds the answers."""

    template_name = "guides/finder.html"

    def get_context_data(self, **kwargs):
        asked = any(name in self.request.GET for name in FinderForm.base_fields)
        form = FinderForm(self.request.GET if asked else None)
        context = {
            "form": form,
            "meta": PageMeta(
                "Find the routes that fit you",
                "Answer a few questions and see which immigration routes fit you, which may, "
                "and why the others do not, with every fact linked to its source.",
                noindex=asked,
            ),
            "crumbs": [("Home", reverse("guides:home")), ("Route finder", self.request.path)],
        }
        if asked and form.is_valid():
            context.update(self.results(form))
        return super().get_context_data(**context, **kwargs)

    def results(self, form):
        routes = Route.objects.published()
        if form.cleaned_data["jurisdictions"]:
            routes = routes.filter(jurisdiction__in=form.cleaned_data["jurisdictions"])
        answers = form.answers()
        groups = {fit: [] for fit in Fit}
        for route_id, facts in finder_facts(routes).items():
            found = verdict(facts, answers)
            groups[found.fit].append((route_id, found))
        not_fitting = groups[Fit.DOES_NOT_FIT]
        page = Paginator(not_fitting, FINDER_NOT_FIT_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        shown = {
            "fits": groups[Fit.FITS][:FINDER_MOST_SHOWN],
            "may_fit": groups[Fit.MAY_FIT][:FINDER_MOST_SHOWN],
            "not_fit": page.object_list,
        }
        # Model instances only for the routes listed on this page.
        listed_ids = [route_id for results in shown.values() for route_id, _ in results]
        listed = Route.objects.select_related("jurisdiction").in_bulk(listed_ids)
        self_checks = set(
            Assessment.objects.published()
            .filter(route__in=listed_ids)
            .values_list("route_id", flat=True)
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        fitting_keys = [found.route.key for _, found in groups[Fit.FITS][:MOST_COMPARED]]
        return {
            **{
                name: [(listed[route_id], found) for route_id, found in results]
                for name, results in shown.items()
            },
            "fits_count": len(groups[Fit.FITS]),
            "may_fit_count": len(groups[Fit.MAY_FIT]),
            "most_shown": FINDER_MOST_SHOWN,
            "not_fit_count": len(not_fitting),
            "not_fit_reasons": Counter(found.against[0] for _, found in not_fitting).most_common(),
            "page_obj": page,
            "query_string": query.urlencode(),
            "compare_fitting": compare_url(fitting_keys) if len(fitting_keys) > 1 else "",
            "self_checks": self_checks,
        }


MOST_KEYS_READ = 10


@method_decorator(public_page, "dispatch")
class CompareView(TemplateView):
    """Two to four routes side by side, in the visitor's order; without routes, a picker."""

    template_name = "guides/compare.html"

    def get(self, request, *args, **kwargs):
        # The picker's checkboxes and the "add a route" form arrive as separate parameters:
        # answer with the comparison's own address.
        picked = request.GET.getlist("route") + request.GET.getlist("add")
        if picked:
            return redirect(
                compare_url(self.keys() + [key for key in picked if key not in self.keys()])
            )
        return super().get(request, *args, **kwargs)

    def keys(self):
        """The routes asked for, each once, in the visitor's order; junk is dropped, and control
        characters, which PostgreSQL refuses in a text value (NUL), never reach it."""
        given = self.request.GET.get("routes", "")[:1000].split(",")[:MOST_KEYS_READ]
        keys = []
        for key in (clean_query(part).lower() for part in given):
            if key and key not in keys:
                keys.append(key)
        return keys

    def get_context_data(self, **kwargs):
        keys = self.keys()
        routes, unknown = routes_to_compare(keys)
        problems = [f"We could not find a published route “{key}”." for key in unknown]
        if len(routes) > MOST_COMPARED:
            problems.append(
                f"You can compare up to {MOST_COMPARED} routes: we show the first {MOST_COMPARED}."
            )
            routes = routes[:MOST_COMPARED]
        if keys and len(routes) < 2:
            problems.append("Choose at least two routes to compare.")
        names = " and ".join(route.title for route in routes) if routes else ""
        meta = PageMeta(
            f"Compare {names}" if len(routes) > 1 else "Compare routes",
            "Immigration routes side by side: who each is for, sponsorship, permanent "
            "residency, stay, fees, processing time and who may apply, each fact cited.",
            noindex=bool(self.request.GET),
        )
        chosen_keys = [route_key(route) for route in routes]
        picking_in = Jurisdiction.objects.filter(slug=self.request.GET.get("in", "")).first()
        context = {
            "routes": routes if len(routes) > 1 else [],
            "problems": problems,
            "meta": meta,
            "crumbs": [("Home", reverse("guides:home")), ("Compare", reverse("guides:compare"))],
            "jurisdictions": Jurisdiction.objects.all(),
            "current_keys": ",".join(chosen_keys),
            "chosen": routes,
            "picking_in": picking_in,
            "pickable": (
                Route.objects.published()
                .filter(jurisdiction=picking_in)
                .exclude(pk__in=[route.pk for route in routes])
                .select_related("jurisdiction")
                .order_by("name")
                if picking_in
                else []
            ),
        }
        if len(routes) > 1:
            context.update(
                canonical_url=absolute_url(compare_url(sorted(chosen_keys))),
                routes_with_remove=[
                    (route, compare_url([key for key in chosen_keys if key != route_key(route)]))
                    for route in routes
                ],
                rows=comparison_rows(routes),
                suggestions=routes_to_add(routes),
            )
        return super().get_context_data(**context, **kwargs)


@method_decorator(public_page, "dispatch")
class CompareJurisdictionsView(TemplateView):
    """Two jurisdictions' routes side by side, grouped by purpose."""

    template_name = "guides/compare_jurisdictions.html"

    def get(self, request, *args, **kwargs):
        first, _, second = kwargs["pair"].partition("-vs-")
        # Only slugs reach the database (PostgreSQL refuses a NUL byte in a text value).
        if not (slug_re.match(first) and slug_re.match(second)):
            raise Http404("No such pair of jurisdictions.")
        pair = jurisdiction_pair(first, second)
        if pair is None:
            raise Http404("No such pair of jurisdictions.")
        if first > second:
            return redirect(
                "guides:compare-jurisdictions", pair=f"{second}-vs-{first}", permanent=True
            )
        self.pair = pair
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        first, second = self.pair
        names = f"{first.short_name} and {second.short_name}"
        return super().get_context_data(
            first=first,
            second=second,
            groups=jurisdictions_side_by_side(first, second),
            meta=PageMeta(
                f"Immigration routes compared: {first.short_name} vs {second.short_name}",
                f"The immigration routes of {names} side by side, grouped by what they are "
                "for: sponsorship, permanent residence, stay and fees, each fact cited.",
            ),
            crumbs=[
                ("Home", reverse("guides:home")),
                ("Compare", reverse("guides:compare")),
                (f"{first.short_name} vs {second.short_name}", self.request.path),
            ],
            **kwargs,
        )


@method_decorator(public_page, "dispatch")
class SelfAssessmentView(TemplateView):
    """A route's published self-assessments as plain GET forms, and the result of the one
    answered. Nothing is stored; the address holds the answers."""

    template_name = "guides/self_assessment.html"

    def get(self, request, jurisdiction, slug):
        route = published_route_or_404(jurisdiction, slug)
        return conditional_page(
            request, route, lambda: self.render_to_response(self.get_context_data(route))
        )

    def get_context_data(self, route, **kwargs):
        assessments = list(route.assessments.for_page())
        if not assessments:
            raise Http404("This route has no self-assessment.")
        answered = next((a for a in assessments if a.key == self.request.GET.get("test")), None)
        forms = [
            (a, SelfAssessmentForm(a, self.request.GET if a is answered else None))
            for a in assessments
        ]
        answered_form = next((form for a, form in forms if a is answered), None)
        result = None
        if answered_form and answered_form.is_valid():
            breakdown = score(answered.grid(), answered_form.answers())
            result = {
                "assessment": answered,
                "breakdown": breakdown,
                "outcome": outcome(breakdown),
                "what_would_change": what_would_change(breakdown),
                "factors": zip(answered.factors.all(), breakdown.results, strict=True),
                "others": [a for a in assessments if a is not answered],
            }
        names = " and ".join(a.name for a in assessments)
        return super().get_context_data(
            route=route,
            forms=forms,
            answered=answered,
            result=result,
            official_link=route.official_links.first(),
            meta=PageMeta(
                f"Check your fit: {route.title}",
                f"A self-check against the {names}, with every row cited to its source.",
                noindex=bool(self.request.GET),
            ),
            crumbs=[
                ("Home", reverse("guides:home")),
                (route.jurisdiction.short_name, route.jurisdiction.get_absolute_url()),
                (route.title, route.get_absolute_url()),
                ("Check your fit", self.request.path),
            ],
            **kwargs,
        )
