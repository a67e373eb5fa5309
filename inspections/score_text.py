"""Scores written as the criteria sheet writes them, and the one message for a score out of range."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def score_text(value: Decimal | int | str) -> str:
    """A score without trailing zeros, in the active language: 3, 2,5 and 0,25 in Vietnamese (2.5 in English)."""
    number = Decimal(str(value))
    return number_format(Decimal(format(number.normalize(), "f")), use_l10n=True)


def score_range_message(maximum: Decimal | int | str) -> str:
    """ "The score must lie between 0 and 2,5.": the same words for the self score and the appraised score."""
    return _("The score must lie between 0 and %(max)s.") % {"max": score_text(maximum)}
