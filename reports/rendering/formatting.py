"""How official documents write numbers, dates, units and names (Decree 30/2020/NĐ-CP usage)."""

import datetime as dt
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit


def number(value, places: int = 2) -> str:
    """7,5 and 84,25: a decimal comma, at most `places` decimals, no trailing zeros; "" for None."""
    if value is None:
        return ""
    quantized = Decimal(value).quantize(Decimal(1).scaleb(-places))
    normalized = quantized.normalize()
    decimals = max(0, -normalized.as_tuple().exponent)
    return number_format(quantized, decimals, use_l10n=True)


def signed(value, places: int = 2) -> str:
    """A change with its sign: +2,5 or -1,25; "0" for no change; "" for None."""
    if value is None:
        return ""
    text = number(value, places)
    return f"+{text}" if Decimal(value) > 0 else text


def short_date(value: dt.date | None) -> str:
    """dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y") if value else ""


def clock(value: dt.time | None) -> str:
    """A time of day as documents write it: 8 giờ 30, 14 giờ 00; "" for None."""
    if value is None:
        return ""
    return _("%(hour)s:%(minute)s") % {"hour": value.hour, "minute": f"{value.minute:02d}"}


def long_date(value: dt.date) -> str:
    """The date as the place-date line writes it: ngày 28 tháng 10 năm 2020.

    Decree 30 writes a leading zero before days under 10 and the months 1 and 2 only.
    """
    return _("day %(day)s month %(month)s year %(year)s") % {
        "day": f"{value.day:02d}",
        "month": f"{value.month:02d}" if value.month < 3 else str(value.month),
        "year": value.year,
    }


def no_stop(text) -> str:
    """A text without its closing punctuation, to be followed by more of the sentence."""
    return str(text or "").strip().rstrip(".;:, ")


def short_area_title(title: str) -> str:
    """A review area's title up to its first semicolon: "Cải cách tổ chức bộ máy"."""
    return str(title).split(";")[0].strip()


def unit_phrase(unit: AdministrativeUnit) -> str:
    """A unit inside a sentence, its kind in lower case: xã Tân Hội, huyện Tân Hiệp."""
    return unit.name_in_sentence


def committee_of(unit: AdministrativeUnit) -> str:
    """The People's Committee of a unit, in a sentence: Ủy ban nhân dân huyện Tân Hiệp."""
    return _("People's Committee of %(unit)s") % {"unit": unit_phrase(unit)}


def committee_short(unit: AdministrativeUnit) -> str:
    """The abbreviation used in running text: UBND xã Tân Hội."""
    return _("PC of %(unit)s") % {"unit": unit_phrase(unit)}
