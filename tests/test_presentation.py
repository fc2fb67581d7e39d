"""What every page links besides its HTML: the icons a browser or a phone asks for, the
stylesheets for the screen and for paper."""

import re
from pathlib import Path

from django.conf import settings


def test_the_favicon_is_served_at_the_root_where_every_browser_asks_for_it(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # an icon file


def test_pages_link_icons_and_a_print_stylesheet_that_exist(client, seeded):
    page = client.get("/hong-kong/qmas/").content.decode()
    links = dict(re.findall(r'<link rel="([^"]+)" href="([^"]+)"', page))
    assert links["icon"].endswith(".svg") and links["apple-touch-icon"].endswith(".png")
    for address in [links["icon"], links["apple-touch-icon"]]:
        assert client.get(address).status_code == 200
    assert re.search(r'<link rel="stylesheet" href="[^"]+print\.css" media="print">', page)
    assert '<meta name="color-scheme" content="light dark">' in page


def test_the_public_stylesheets_move_nothing():
    """Nothing animates, so there is nothing to stop for readers who ask for less motion."""
    for name in ["site.css", "print.css"]:
        css = (Path(settings.BASE_DIR) / "static" / "css" / name).read_text()
        assert "animation" not in css and "transition" not in css and "smooth" not in css
