from django import forms
from django.db.models import Q

from .finder import Answers
from .models import AssessmentFactor, Country, Jurisdiction, Profession, Route
from .models.catalogue import SourceKind


class ProblemReportForm(forms.Form):
    message = forms.CharField(
        label="What is wrong or out of date?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Tell us what the page says and what you believe is right, with a link to "
        "the official page if you have one. Do not include personal details.",
    )
    email = forms.EmailField(
        label="Your email address (optional)",
        required=False,
        help_text="Only if you would like a reply.",
    )
    # A honeypot: hidden from people by the page's CSS and labelled for screen readers to
    # leave alone; simple bots fill in every field.
    website = forms.CharField(label="Leave this field empty", required=False)


ANSWER_CHOICES = [("", "Any"), ("yes", "Yes"), ("no", "No"), ("depends", "It depends")]
SORT_CHOICES = [("name", "Name (A to Z)"), ("reviewed", "Most recently reviewed")]


class RouteFilterForm(forms.Form):
    """The filters of /routes/: a plain GET form, so that a filtered list can be shared."""

    jurisdiction = forms.ChoiceField(required=False)
    category = forms.ChoiceField(required=False)
    sponsorship = forms.ChoiceField(
        label="Needs a job offer or sponsor", required=False, choices=ANSWER_CHOICES
    )
    settlement = forms.ChoiceField(
        label="Leads to permanent residence", required=False, choices=ANSWER_CHOICES
    )
    profession = forms.ChoiceField(required=False)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    def __init__(self, *args, jurisdictions, categories, professions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = [("", "Any")] + [
            (item.slug, item.short_name) for item in jurisdictions
        ]
        self.fields["category"].choices = [("", "Any")] + [
            (item.slug, item.name) for item in categories
        ]
        self.fields["profession"].choices = [("", "Any")] + [
            (item.slug, item.name) for item in professions
        ]

    FILTERS = {
        "jurisdiction": "jurisdiction__slug",
        "category": "category__slug",
        "sponsorship": "sponsorship_required",
        "settlement": "leads_to_permanent_residency",
        "profession": "professions__slug",
    }

    def filter(self, routes):
        """Apply the filters that are valid; invalid ones are reported and ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        for name, lookup in self.FILTERS.items():
            if data.get(name):
                routes = routes.filter(**{lookup: data[name]})
        if data.get("sort") == "reviewed":
            return routes.order_by("-last_reviewed", "name")
        return routes.order_by("name", "jurisdiction__short_name")

    ANSWER_WORDS = {
        "sponsorship": {
            "yes": "needing a job offer or sponsor",
            "no": "with no job offer needed",
            "depends": "where a job offer depends on the case",
        },
        "settlement": {
            "yes": "leading to permanent residence",
            "no": "not leading to permanent residence",
            "depends": "possibly leading to permanent residence",
        },
    }

    def summary(self):
        """The filters in words: "with no job offer needed that lead to permanent residence
        in Hong Kong"; "" when none applies."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        choices = {name: dict(self.fields[name].choices) for name in self.FILTERS}
        words = [
            self.ANSWER_WORDS[name][data[name]] for name in self.ANSWER_WORDS if data.get(name)
        ]
        if data.get("profession"):
            words.append(f"suiting: {choices['profession'][data['profession']]}")
        if data.get("category"):
            words.append(f"in {choices['category'][data['category']]}")
        if data.get("jurisdiction"):
            words.append(f"in {choices['jurisdiction'][data['jurisdiction']]}")
        return " ".join(words)

    def applied(self):
        """Whether the list is filtered or sorted: such lists are kept out of search indexes."""
        return any(self.data.get(name) for name in [*self.FILTERS, "sort"])


class SourceFilterForm(forms.Form):
    """The search box and filters of the sources register: a plain GET form."""

    q = forms.CharField(
        label="Title, publisher or address contains", required=False, max_length=200
    )
    jurisdiction = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(label="Kind of source", required=False)

    def __init__(self, *args, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.jurisdictions = {item.slug: item for item in jurisdictions}
        self.fields["jurisdiction"].choices = [("", "Any")] + [
            (item.slug, item.short_name) for item in jurisdictions
        ]
        self.fields["kind"].choices = [("", "Any"), *SourceKind.choices]

    def filter(self, sources):
        """The sources cited on public pages that match the valid filters; invalid ones are
        reported and ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        sources = sources.cited_publicly(self.jurisdictions.get(data.get("jurisdiction")))
        if data.get("kind"):
            sources = sources.filter(kind=data["kind"])
        if data.get("q"):
            words = data["q"]
            sources = sources.filter(
                Q(title__icontains=words) | Q(publisher__icontains=words) | Q(url__icontains=words)
            )
        return sources

    def applied(self):
        return any(self.data.get(name) for name in self.fields)


class FinderForm(forms.Form):
    """The route finder's questions: a plain GET form, so that a result can be bookmarked
    and shared. Every question may be left unanswered."""

    jurisdictions = forms.ModelMultipleChoiceField(
        label="Where would you consider going?",
        queryset=Jurisdiction.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked to look everywhere we cover.",
    )
    nationality = forms.ModelChoiceField(
        label="Your nationality",
        queryset=Country.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="Prefer not to say",
        help_text="Type the first letters of the country to jump to it.",
    )
    age = forms.IntegerField(
        label="Your age (optional)", min_value=0, max_value=120, required=False
    )
    purposes = forms.MultipleChoiceField(
        label="What do you want to do there?",
        choices=Route.Purpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick as many as you like.",
    )
    job_offer = forms.ChoiceField(
        label="Do you have a job offer or a sponsor there?",
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not sure, or skip this")],
        required=False,
        widget=forms.RadioSelect,
    )
    wants_permanent_residency = forms.ChoiceField(
        label="Do you want permanent residence in the end?",
        choices=[("yes", "Yes"), ("", "It does not matter")],
        required=False,
        widget=forms.RadioSelect,
    )
    partner = forms.ChoiceField(
        label="Are you moving with a partner?",
        choices=[
            ("works", "Yes, and they want to work"),
            ("comes", "Yes"),
            ("", "No, or skip this"),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    profession = forms.ModelChoiceField(
        label="Your profession (optional)",
        queryset=Profession.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any or not listed",
    )

    def answers(self):
        data = self.cleaned_data
        nationality, profession = data["nationality"], data["profession"]
        return Answers(
            nationality=nationality.code if nationality else "",
            nationality_name=nationality.name if nationality else "",
            age=data["age"],
            purposes=frozenset(data["purposes"]),
            job_offer=data["job_offer"],
            wants_permanent_residency=data["wants_permanent_residency"],
            profession=profession.slug if profession else "",
            profession_name=profession.name if profession else "",
            partner=data["partner"],
        )


class SelfAssessmentForm(forms.Form):
    """One question per factor of `assessment`: a GET form, so that a result can be
    bookmarked and shared. Only required factors must be answered."""

    def __init__(self, assessment, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        for factor in assessment.factors.all():
            self.fields[factor.key] = self.question(factor)

    @staticmethod
    def question(factor):
        choices = [
            (option.key, f"{option.label} ({option.hint})" if option.hint else option.label)
            for option in factor.options.all()
        ]
        if factor.combine == AssessmentFactor.Combine.NUMBER:
            field = forms.IntegerField(min_value=0, max_value=factor.maximum)
        elif factor.combine == AssessmentFactor.Combine.ONE:
            field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
        else:
            field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple)
        field.required = factor.required
        field.label = factor.name
        field.help_text = factor.explanation
        return field

    def answers(self):
        return {key: value for key, value in self.cleaned_data.items() if value not in ("", None)}
