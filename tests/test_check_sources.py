"""check_sources against a local HTTP server: 200, 301, 404, a timeout, a refused connection."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from guides.models import ContentVersion, OfficialLink, Source

from .factories import add_parts, make_route, make_source


class Handler(BaseHTTPRequestHandler):
    def respond(self, body):
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
            return
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
            return
        self.send_response(404 if self.path == "/missing" else 200)
        self.end_headers()
        if body:
            self.wfile.write(b"hello")

    def do_HEAD(self):
        self.respond(body=False)

    def do_GET(self):
        self.respond(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def refused_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_check_sources_records_what_each_url_answered(db, server):
    urls = {
        "ok": f"{server}/ok",
        "moved": f"{server}/moved",
        "missing": f"{server}/missing",
        "slow": f"{server}/slow",
        "no-head": f"{server}/no-head",
        "refused": f"http://127.0.0.1:{refused_port()}/",
    }
    sources = {name: make_source(url=url) for name, url in urls.items()}
    route = add_parts(make_route(), 1, source=sources["ok"])
    OfficialLink.objects.filter(route=route).update(url=urls["missing"])
    output = StringIO()
    before = ContentVersion.objects.current()
    call_command("check_sources", timeout=0.5, concurrency=3, stdout=output)
    assert ContentVersion.objects.current() != before  # the register shows the checks

    def checked(name):
        return Source.objects.get(pk=sources[name].pk)

    assert (checked("ok").check_state, checked("ok").check_status) == ("ok", 200)
    assert checked("ok").check_elapsed_ms is not None and checked("ok").checked_at
    moved = checked("moved")
    assert (moved.check_state, moved.check_status, moved.check_final_url) == (
        "moved", 200, urls["ok"]
    )  # fmt: skip
    assert (checked("missing").check_state, checked("missing").check_status) == ("broken", 404)
    assert (checked("slow").check_state, checked("slow").check_error) == ("broken", "timeout")
    assert (checked("refused").check_state, checked("refused").check_error) == (
        "broken", "refused"
    )  # fmt: skip
    assert (checked("no-head").check_state, checked("no-head").check_status) == ("ok", 200)
    assert OfficialLink.objects.get(route=route).check_state == "broken"
    report = output.getvalue()
    assert f"BROKEN: {urls['missing']}" in report
    assert f"MOVED: {urls['moved']} -> {urls['ok']}" in report
    assert f"official link on {route}" in report
    assert "Checked 6 URL(s): 5 broken or moved." in report


def test_check_sources_refuses_the_internet_without_allow_network(db, server):
    make_source(url=f"{server}/ok")
    make_source(url="https://www.gov.uk/skilled-worker-visa")
    with pytest.raises(CommandError, match="--allow-network"):
        call_command("check_sources")
    assert Source.objects.filter(checked_at__isnull=False).count() == 0


def test_the_admin_filters_sources_by_state_and_shows_who_cites_them(staff_client, db, server):
    broken = make_source(url=f"{server}/missing", title="A broken page")
    make_source(url=f"{server}/ok", title="A working page")
    route = add_parts(make_route(name="Citing route"), 1, source=broken)
    OfficialLink.objects.filter(route=route).update(url=f"{server}/ok")
    call_command("check_sources", stdout=StringIO())
    page = staff_client.get("/admin/guides/source/", {"check_state": "broken"}).content.decode()
    assert "A broken page" in page and "A working page" not in page
    detail = staff_client.get(f"/admin/guides/source/{broken.pk}/change/").content.decode()
    assert route.name in detail
