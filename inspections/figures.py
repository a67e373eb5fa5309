"""Figures written as the templates write them, for the pages written in Python.

`floatformat:"-2"` goes through Django's formatting machinery (a decimal context, the active
language's formats, grouping) for every value: some twenty microseconds each, and a province's
dashboard writes a few hundred. `two_places` gives the same text for the figures those pages show.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import floatformat
from django.utils.formats import get_format

TWO_PLACES = Decimal("0.01")
# Below a thousand no thousands separator is written, whatever the language: the fast path stops there.
_PLAIN_BELOW = Decimal("1000")


def two_places(value, decimal_separator: str | None = None) -> str:
    """As `{{ value|floatformat:"-2" }}` in the active language: 7, 7,50 and 0,25 (7.50 in English).

    A whole number is written without decimals, any other with two, rounded half up. Values other
    than finite decimals and integers under a thousand are left to Django's filter.
    `decimal_separator`: the active language's, when the caller has read it once for many values.
    """
    if isinstance(value, int) and not isinstance(value, bool) and -1000 < value < 1000:
        return str(value)
    if not isinstance(value, Decimal) or not value.is_finite() or abs(value) >= _PLAIN_BELOW:
        return floatformat(value, "-2")
    if value == value.to_integral_value():
        return str(int(value))
    rounded = value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    if not rounded:
        # -0,001 is written 0,00, as the filter drops the sign of a zero.
        rounded = abs(rounded)
    separator = decimal_separator if decimal_separator is not None else get_format("DECIMAL_SEPARATOR")
    return f"{rounded:f}".replace(".", separator)
