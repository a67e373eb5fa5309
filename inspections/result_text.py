"""A visit's result stated in words: the conversion, bonus, penalty and survey shown apart, and refused bands.

Pages, PDFs and the spreadsheet export say the same sentences; the figures all come from
`inspections.scoring`.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from .score_text import score_text
from .scoring import VisitResult


def _n(value: Decimal | None) -> str:
    return "—" if value is None else score_text(value)


def conversion_sentence(result: VisitResult) -> str:
    """ "Converted: 82/90 applicable points × 100 = 91,11 points." when criteria were accepted as not applicable."""
    if not result.is_converted:
        return ""
    return _("Converted: %(achieved)s/%(applicable)s applicable points × %(scale)s = %(converted)s points.") % {
        "achieved": _n(result.appraised_score),
        "applicable": _n(result.applicable_max),
        "scale": _n(result.max_score),
        "converted": _n(result.converted_score),
    }


def adjustment_sentence(result: VisitResult, kind: str) -> str:
    """The bonus (or penalty) lines and what they count within their caps."""
    lines = result.bonus_lines if kind == "bonus" else result.penalty_lines
    if not lines:
        return ""
    parts = []
    for line in lines:
        part = f"{line.code} {line.title}: {_n(line.counted)}"
        if line.counted != line.recorded:
            part += " " + _("(%(recorded)s recorded, at most %(cap)s)") % {
                "recorded": _n(line.recorded),
                "cap": _n(line.max_points),
            }
        parts.append(part)
    total = result.bonus if kind == "bonus" else result.penalty
    cap = result.bonus_cap if kind == "bonus" else result.penalty_cap
    counted = sum((line.counted for line in lines), Decimal("0"))
    capped = ""
    if cap is not None and counted > total:
        capped = " " + _("(held to the cap of %(cap)s)") % {"cap": _n(cap)}
    if kind == "bonus":
        return _("Bonus points: +%(total)s%(capped)s — %(items)s.") % {
            "total": _n(total),
            "capped": capped,
            "items": "; ".join(parts),
        }
    return _("Penalty points: −%(total)s%(capped)s — %(items)s.") % {
        "total": _n(total),
        "capped": capped,
        "items": "; ".join(parts),
    }


def survey_sentence(result: VisitResult) -> str:
    """The survey component: each sub-index's result and the points it brings to the total."""
    if not result.has_survey:
        return ""
    missing = _("not imported")
    parts = [
        f"{line.code} {_n(line.value)}%" if line.value is not None else f"{line.code} {missing}"
        for line in result.survey
    ]
    return _("Survey: %(points)s of %(weight)s points (%(lines)s).") % {
        "points": _n(result.survey_points),
        "weight": _n(result.survey_weight),
        "lines": ", ".join(parts) or "—",
    }


def total_sentence(result: VisitResult) -> str:
    """How the total is made up, when anything beyond the criteria enters it."""
    if not (result.is_converted or result.adjustments or result.has_survey):
        return ""
    return _(
        "Total: %(criteria)s (criteria) + %(survey)s (survey) + %(bonus)s (bonus) − %(penalty)s (penalty) "
        "= %(total)s of %(scale)s points."
    ) % {
        "criteria": _n(result.converted_score),
        "survey": _n(result.survey_points),
        "bonus": _n(result.bonus),
        "penalty": _n(result.penalty),
        "total": _n(result.total_score),
        "scale": _n(result.scale_max),
    }


def refused_band_sentences(result: VisitResult) -> list[str]:
    """Why a band the percentage reached was not given."""
    sentences = []
    for band in result.refused_bands:
        if band.rule == "area_floor":
            sentences.append(
                _("Not graded “%(band)s”: %(areas)s below the floor of %(floor)s%%.")
                % {"band": band.label, "areas": "; ".join(band.areas), "floor": _n(band.floor)}
            )
        else:
            sentences.append(_("Not graded “%(band)s”: a serious violation was recorded.") % {"band": band.label})
    return sentences


def statement(result: VisitResult) -> list[str]:
    """Every sentence that states how the result was reached, in order; empty for a plain criteria total."""
    sentences = [
        conversion_sentence(result),
        adjustment_sentence(result, "bonus"),
        adjustment_sentence(result, "penalty"),
        survey_sentence(result),
        total_sentence(result),
        *refused_band_sentences(result),
    ]
    return [sentence for sentence in sentences if sentence]


def short_note(result: VisitResult) -> str:
    """A compact note for a table cell: conversion, bonus, penalty, survey points."""
    parts = []
    if result.is_converted:
        parts.append(
            _("converted %(achieved)s/%(applicable)s × %(scale)s")
            % {
                "achieved": _n(result.appraised_score),
                "applicable": _n(result.applicable_max),
                "scale": _n(result.max_score),
            }
        )
    if result.bonus:
        parts.append(_("bonus +%(points)s") % {"points": _n(result.bonus)})
    if result.penalty:
        parts.append(_("penalty −%(points)s") % {"points": _n(result.penalty)})
    if result.has_survey:
        parts.append(_("survey %(points)s") % {"points": _n(result.survey_points)})
    return "; ".join(parts)
