"""Linking a page's words to the glossary: the first use of each term on a page only."""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


class GlossaryLinker:
    """Made once for each page render: it remembers which terms that page has linked."""

    def __init__(self, terms):
        self.forms = [(form, term) for term in terms for form in term.forms()]
        # Longer forms first: "sponsor licence" is linked as a whole, not as "sponsor".
        self.forms.sort(key=lambda pair: len(pair[0]), reverse=True)
        self.linked = set()

    def link(self, text):
        """`text`, escaped, with the first use on the page of each term linked. Terms are
        found in the plain text, never in markup, and never overlap."""
        text = text or ""
        spans = []
        for form, term in self.forms:
            if term.pk in self.linked:
                continue
            for found in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.I):
                start, end = found.span()
                if all(
                    end <= taken_start or start >= taken_end for taken_start, taken_end, _ in spans
                ):
                    spans.append((start, end, term))
                    self.linked.add(term.pk)
                    break
        pieces, position = [], 0
        for start, end, term in sorted(spans, key=lambda span: span[0]):
            pieces.append(escape(text[position:start]))
            pieces.append(
                format_html(
                    '<a href="{}" class="glossary-link">{}</a>',
                    term.get_absolute_url(),
                    text[start:end],
                )
            )
            position = end
        pieces.append(escape(text[position:]))
        return mark_safe("".join(pieces))
