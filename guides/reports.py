"""Who is reporting, as far as throttling needs to know: a salted hash of the address."""

import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac


def client_address(request):
    """The client's address, believing only the X-Forwarded-For entries that our own
    proxies added (TRUSTED_PROXY_HOPS of them, from the right). Anything there that is not
    an IP address (a proxy that did not add one, a forgery) is not believed either."""
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if hops and len(forwarded) >= hops:
        try:
            return str(ipaddress.ip_address(forwarded[-hops]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")


def hash_address(address):
    return salted_hmac("guides.problem-report", address, algorithm="sha256").hexdigest()
