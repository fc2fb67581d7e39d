"""Markdown from editors, rendered and sanitised in one place.

The public pages and the admin's live preview both call `render_markdown`, so an editor
sees exactly what a visitor will.
"""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}


# A link whose address nh3 removed (`javascript:`, `data:`): only its text is kept, since an
# `<a>` with a `rel` and no `href` is not valid HTML.
LINK_WITHOUT_ADDRESS = re.compile(r"<a(?=[\s>])(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)


def render_markdown(text):
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists", "smarty"])
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return LINK_WITHOUT_ADDRESS.sub(r"\1", html)
