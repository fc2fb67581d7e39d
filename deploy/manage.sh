#!/bin/sh
# manage.py with the site's settings, as systemd gives them to the site (with-settings.sh):
#   sudo -u routeguide deploy/manage.sh migrate
# Paths given to a command are taken from the folder you are in.
set -eu
site="$(cd "$(dirname "$0")/.." && pwd)"
exec "$site/deploy/with-settings.sh" "$site/.venv/bin/python" "$site/manage.py" "$@"
