"""Who is reporting, as far as throttling needs to know: a salted hash of the address."""

from django.conf import settings
from django.utils.crypto import salted_hmac

from routes_site.client_address import trusted_client_address


def client_address(request):
    """The client's address, as far as our own proxies vouch for it (TRUSTED_PROXY_HOPS)."""
    return trusted_client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.TRUSTED_PROXY_HOPS,
    )


def hash_address(address):
    return salted_hmac("guides.problem-report", address, algorithm="sha256").hexdigest()
