"""Lighthouse (npm, with Debian's Chromium) on the pages people arrive on, as a phone:
accessibility, best practices and SEO at 100. Its performance score is a timing: `make bench`
reports it."""

import json
import os
import subprocess

import pytest

from .conftest import CHROMIUM, NODE_TOOLS

pytestmark = pytest.mark.browser

CATEGORIES = ["accessibility", "best-practices", "seo"]


def lighthouse(url, categories):
    """Lighthouse's report on `url` (mobile, its default), as a dict."""
    result = subprocess.run(
        [NODE_TOOLS / ".bin" / "lighthouse", url, "--quiet", "--output=json",
         f"--only-categories={','.join(categories)}",
         "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def flagged(report, category):
    """What Lighthouse holds against the page in a category: each audit below full marks."""
    audits = [report["audits"][ref["id"]] for ref in report["categories"][category]["auditRefs"]]
    return [
        f"{audit['id']}: {audit['title']} {audit.get('displayValue', '')}"
        for audit in audits
        if audit["score"] is not None and audit["score"] < 1
    ]


@pytest.mark.parametrize(
    "path", ["/hong-kong/qmas/", "/", "/finder/", "/hong-kong/qmas/self-assessment/"]
)
def test_lighthouse_gives_full_marks(site, path):
    assert (NODE_TOOLS / ".bin" / "lighthouse").exists(), "run `make test-browser`"
    report = lighthouse(site + path, CATEGORIES)
    scores = {category: report["categories"][category]["score"] for category in CATEGORIES}
    assert scores == dict.fromkeys(CATEGORIES, 1), {c: flagged(report, c) for c in CATEGORIES}
