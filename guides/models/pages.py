"""Which public pages a write changes, and moving their stored versions.

Every content model says which route and jurisdiction pages show it (`pages()`); its save
and delete report them here. Each page keeps the moment it last changed
(`Route.content_updated_at`, `Jurisdiction.page_changed_at`), which the ETag, Last-Modified
and the sitemap's lastmod read directly; a route's search vector is rebuilt with it.

A single save refreshes its pages at once. A unit of work that writes many rows (applying
a route's content, publishing, seeding) runs inside `one_refresh()`, which refreshes each
changed page once, at its end.

Every refresh also gives the site a new `ContentVersion`, in the same transaction as the
write: the page cache (guides/page_cache.py) keys every page by it. Its row is also the lock
that every writer takes first (`lock_public_content`).
"""

import threading
import uuid
from contextlib import contextmanager

from django.db import connection, models, transaction
from django.utils import timezone

_batch = threading.local()


def pages_changed(route_ids=(), jurisdiction_ids=()):
    """Note that these pages changed: refreshed now, or at the end of `one_refresh()`."""
    if getattr(_batch, "routes", None) is not None:
        _batch.changed = True
        _batch.routes.update(route_ids)
        _batch.jurisdictions.update(jurisdiction_ids)
    else:
        refresh_pages(route_ids, jurisdiction_ids)


def lock_public_content():
    """Every write to what public pages show takes this lock first (the content version's
    row, until its transaction ends), so writers run one at a time. A write also refreshes
    the pages of other routes that show what it changed: two writers that each held a route
    of their own would otherwise wait for each other's for ever (a deadlock, one of them
    refused). Must run inside a transaction; SQLite locks the whole database anyway."""
    list(ContentVersion.objects.select_for_update().filter(pk=ContentVersion.ONLY).values("pk"))


@contextmanager
def one_refresh():
    """Writes inside refresh each page they change once, when the block ends; a block that
    wrote nothing refreshes nothing."""
    if getattr(_batch, "routes", None) is not None:
        yield  # an outer block refreshes
        return
    lock_public_content()
    _batch.routes, _batch.jurisdictions, _batch.changed = set(), set(), False
    try:
        yield
        changed, routes, jurisdictions = _batch.changed, _batch.routes, _batch.jurisdictions
    finally:
        _batch.routes = _batch.jurisdictions = None
    if changed:
        refresh_pages(routes, jurisdictions)


def refresh_pages(route_ids, jurisdiction_ids):
    from ..search import update_search_vector
    from .catalogue import Jurisdiction
    from .routes import Route, store_page_parts

    route_ids, now = [pk for pk in route_ids if pk is not None], timezone.now()
    if route_ids:
        Route.objects.filter(pk__in=route_ids).update(content_updated_at=now)
        store_page_parts(route_ids)
        update_search_vector(route_ids)
    if jurisdiction_ids:
        Jurisdiction.objects.filter(pk__in=list(jurisdiction_ids)).update(page_changed_at=now)
    # Last: pages stored under the new version are rendered with the stored versions and
    # search vectors above, and every writer takes the one row's lock after the rows it
    # writes, in the same order, so that two writers cannot deadlock on it.
    ContentVersion.objects.move(now)


class ShownOnPages(models.Model):
    """A row that public pages show: saving or deleting it moves their versions."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            lock_public_content()
            super().save(*args, **kwargs)
            pages_changed(*self.pages())

    def delete(self, *args, **kwargs):
        with transaction.atomic():  # the pages change with the delete, never after it
            lock_public_content()
            # Read now: the rows that lead to the pages go with this one.
            route_ids, jurisdiction_ids = (list(ids) for ids in self.pages())
            result = super().delete(*args, **kwargs)
            pages_changed(route_ids, jurisdiction_ids)
        return result

    def pages(self):
        """(route ids, jurisdiction ids) of the pages that show this row."""
        raise NotImplementedError


class ContentVersionManager(models.Manager):
    def current(self):
        """The token of the public content as it stands: one read of one row by its key.
        In SQL of its own: it runs on every request, and building it with the ORM would
        cost more than the query."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT token FROM {self.model._meta.db_table} WHERE id = %s",
                [ContentVersion.ONLY],
            )
            row = cursor.fetchone()
        return row[0] if row else ""

    def move(self, now):
        """A new token, never used before, so that no cached page of any earlier state (or of
        a database restored from a backup) is read again."""
        token = uuid.uuid4().hex
        if not self.filter(pk=ContentVersion.ONLY).update(token=token, changed_at=now):
            self.update_or_create(
                pk=ContentVersion.ONLY, defaults={"token": token, "changed_at": now}
            )


class ContentVersion(models.Model):
    """One row: a token that changes with every write to what public pages show."""

    ONLY = 1
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    objects = ContentVersionManager()

    def __str__(self):
        return self.token
