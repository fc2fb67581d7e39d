"""Email notices of the editorial workflow, through Django's email framework (the console
unless EMAIL_HOST is set)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse


def publishers():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    can_publish = (
        Q(groups__permissions__codename="publish_route")
        | Q(user_permissions__codename="publish_route")
        | Q(is_superuser=True)
    )
    return users.filter(can_publish).distinct()


def notify(users, subject, route, message):
    """One email to each of `users` that has an address, with a link to the route's screen."""
    addresses = sorted({user.email for user in users if user and user.email})
    if not addresses:
        return
    link = settings.SITE_URL + reverse("admin:guides_route_change", args=[route.pk])
    body = f"{message}\n\n{route}: {link}\n"
    send_mail(f"[Route Guide] {subject}: {route}", body, None, addresses, fail_silently=True)
