# Route Guide: Django served by gunicorn, static files by WhiteNoise.
# Build:  docker build -t route-guide .
# See docs/deploy.md for the environment the container needs at run time.
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GUNICORN_BIND=0.0.0.0:8000 \
    MAINTENANCE_FILE=/tmp/route-guide-maintenance

WORKDIR /app

# Unprivileged user the server runs as (numeric ids, so orchestrators can
# check it is not root); the code stays owned by root and read-only to it.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

# Dependencies first, exactly as locked (versions and hashes), so that a change
# to the code alone reuses this layer instead of reinstalling everything.
COPY requirements/production.txt requirements/production.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/production.txt

# The code runs from /app as it is (manage.py, routes_site/, guides/,
# templates/, static/, fixtures/, deploy/); .dockerignore keeps out the rest:
# tests, docs, tools and every *.env. Static files are collected at build time;
# the key, hosts and address here serve this one step and are not kept.
COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost SITE_URL=http://localhost \
    python manage.py collectstatic --noinput

USER 10001:10001

EXPOSE 8000

# 200 from /healthz means the app and its database answer; anything else
# (503, connection refused, timeout) marks the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "routes_site.wsgi"]
