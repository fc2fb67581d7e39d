"""gunicorn settings for Route Guide, for the image, systemd and by hand:

    gunicorn --config deploy/gunicorn.conf.py routes_site.wsgi

Each value can be changed from the environment (docs/deploy.md, "Configuration reference")."""

import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

# Run from anywhere: the project's own packages are beside this folder.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from routes_site.client_address import trusted_client_address


def env_int(name, default):
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages are rendered in Python, so processes, not threads, use the cores: two per core this
# process may run on, and one more. Each keeps one database connection open (CONN_MAX_AGE)
# per thread. In a container on a large host, set GUNICORN_WORKERS to its share.
workers = env_int("GUNICORN_WORKERS", 2 * len(os.sched_getaffinity(0)) + 1)
threads = env_int("GUNICORN_THREADS", 1)
# A request that takes longer is killed with its worker. The database has its own, shorter
# limits (DATABASE_CONNECT_TIMEOUT, DATABASE_STATEMENT_TIMEOUT), so this is a last resort.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
# For threaded workers (GUNICORN_THREADS above 1), which keep connections open: longer than
# the proxy keeps idle ones (nginx: keepalive_timeout 60s), so that gunicorn never closes
# one the proxy is about to reuse. The default sync workers close each after its response.
keepalive = 65
# A fresh process now and then bounds whatever one might leak; the jitter keeps workers from
# restarting all at once. Rarely: a worker takes half a second of CPU to start, before it
# warms its templates; at every 2,000 requests, the load test's workers restarted one every
# three seconds.
max_requests = 20000
max_requests_jitter = 2000
# gunicorn 25 and later open a control socket under $HOME by default, which fails in the
# image (no writable home) and is shared by every gunicorn of one user. Reload with HUP.
control_socket_disable = True

loglevel = os.environ.get("LOG_LEVEL", "info").lower()
errorlog = "-"
# One line per request at INFO, as the app's own lines; none at WARNING and above.
accesslog = "-" if loglevel in {"debug", "info"} else None
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 1)
access_log_format = (
    "level=INFO logger=access request_id=%({x-request-id}o)s client=%(client)s "
    'method=%(m)s path="%(U)s" query="%(q)s" status=%(s)s bytes=%(B)s ms=%(M)s '
    'referer="%(f)s" agent="%(a)s"'
)


class SiteLogger(Logger):
    """Lines shaped like the app's own (routes_site/settings.py), and the reader's address in
    the access log as the app sees it behind our proxies, not the proxy's."""

    access_fmt = "%(asctime)s %(message)s"
    error_fmt = "%(asctime)s level=%(levelname)s logger=gunicorn pid=%(process)d %(message)s"
    datefmt = None

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["client"] = trusted_client_address(
            environ.get("REMOTE_ADDR", ""),
            environ.get("HTTP_X_FORWARDED_FOR", ""),
            TRUSTED_PROXY_HOPS,
        )
        return atoms


logger_class = SiteLogger
