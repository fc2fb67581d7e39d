from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .models import Route
from .seo import absolute_url


class UpdatesFeed(Feed):
    """Routes as they are changed or reviewed, newest first."""

    feed_type = Atom1Feed
    title = "Route Guide: updated routes"
    subtitle = "Immigration route pages as they are changed or reviewed."

    def link(self):
        return absolute_url("/")

    def feed_url(self):
        return absolute_url("/feeds/updates/")

    def items(self):
        return (
            Route.objects.published()
            .select_related("jurisdiction", "author")
            .order_by("-content_updated_at")[:50]
        )

    def item_title(self, route):
        return f"{route.title}: {route.jurisdiction.short_name}"

    def item_description(self, route):
        return route.summary

    def item_link(self, route):
        return absolute_url(route.get_absolute_url())

    def item_updateddate(self, route):
        return route.last_updated

    def item_pubdate(self, route):
        return route.created_at

    def item_author_name(self, route):
        return route.author.name if route.author else None
