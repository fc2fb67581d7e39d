"""A large synthetic catalogue for benchmarks: never content for readers."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from guides.markdown import render_markdown
from guides.models import (
    FAQ,
    Blocker,
    Category,
    EligibilityCriterion,
    EvidenceItem,
    Jurisdiction,
    OfficialLink,
    PathwayStep,
    Route,
    Source,
)
from guides.models.pages import ContentVersion
from guides.models.routes import store_page_parts
from guides.search import update_search_vector

SYNTHETIC = "Synthetic"
BATCH = 1000
ANSWERS = ["yes", "no", "depends", ""]
PURPOSES = ["work", "settle", "study", "family", "invest", ""]
WORDS = ["skilled", "talent", "graduate", "investor", "family", "worker", "entrepreneur", "study"]


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic catalogue for benchmarks: jurisdictions, routes "
        "with every kind of part, and sources, each marked “Synthetic” in its name. Refused on "
        "a database that holds other content unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--routes", type=int, default=10_000)
        parser.add_argument("--jurisdictions", type=int, default=200)
        parser.add_argument(
            "--force", action="store_true", help="Add to a database that has other content."
        )

    def handle(self, *args, routes, jurisdictions, force, **options):
        if routes < 1 or jurisdictions < 1:
            raise CommandError("--routes and --jurisdictions must be positive.")
        real = Route.objects.exclude(name__startswith=SYNTHETIC)
        if real.exists() and not force:
            raise CommandError(
                f"The database holds {real.count()} routes that are not synthetic. Benchmark "
                "content belongs in a database of its own; use --force to add it anyway."
            )
        with transaction.atomic():
            places = self.make_jurisdictions(jurisdictions)
            category = Category.objects.get_or_create(
                slug="synthetic", defaults={"name": f"{SYNTHETIC} category"}
            )[0]
            made = self.make_routes(routes, places, category)
            ContentVersion.objects.move(timezone.now())
        store_page_parts()
        update_search_vector()
        self.stdout.write(self.style.SUCCESS(f"Generated {made} synthetic routes."))

    def make_jurisdictions(self, count):
        first = Jurisdiction.objects.filter(slug__startswith="synthetic-").count()
        made = Jurisdiction.objects.bulk_create(
            Jurisdiction(
                name=f"{SYNTHETIC} Republic {n}",
                short_name=f"{SYNTHETIC} Land {n}",
                slug=f"synthetic-{n}",
                summary=f"A synthetic jurisdiction for benchmarks, number {n}.",
            )
            for n in range(first, first + count)
        )
        sources = Source.objects.bulk_create(
            Source(
                slug=f"synthetic-{place.slug}-{kind}",
                publisher=f"{SYNTHETIC} Immigration Office {n}",
                title=f"{SYNTHETIC} {kind} guidance",
                url=f"https://synthetic.invalid/{place.slug}/{kind}",
                kind=Source.Kind.OFFICIAL,
                as_at="page undated",
            )
            for n, place in enumerate(made)
            for kind in ("rules", "fees", "forms")
        )
        return [(place, sources[3 * n : 3 * n + 3]) for n, place in enumerate(made)]

    def make_routes(self, count, places, category):
        first = Route.objects.filter(name__startswith=SYNTHETIC).count()
        made = 0
        for start in range(first, first + count, BATCH):
            numbers = range(start, min(start + BATCH, first + count))
            batch = Route.objects.bulk_create(
                self.route(n, *places[n % len(places)], category) for n in numbers
            )
            self.add_parts(batch, dict(places))
            made += len(batch)
        return made

    @staticmethod
    def route(n, place, sources, category):
        word = WORDS[n % len(WORDS)]
        overview = f"The {word} route number {n}, **synthetic**: no real rules are described."
        return Route(
            jurisdiction=place,
            category=category,
            name=f"{SYNTHETIC} {word} route {n}",
            slug=f"synthetic-{word}-{n}",
            summary=f"A synthetic {word} route for benchmarks, number {n}.",
            status=Route.Status.PUBLISHED,
            first_published_at=timezone.now(),
            last_reviewed=date.today(),
            overview=overview,
            overview_html=render_markdown(overview),
            processing_time="About 8 weeks (synthetic).",
            processing_time_source=sources[0],
            fees="100 synthetic dollars.",
            fees_source=sources[1],
            sponsorship_required=ANSWERS[n % 4],
            sponsorship_source=sources[0],
            leads_to_permanent_residency=ANSWERS[(n // 4) % 4],
            permanent_residency_source=sources[0],
            purpose=PURPOSES[n % len(PURPOSES)],
        )

    @staticmethod
    def add_parts(routes, sources_of):
        cited, steps, links, faqs = [], [], [], []
        answers = [f"A synthetic answer, **{n}**." for n in range(3)]
        answers_html = [render_markdown(answer) for answer in answers]
        for route in routes:
            sources = sources_of[route.jurisdiction]
            for n in range(3):
                common = {"route": route, "key": f"synthetic-{n}", "position": n}
                for model in (EligibilityCriterion, Blocker, EvidenceItem):
                    text = f"{SYNTHETIC} {model._meta.verbose_name} {n}."
                    cited.append(model(text=text, source=sources[n], **common))
                steps.append(PathwayStep(title=f"{SYNTHETIC} step {n}", text="Do it.", **common))
                faqs.append(
                    FAQ(
                        question=f"{SYNTHETIC} question {n}?",
                        answer=answers[n],
                        answer_html=answers_html[n],
                        **common,
                    )
                )
            links.append(
                OfficialLink(
                    route=route,
                    key="synthetic-apply",
                    position=0,
                    label="Apply",
                    audience="Applicant",
                    link_text=f"{SYNTHETIC} application page",
                    url=f"https://synthetic.invalid/{route.slug}/apply",
                    publisher=sources[0].publisher,
                )
            )
        for model in (EligibilityCriterion, Blocker, EvidenceItem):
            model.objects.bulk_create([row for row in cited if isinstance(row, model)])
        PathwayStep.objects.bulk_create(steps)
        OfficialLink.objects.bulk_create(links)
        FAQ.objects.bulk_create(faqs)
