"""Load and faults: `make loadtest`, by hand (CI runs a short version).

Two gunicorn processes share one Redis and the PostgreSQL test database, as two app servers
would. wrk sends mixed traffic (route, jurisdiction, list, search and finder pages) at 64
connections for LOAD_SECONDS (60 by default) while an Editor saves the QMAS page again and
again, a Publisher publishes it and readers send a few problem reports, all through the
app. Afterwards: no 5xx; every save answered with a redirect is there when the Editor looks
again, and every other save left nothing; every report answered with a redirect is stored.
With PostgreSQL restarted in the middle, the only errors are 503s, only while it is down;
with Redis stopped in the middle, there are none.
"""

import os
import re
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.urls import reverse

from guides.models import ProblemReport, Route

from .app_processes import AppProcess, Session
from .forms import form_data

pytestmark = [pytest.mark.load, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
CONNECTIONS = 64
# A database that comes back answers at once; 5 s covers the connections it must reopen.
RECOVERY_SECONDS = 5
TRAFFIC = """
local paths = {"/hong-kong/qmas/", "/hong-kong/", "/routes/", "/routes/?sponsorship=no",
  "/search/?q=skilled+worker", "/finder/?nationality=IN&age=30&purposes=settle",
  "/canada/express-entry/", "/singapore/", "/jurisdictions/", "/search/?q=husband"}
local n = 0
counts = {}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], {["X-Forwarded-Proto"] = "https"})
end
function response(status)
  local key = os.time() .. " " .. status
  counts[key] = (counts[key] or 0) + 1
end
function done()
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("counts")) do print("ANSWERED " .. key .. " " .. count) end
  end
end
"""


@dataclass
class Outage:
    """When PostgreSQL was restarted, in seconds since the epoch; None without a restart."""

    started: float | None = None
    ended: float | None = None

    def excuses(self, second):
        return self.started is not None and (
            int(self.started) <= second <= self.ended + RECOVERY_SECONDS
        )


@dataclass
class Work:
    """What the Editor, the Publisher and the readers did, and what went wrong."""

    saves: Counter = field(default_factory=Counter)
    publishes: Counter = field(default_factory=Counter)
    reports: Counter = field(default_factory=Counter)
    problems: list = field(default_factory=list)
    unanswered: list = field(default_factory=list)


def until(deadline, step, work):
    """Do `step` until the deadline; a request the site never answered (a timeout, a refused
    connection) is counted, and its save neither checked nor retried."""
    while time.time() < deadline:
        try:
            step()
        except OSError as error:
            work.unanswered.append(repr(error))


def editor_at_work(app, route, deadline, work):
    editor = Session(app.port)
    editor.log_in("load-editor", "pw-load-editor")
    change = reverse("admin:guides_route_change", args=[route.pk])
    number = 0

    def save():
        nonlocal number
        number += 1
        status, form = editor.request(change)
        if status != 200:
            work.saves[f"form {status}"] += 1
            return
        data = form_data(form, "route_form")
        marker = f"Load marker {number}."
        data["criteria-0-text"] = [marker]
        status, _ = editor.request(change, data)
        work.saves[status] += 1
        for _ in range(100):  # look again, once the site answers
            seen, form = editor.request(change)
            if seen == 200:
                break
            time.sleep(0.1)
        if (marker in form) != (status == 302):
            work.problems.append(f"save answered {status}, its text shown: {marker in form}")

    until(deadline, save, work)


def publisher_at_work(app, route, deadline, work):
    publisher = Session(app.port)
    publisher.log_in("load-publisher", "pw-load-publisher")
    url = reverse("admin:guides_route_publish", args=[route.pk])

    def publish():
        status, form = publisher.request(url)
        if status == 200 and 'name="publish"' in form:
            data = form_data(form, "publish-form")
            data["publish"] = ["Publish"]
            status, _ = publisher.request(url, data)
        work.publishes[status] += 1
        time.sleep(0.2)

    until(deadline, publish, work)


def reader_reports(app, route, work):
    reader = Session(app.port)
    report = reverse("guides:report", args=[route.jurisdiction.slug, route.slug])
    for number in range(3):
        status, form = reader.request(report)
        if status == 200:
            data = form_data(form, "report-form")
            data["message"] = [f"Load report {number}: the fee looks out of date."]
            status, _ = reader.request(report, data)
        work.reports[status] += 1
        time.sleep(SECONDS / 4)


def restart_postgres(outage):
    time.sleep(SECONDS / 3)
    outage.started = time.time()
    subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)
    outage.ended = time.time()


def stop_redis(redis):
    time.sleep(SECONDS / 3)
    redis.kill()  # pages are rendered from then on: none is lost, no outage is excused


def traffic(app, script, seconds):
    return subprocess.run(
        ["wrk", "--threads", "2", "--connections", str(CONNECTIONS // 2), "--duration",
         f"{seconds}s", "--timeout", "10s", "--latency", "--script", script,
         f"http://127.0.0.1:{app.port}/"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


@pytest.fixture
def staff(seeded, django_user_model, settings):
    from django.contrib.auth.models import Group

    # Hashed as the app processes check them, not with the tests' fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for name, group in [("load-editor", "Editors"), ("load-publisher", "Publishers")]:
        user = django_user_model.objects.create_user(name, password=f"pw-{name}", is_staff=True)
        user.groups.add(Group.objects.get(name=group))


@pytest.mark.parametrize("fault", [None, "database-restarted", "redis-stopped"])
def test_mixed_load_with_editing_loses_nothing_and_fails_no_reader(
    staff, redis_server, collected_static, tmp_path, fault
):
    if fault == "database-restarted" and os.geteuid() != 0:
        pytest.fail("Restarting PostgreSQL needs root (pg_ctlcluster): run make loadtest as root")
    script = tmp_path / "traffic.lua"
    script.write_text(TRAFFIC)
    redis, redis_url = redis_server
    apps = [AppProcess(redis_url, workers=2), AppProcess(redis_url, workers=2)]
    route = Route.objects.select_related("jurisdiction").get(slug="qmas")
    reports_before = ProblemReport.objects.count()
    work, outage, outputs = Work(), Outage(), [None, None]
    deadline = time.time() + SECONDS
    people = [
        threading.Thread(target=editor_at_work, args=(apps[0], route, deadline, work)),
        threading.Thread(target=publisher_at_work, args=(apps[1], route, deadline, work)),
        threading.Thread(target=reader_reports, args=(apps[0], route, work)),
        *(threading.Thread(target=lambda n=n: outputs.__setitem__(n, traffic(apps[n], script,
          SECONDS))) for n in range(2)),
        *([threading.Thread(target=restart_postgres, args=(outage,))]
          if fault == "database-restarted" else []),
        *([threading.Thread(target=stop_redis, args=(redis,))] if fault == "redis-stopped" else []),
    ]  # fmt: skip
    for person in people:
        person.start()
    for person in people:
        person.join()
    for app in apps:
        app.stop()
    connection.close()  # the test's own connection did not survive a restart

    answered = Counter()
    unexcused = []
    for output in outputs:
        for second, status, count in re.findall(r"ANSWERED (\d+) (\d+) (\d+)", output):
            answered[int(status)] += int(count)
            if int(status) >= 500 and not (int(status) == 503 and outage.excuses(int(second))):
                unexcused.append((second, status, count))
    latencies = {
        percentile: [re.search(rf"{percentile}\s+([\d.]+\w+)", output)[1] for output in outputs]
        for percentile in ["50%", "99%"]
    }
    print(f"\nLoad for {SECONDS} s at {CONNECTIONS} connections, fault: {fault}")
    print(f"answers by status: {dict(answered)}; p50 {latencies['50%']}, p99 {latencies['99%']}")
    print(f"saves {dict(work.saves)}, publishes {dict(work.publishes)}, "
          f"reports {dict(work.reports)}, unanswered {len(work.unanswered)}")  # fmt: skip
    if outage.started:
        print(f"PostgreSQL down for {outage.ended - outage.started:.1f} s")

    assert not unexcused, unexcused
    # A hung or dropped request reaches no status above: wrk counts it as a socket error.
    assert not [line for output in outputs for line in re.findall(r"Socket errors.*", output)]
    assert not work.unanswered, work.unanswered
    assert not work.problems, work.problems
    assert work.saves[302] > 0 and work.publishes[302] > 0
    assert ProblemReport.objects.count() - reports_before == work.reports[302]
    assert sum(count for status, count in answered.items() if status < 400) > 1000
