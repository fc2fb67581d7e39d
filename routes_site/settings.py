"""Route Guide settings: one module, read from the environment.

Debug is off unless DJANGO_DEBUG says otherwise, and with debug off the secret key and
allowed hosts must be given: a production server never starts on a silent default.
"""

import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=()):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or list(default)


def env_secret(name):
    """A secret from NAME, or from the file NAME_FILE names (Docker and systemd credentials),
    so that it need not sit in the environment of every process."""
    path = os.environ.get(f"{name}_FILE", "")
    if not path:
        return os.environ.get(name, "")
    try:
        return Path(path).read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {error}") from None


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) is required when DJANGO_DEBUG is "
            "off. Set it in the environment (or set DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-local-development-key"
# Rotation: the new key in DJANGO_SECRET_KEY, the old ones here (comma-separated or one per
# line) until sessions signed with them have expired (docs/deploy.md).
SECRET_KEY_FALLBACKS = env_secret("DJANGO_SECRET_KEY_FALLBACKS").replace(",", "\n").split()

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The public address of the site, e.g. https://routeguide.example: canonical links, the
# sitemap, robots.txt, JSON-LD and the feed are built from it, never from the request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL is required when DJANGO_DEBUG is off.")
if urlsplit(SITE_URL).scheme not in {"http", "https"} or urlsplit(SITE_URL).path:
    raise ImproperlyConfigured(f"SITE_URL must be a scheme and host only, not {SITE_URL!r}.")


def code_release():
    """A fingerprint of the code and templates, so cached pages change when a release does."""
    digest = hashlib.sha256()
    for folder in ("guides", "routes_site", "templates", "static"):
        for path in sorted((BASE_DIR / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".css", ".js"}:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Part of every page's ETag. Deployments may set it (to the commit, say); otherwise it is
# computed from the files at start-up.
RELEASE = os.environ.get("RELEASE") or code_release()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "markdownx",
    "axes",
    "csp",
    "reversion",
    "reversion_compare",
    "guides",
]

MIDDLEWARE = [
    # First, so that every log line of a request, and the access log, carry its id.
    "routes_site.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so that the maintenance page keeps its styles.
    "routes_site.middleware.MaintenanceModeMiddleware",
    # As early as WhiteNoise, so that a stored page costs little more than a static file;
    # pages are stored already compressed.
    "guides.page_cache.PageCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # Inside the page cache, so that a stored page keeps the headers they add.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its own answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "routes_site.urls"
WSGI_APPLICATION = "routes_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guides.context_processors.canonical_url",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections with debug off, as in production: opening one for each
        # request is a large share of a page's cost. Local development opens one per request.
        conn_max_age=env_int("CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", default=not DEBUG),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that cannot be reached or does not answer fails a request in seconds (a
    # 503), never hangs a worker: a limit on connecting and on each statement.
    # (manage.py sets no statement timeout unless told: commands may take longer.)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 3),
        options=f"-c statement_timeout={env_int('DATABASE_STATEMENT_TIMEOUT', 5) * 1000}",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory in each process by default; REDIS_URL (redis://127.0.0.1:6379/0) shares one
# Redis between app processes. Short timeouts: with Redis gone, pages are rendered instead.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("LOCAL_CACHE_ENTRIES", 2000)},
        }
    )
}
# Visitors' public pages come from the cache (guides/page_cache.py); 0 renders every one.
# Off in local development, where a template edited while the server runs must show at once.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", default=not DEBUG)
# A stored page is keyed by the content's version and the date, so this only bounds how long
# a page nobody asks for keeps its space.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 24 * 60 * 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files asked for at the site's root whatever a page says (favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "public"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security. The site runs behind a proxy that terminates TLS and says so with
# X-Forwarded-Proto (docs/deploy.md); with debug off that is the default, plain HTTP is
# redirected to HTTPS (the health check excepted, for probes inside the network) and
# browsers are told to keep to HTTPS for two years (HSTS, preload-ready). Each default has a
# variable to override it; with debug on, none of it applies.
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 2 * 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# Staff are signed out after a working day without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True

# Scripts, styles, images and fonts from this site only, no inline script or style, no
# framing, forms posted here only. No nonces: a page from the shared page cache could not
# carry a fresh one, and no page needs inline code. JSON-LD blocks are data, not scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# No page uses a device or a sensor; none may ask.
PERMISSIONS_POLICY = {
    feature: []
    for feature in ["accelerometer", "camera", "geolocation", "gyroscope", "magnetometer",
                    "microphone", "payment", "usb", "display-capture", "fullscreen"]
}  # fmt: skip

# Admin sign-in: after ten failures for an account or from an address, further tries are
# refused for an hour (a Publisher can lift the lock under "Access attempts"). The address is
# the one problem reports use, trusting only our own proxies' X-Forwarded-For entries.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ADMIN_SIGN_IN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = env_int("ADMIN_SIGN_IN_LOCK_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "guides.reports.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
# No banner on every start of every process; locks are still logged as warnings.
AXES_VERBOSE = False

# The admin's Markdown preview renders through the same function as the public pages.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "guides.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}."
    )
# One line per event on standard error, as key=value pairs after the time, so that grep finds
# a request's every line by its id (the one the access log shows).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "routes_site.middleware.RequestIdLogFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s "
            "request_id=%(request_id)s %(message)s",
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
}

# Errors reported to Sentry (or a service that speaks its protocol, such as GlitchTip) only
# when SENTRY_DSN is set; without it nothing is sent anywhere. No personal data: no
# addresses, cookies, request bodies (a reader's report) or variables of the failing code.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        release=RELEASE,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
    )

# Maintenance mode (`manage.py maintenance on`): while this file exists every page answers
# 503 with a Retry-After. Each app server looks at its own path; put it on storage they share
# to switch them all at once.
MAINTENANCE_FILE = os.environ.get("MAINTENANCE_FILE") or str(BASE_DIR / "maintenance.on")
MAINTENANCE_RETRY_SECONDS = 300

# Problem reports from readers: throttled per address (a salted hash of it is all we keep)
# and overall, and deleted after the retention period (`manage.py purge_reports`).
REPORTS_PER_ADDRESS_PER_HOUR = env_int("REPORTS_PER_ADDRESS_PER_HOUR", 5)
REPORTS_PER_HOUR = env_int("REPORTS_PER_HOUR", 200)
REPORT_RETENTION_DAYS = env_int("REPORT_RETENTION_DAYS", 180)
# How many X-Forwarded-For entries, from the right, our own proxies add; 0 trusts none. With
# debug off the site is behind one proxy (above), so each visitor keeps an address of their
# own for the throttles of problem reports and admin sign-ins.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0 if DEBUG else 1)

# Seed content (`manage.py seed`) and `loaddata hong-kong` find their fixtures here.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Email: notices of the editorial workflow (submitted, sent back, published). Printed to the
# console unless an SMTP server is given.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Route Guide <editors@localhost>")
