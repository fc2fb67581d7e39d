"""Read a rendered HTML form back into the data a browser would post."""

from html.parser import HTMLParser


class FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data = {}
        self._textarea = None
        self._select = None
        self.textareas = set()

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        if not self.in_form or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "file", "image"}:
                self._add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.textareas.add(attrs["name"])
            self._add(self._textarea, "")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea:
                self.data[self._textarea][-1] = self.data[self._textarea][-1].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.in_form = False


def form_data(html, form_id):
    """The form's fields as a browser posts them: text boxes with CRLF line breaks."""
    parser = FormParser(form_id)
    parser.feed(html)
    return {
        name: [value.replace("\r\n", "\n").replace("\n", "\r\n") for value in values]
        if name in parser.textareas
        else values
        for name, values in parser.data.items()
    }
