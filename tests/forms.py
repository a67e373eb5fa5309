"""Read a form off a rendered page the way a browser would submit it untouched."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action", ""), "values": {}, "options": {}}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        values = self._form["values"]
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    values[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                values[name] = attrs.get("value", "")
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = name
            self._form["options"][name] = []
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self._form["options"][self._select].append(value)
            # The first option unless another is selected, as a browser does.
            if "selected" in attrs or self._select not in values:
                values[self._select] = value
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea = name
            values[name] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["values"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def page_forms(html: str) -> list[dict]:
    """Every form of the page: its action, the values it would submit untouched, the options of its selects."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field: str) -> dict:
    """The first form of the page that holds `field`."""
    for form in page_forms(html):
        if field in form["values"] or field in form["options"]:
            return form
    raise AssertionError(f"no form with a field {field!r} on the page")
