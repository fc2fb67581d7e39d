#!/bin/sh
# manage.py with the site's settings, as systemd gives them to the app:
#   sudo -u routeguide deploy/manage.sh migrate
# ROUTE_GUIDE_ENV names another settings file (default /etc/route-guide/route-guide.env).
set -eu
set -a
. "${ROUTE_GUIDE_ENV:-/etc/route-guide/route-guide.env}"
set +a
cd "$(dirname "$0")/.."
exec .venv/bin/python manage.py "$@"
