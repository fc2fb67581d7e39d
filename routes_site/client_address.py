"""The client's address behind our own proxies: for throttles, sign-in locks and the access
log alike. Plain Python, so that gunicorn's access log can use it before Django starts."""

import ipaddress


def trusted_client_address(remote_addr, forwarded_for, trusted_hops):
    """Believe only the X-Forwarded-For entries that our own proxies added (trusted_hops of
    them, from the right). Anything there that is not an IP address (a proxy that did not add
    one, a forgery) is not believed either: the connecting address is used instead."""
    forwarded = [part.strip() for part in (forwarded_for or "").split(",") if part.strip()]
    if trusted_hops and len(forwarded) >= trusted_hops:
        try:
            return str(ipaddress.ip_address(forwarded[-trusted_hops]))
        except ValueError:
            pass
    return remote_addr or ""
