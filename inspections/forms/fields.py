"""Form fields shared by the screens: decimal scores typed either way, dates as dd/mm/yyyy, attendee lists."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ..score_text import score_range_message


class DayMonthYearInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the browser's own language.

    A native date picker shows the browser's locale (10/05/2020 for 5 October in an English
    browser), which officials misread; a text field with the Vietnamese order does not.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "maxlength": 10}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class YearField(forms.IntegerField):
    """A campaign's year, with one message for anything outside the years the product serves."""

    def __init__(self, **kwargs):
        message = _("Enter a year between 2000 and 2100, for example 2020.")
        kwargs.setdefault("error_messages", {"invalid": message, "min_value": message, "max_value": message})
        super().__init__(min_value=2000, max_value=2100, **kwargs)


class LongTextField(forms.CharField):
    """A free text written in a textarea, with a length limit a person is told about.

    Comments default to 5,000 characters: enough for a page of remarks, not for a pasted document.
    """

    widget = forms.Textarea

    def __init__(self, *, max_length: int = 5000, rows: int = 3, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {
                "max_length": _(
                    "This text is too long: at most %(limit_value)d characters, it has %(show_value)d. Shorten it."
                )
            },
        )
        super().__init__(max_length=max_length, **kwargs)
        self.widget.attrs.setdefault("rows", rows)


# A leading minus is read as a number so that "-1" gets the range message, not "enter a number".
_SCORE_PATTERN = re.compile(r"^-?\d+(\.\d+)?$")


class ScoreField(forms.Field):
    """A score such as `7,5` or `7.5`, whatever the active language; up to two decimals.

    The maximum is checked with a message naming it, so the inspector knows the range.
    """

    widget = forms.TextInput

    def __init__(self, *, max_value: Decimal | None = None, **kwargs):
        self.max_value = max_value
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": 6})
        return attrs

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return number_format(value.normalize() if value == value.to_integral() else value, use_l10n=True)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(" ", "").replace(",", ".")
        if not _SCORE_PATTERN.match(text):
            raise ValidationError(_("Enter a number such as 7,5 or 7.5."), code="invalid")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Enter a number such as 7,5 or 7.5."), code="invalid") from None
        if number.as_tuple().exponent < -2:
            # Trailing zeros ("2.50000") are the same number; only real third decimals are refused.
            rounded = number.quantize(Decimal("0.01"))
            if rounded != number:
                raise ValidationError(_("Use at most two decimals."), code="decimals")
            number = rounded
        return number

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < 0 and self.max_value is None:
            raise ValidationError(_("The number cannot be negative."), code="range")
        if value < 0 or (self.max_value is not None and value > self.max_value):
            raise ValidationError(score_range_message(self.max_value), code="range")


_ATTENDEE_SPLIT = re.compile(r"\s+[–—-]\s+|\s*,\s*")


class AttendeesField(forms.CharField):
    """One attendee a line, "name – position"; kept as a list of {name, position}."""

    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("One person a line: name – position."))
        kwargs.setdefault("max_length", 5000)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("rows", 4)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(" – ".join(filter(None, [a.get("name", ""), a.get("position", "")])) for a in value)
        return value

    def clean(self, value):
        text = super().clean(value)
        people = []
        for line in (text or "").splitlines():
            line = line.strip()
            if not line:
                continue
            parts = _ATTENDEE_SPLIT.split(line, maxsplit=1)
            name = parts[0].strip()
            position = parts[1].strip() if len(parts) > 1 else ""
            if not name:
                raise ValidationError(_("Each attendee needs a name."))
            people.append({"name": name, "position": position})
        return people
