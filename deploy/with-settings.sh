#!/bin/sh
# Runs a command with the site's settings, read as systemd reads its EnvironmentFile: one
# NAME=value a line, the value taken as it is (no shell expansion of $, quotes or spaces).
# A variable already set in the environment wins, so that a command can be told otherwise:
#   sudo -u routeguide deploy/with-settings.sh .venv/bin/python manage.py check
# ROUTE_GUIDE_ENV names another settings file (default /etc/route-guide/route-guide.env).
set -eu
settings="${ROUTE_GUIDE_ENV:-/etc/route-guide/route-guide.env}"
if [ ! -r "$settings" ]; then
    echo "$0: cannot read $settings (run it as root or as the site's user, with sudo)" >&2
    exit 1
fi
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
        "" | "#"* | ";"*) continue ;;
    esac
    printenv "${line%%=*}" >/dev/null || export "$line"
done < "$settings"
exec "$@"
