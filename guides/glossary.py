"""Linking a page's words to the glossary: the first use of each term on a page only."""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


class GlossaryLinker:
    """Made once for each page render: it remembers which terms that page has linked."""

    def __init__(self, terms):
        self.forms = [(form, term) for term in terms for form in term.forms()]
        self.forms.sort(key=lambda pair: len(pair[0]), reverse=True)
        self.linked = set()

    def link(self, text):
        """`text`, escaped, with the first use on the page of each term linked."""
        html = escape(text or "")
        for form, term in self.forms:
            if term.pk in self.linked:
                continue
            pattern = re.compile(rf"(?<![\w>/])({re.escape(escape(form))})(?![\w<])", re.I)
            found = pattern.search(html)
            if found and not inside_link(html, found.start()):
                link = format_html('<a href="{}" class="glossary-link">{}</a>',
                                   term.get_absolute_url(), mark_safe(found.group(1)))  # fmt: skip
                html = html[: found.start()] + link + html[found.end() :]
                self.linked.add(term.pk)
        return mark_safe(html)


def inside_link(html, position):
    """Whether `position` falls inside an <a> already made."""
    return html.rfind("<a ", 0, position) > html.rfind("</a>", 0, position)
