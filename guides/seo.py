"""What crawlers read about a page: absolute URLs, the canonical address and structured
data (JSON-LD), built from the models in one place."""

from urllib.parse import parse_qsl, urlencode

from django.conf import settings

TRACKING_PARAMETERS = {"gclid", "fbclid"}


def absolute_url(path):
    return settings.SITE_URL + path


def canonical_url(request):
    """The page's own absolute address, less tracking parameters (utm_*, gclid, fbclid)."""
    kept = [
        (name, value)
        for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
        if not name.startswith("utm_") and name not in TRACKING_PARAMETERS
    ]
    return absolute_url(request.path) + (f"?{urlencode(kept)}" if kept else "")


def breadcrumb_list(crumbs):
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": absolute_url(url)}
            for number, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def publisher():
    return {"@type": "Organization", "name": "Route Guide", "url": absolute_url("/")}


def route_structured_data(route):
    """BreadcrumbList, Article and (with a FAQ) FAQPage for a route from `prefetch_page()`."""
    article = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": route.title,
        "description": route.page_description(),
        "url": absolute_url(route.get_absolute_url()),
        "dateModified": route.last_updated.isoformat(),
        "publisher": publisher(),
        "about": {"@type": "Place", "name": route.jurisdiction.name},
    }
    if route.author:
        article["author"] = {
            "@type": "Person",
            "name": route.author.name,
            "url": absolute_url(route.author.get_absolute_url()),
        }
    data = [breadcrumb_list(route.breadcrumbs()), article]
    faqs = route.faqs.all()
    if faqs:
        data.append(
            {
                "@context": "https://schema.org",
                "@type": "FAQPage",
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": faq.question,
                        "acceptedAnswer": {"@type": "Answer", "text": faq.answer_html},
                    }
                    for faq in faqs
                ],
            }
        )
    return data


def jurisdiction_structured_data(jurisdiction, routes):
    return [
        breadcrumb_list(jurisdiction.breadcrumbs()),
        {
            "@context": "https://schema.org",
            "@type": "ItemList",
            "name": jurisdiction.page_title(),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": number,
                    "name": route.title,
                    "url": absolute_url(route.get_absolute_url()),
                }
                for number, route in enumerate(routes, start=1)
            ],
        },
    ]
