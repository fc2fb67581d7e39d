from django import forms


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
