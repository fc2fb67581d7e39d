from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import ChangeNote, Route
from .seo import absolute_url


class UpdatesFeed(Feed):
    """The public change notes of published routes, newest first."""

    feed_type = Atom1Feed
    title = "Route Guide: updated routes"
    subtitle = "What changed on our immigration route pages, newest first."

    def link(self):
        return absolute_url("/")

    def feed_url(self):
        return absolute_url(reverse("guides:updates-feed"))

    def items(self):
        return (
            ChangeNote.objects.filter(route__in=Route.objects.published())
            .select_related("route__jurisdiction", "route__author")
            .defer("route__page_parts")
            .order_by("-published_at", "-pk")[:50]
        )

    def item_title(self, note):
        return f"{note.route.title} ({note.route.jurisdiction.short_name}): {note.note}"

    def item_description(self, note):
        return note.route.summary

    def item_link(self, note):
        return absolute_url(note.route.get_absolute_url())

    def item_guid(self, note):
        return absolute_url(f"{note.route.get_absolute_url()}updates/#update-{note.key}")

    item_guid_is_permalink = False

    def item_updateddate(self, note):
        return note.published_at

    def item_pubdate(self, note):
        return note.published_at

    def item_author_name(self, note):
        return note.route.author.name if note.route.author else None
