# Route Guide: Django served by gunicorn, static files by WhiteNoise.
# Build:  docker build -t route-guide .
# See docs/deploy.md for the environment the container needs at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Unprivileged user the server runs as (numeric ids, so orchestrators can
# check it is not root); the code stays owned by root and read-only to it.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

# The whole source tree (manage.py, pyproject.toml, routes_site/, guides/,
# templates/, static/, fixtures/); .dockerignore keeps the rest out.
COPY . .

# Install the project and its dependencies from pyproject.toml, then collect
# static files. The secret key and allowed hosts here are throwaway values
# for this one build step only; they are not kept in the image.
RUN pip install --no-cache-dir . \
    && rm -rf build ./*.egg-info \
    && DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost SITE_URL=http://localhost \
       python manage.py collectstatic --noinput

USER 10001:10001

EXPOSE 8000

# 200 from /healthz means the app and its database answer; anything else
# (503, connection refused, timeout) marks the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

CMD ["gunicorn", "routes_site.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
