"""Charts drawn as SVG: the same drawings on the dashboard and in the PDF report.

Horizontal bars only, written directly as SVG text: a province's ranking is some 170 bars, drawn
in about a millisecond, so a dashboard read after any score changed does not wait for it. The SVG is
self-contained (no scripts, no styles, no external URLs, no ids) so WeasyPrint can embed it and a page
can inline several; every text in it is escaped here.
"""

import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.conf import settings
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

from inspections.results import CampaignResults

# Sizes are in drawing units. The PDF prints a drawing WIDTH units wide across the 160 mm text block
# (about 0,76 pt a unit), so labels of 14 units print at about 10,5 pt, values of 13 at about 10 pt;
# the dashboard scales the same drawing to the width of the screen.
WIDTH = 600
# Below this width (a phone's drawing) the axis shows 0, 50 and 100 only, and communes' labels are short.
NARROW = 400
# Two greys a greyscale printer keeps apart: this year mid grey, last year light grey. Values are black:
# readable on both (4.6:1 on the darker), and beside a bar too short to hold them.
SERIES_COLOURS = ("#7a7a7a", "#cfcfcf")
VALUE_COLOUR = "#000000"
GUIDE_COLOUR = "#d0d0d0"
TITLE_SIZE, LABEL_SIZE, VALUE_SIZE, LEGEND_SIZE = 16, 14, 13, 14
MARGIN, SPACING = 8, 8
# Each bar; the gap between two categories grows with the bars a category has.
BAR_HEIGHT, CATEGORY_GAP = 20, 6
AXIS_VALUES, NARROW_AXIS_VALUES = (0, 20, 40, 60, 80, 100), (0, 50, 100)


def _font_family() -> str:
    """The charts' text in the official documents' font family (settings.PDF_FONT_FAMILY)."""
    family = settings.PDF_FONT_FAMILY.replace("'", "").replace('"', "")
    return f"'{family}', 'Times New Roman', serif"


ONE_PLACE = Decimal("0.1")


def _percent_label(value, decimal_separator: str | None = None) -> str:
    # Decimal comma in Vietnamese (84,5), point in English: the active language decides. Rounded half up
    # as the tables round (84,56 is 84,6): Django's number_format alone would cut the second place off.
    # Below a thousand no grouping is written: the separator alone, read once per drawing by the caller.
    if value is None:
        return ""
    rounded = Decimal(str(value)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    if abs(rounded) >= 1000:
        return number_format(rounded, 1)
    separator = decimal_separator if decimal_separator is not None else get_format("DECIMAL_SEPARATOR")
    return f"{rounded if rounded else abs(rounded):f}".replace(".", separator)


# Widths in ems, by kind of letter, of the widest serif a browser may fall back on (DejaVu Serif, where
# neither the PDF's Liberation Serif nor Times is installed): an estimate that errs wide leaves a label
# a little room rather than cutting its first letters off at the drawing's edge.
_NARROW_LETTERS = frozenset("fijlrtI.,:;'!|()[]")
_WIDE_LETTERS = frozenset("mwMW")


@functools.lru_cache(maxsize=512)
def _char_width(char: str) -> float:
    base = unicodedata.normalize("NFD", char)[:1] or char
    if base == " ":
        return 0.32
    if base in _WIDE_LETTERS:
        return 1.0
    if base in _NARROW_LETTERS:
        return 0.42
    if base.isdigit():
        return 0.64
    if base.isupper():
        return 0.8
    return 0.63


# A province's drawings measure the same few hundred labels at every reading.
@functools.lru_cache(maxsize=4096)
def _text_width(text: str, size: float) -> float:
    """An estimate of the width of `text` at `size`, no narrower than the widest serif it may be drawn in."""
    return sum(_char_width(char) for char in text) * size


def _lines(text: str, size: float, width: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `width` (a single long word keeps its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _n(value: float) -> str:
    """A coordinate: one decimal at most."""
    return f"{value:.1f}".removesuffix(".0")


def horizontal_bars(
    *,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[Decimal | None]]],
    width: int,
    legend: bool,
) -> str:
    """Labelled horizontal bars on a 0–100 scale, one bar per series in each category, first category on top.

    Labels stand left of the bars when they leave the bars at least two fifths of the width, otherwise above
    them (a phone's drawing). A value is printed inside its bar, or just after it when the bar is too
    short to hold it; a category without a value has no bar. Each bar carries a tooltip (<title>) that
    `printed` removes. The height follows from the content; the drawing scales to its container's width.
    """
    inner = width - 2 * MARGIN
    label_width = max((_text_width(label, LABEL_SIZE) for label in labels), default=0)
    beside = label_width + SPACING <= inner * 0.6
    title_lines = _lines(title, TITLE_SIZE, inner)
    out: list[str] = []
    y = MARGIN
    for line in title_lines:
        y += TITLE_SIZE
        out.append(
            f'<text x="{_n(width / 2)}" y="{_n(y)}" font-size="{TITLE_SIZE}" text-anchor="middle">{escape(line)}</text>'
        )
        y += TITLE_SIZE * 0.3
    y += SPACING
    plot_left = MARGIN + (label_width + SPACING if beside else 0)
    plot_right = width - MARGIN - _text_width("100", LABEL_SIZE) / 2
    scale = (plot_right - plot_left) / 100
    label_room = 0 if beside else LABEL_SIZE * 1.3
    gap = CATEGORY_GAP * len(series)
    block = label_room + len(series) * BAR_HEIGHT + gap
    plot_top = y
    plot_bottom = plot_top + block * len(labels)
    axis_values = AXIS_VALUES if width >= NARROW else NARROW_AXIS_VALUES
    for value in axis_values:
        x = _n(plot_left + value * scale)
        colour = "#000000" if value == 0 else GUIDE_COLOUR
        dash = "" if value == 0 else ' stroke-dasharray="4 3"'
        out.append(f'<path d="M{x} {_n(plot_top)}V{_n(plot_bottom)}" stroke="{colour}"{dash}/>')
        out.append(
            f'<text x="{x}" y="{_n(plot_bottom + 4 + LABEL_SIZE)}" font-size="{LABEL_SIZE}" '
            f'text-anchor="middle">{value}</text>'
        )
    colours = [SERIES_COLOURS[number % len(SERIES_COLOURS)] for number in range(len(series))]
    separator = get_format("DECIMAL_SEPARATOR")
    for index, label in enumerate(labels):
        top = plot_top + index * block + gap / 2
        text = escape(label)
        if beside:
            middle = top + len(series) * BAR_HEIGHT / 2
            out.append(
                f'<text x="{_n(plot_left - SPACING)}" y="{_n(middle + LABEL_SIZE * 0.35)}" font-size="{LABEL_SIZE}" '
                f'text-anchor="end">{text}</text>'
            )
        else:
            out.append(f'<text x="{_n(plot_left)}" y="{_n(top + LABEL_SIZE)}" font-size="{LABEL_SIZE}">{text}</text>')
        for number, (name, values) in enumerate(series):
            value = values[index]
            if value is None:
                continue
            bar_top = top + label_room + number * BAR_HEIGHT
            length = min(max(float(value), 0.0), 100.0) * scale
            shown = _percent_label(value, separator)
            out.append(
                f'<rect x="{_n(plot_left)}" y="{_n(bar_top + 1)}" width="{_n(length)}" height="{BAR_HEIGHT - 2}" '
                f'fill="{colours[number]}"><title>{text} ({escape(name)}): {shown}</title></rect>'
            )
            baseline = _n(bar_top + BAR_HEIGHT / 2 + VALUE_SIZE * 0.35)
            if length >= _text_width(shown, VALUE_SIZE) + 6:
                x, anchor = _n(plot_left + length / 2), ' text-anchor="middle"'
            else:
                x, anchor = _n(plot_left + length + 4), ""
            out.append(
                f'<text x="{x}" y="{baseline}" font-size="{VALUE_SIZE}" fill="{VALUE_COLOUR}"{anchor}>{shown}</text>'
            )
    y = plot_bottom + 4 + LABEL_SIZE * 1.3
    if legend:
        y += SPACING
        x = plot_left
        for number, (name, _values) in enumerate(series):
            out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="12" height="12" fill="{colours[number]}"/>')
            out.append(f'<text x="{_n(x + 18)}" y="{_n(y + 11)}" font-size="{LEGEND_SIZE}">{escape(name)}</text>')
            x += 18 + _text_width(name, LEGEND_SIZE) + 3 * SPACING
        y += 12
    height = round(y + MARGIN)
    family = escape(_font_family())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" font-family="{family}" fill="#000000">'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>' + "".join(out) + "</svg>"
    )


# What only a screen uses: the bars' tooltips (<title>). The drawing itself is the same without them.
_SCREEN_ONLY = re.compile(r"<title>[^<]*</title>")


def printed(svg: str) -> str:
    """A drawing as a document prints it: without the tooltips only a screen uses."""
    return _SCREEN_ONLY.sub("", svg)


_LEADING_WORDS = re.compile(r"^(công tác|the)\s+", re.IGNORECASE)
_TRAILING_WORDS = re.compile(r",?\s+(cải cách hành chính|of administrative reform)$", re.IGNORECASE)


def area_label(area) -> str:
    """A review area on an axis, short enough to leave the bars room: "2. Chỉ đạo, điều hành".

    Its title up to the first semicolon, without a leading "Công tác" nor a trailing
    "cải cách hành chính" that every area shares.
    """
    # In the reader's language on a page; documents are drawn in Vietnamese.
    title = str(area.shown_title).split(";")[0].strip()
    short = _TRAILING_WORDS.sub("", _LEADING_WORDS.sub("", title)).strip() or title
    return f"{area.number}. {short[:1].upper()}{short[1:]}"


def area_chart_svg(results: CampaignResults, *, width: int = WIDTH) -> str:
    """Average appraised percentage per review area, with last year's beside it when known.

    Horizontal bars, so that each area is named on the axis, first area on top.
    """
    areas = list(zip(results.areas, results.area_summaries, strict=True))
    bars = [(str(results.plan.year), [summary.average_percent for _area, summary in areas])]
    if results.previous_plan is not None:
        bars.append(
            (
                str(results.previous_plan.year),
                [summary.previous_average_percent for _area, summary in areas],
            )
        )
    return horizontal_bars(
        title=_("Average result per review area (%)"),
        labels=[area_label(area) for area, _summary in areas],
        series=bars,
        width=width,
        legend=True,
    )


def ranking_label(row, *, short: bool = False, words: tuple[str, str] | None = None) -> str:
    """A commune on the ranking axis: its rank and name, or its name and why it has no rank yet.

    Short (a phone's drawing): a provisional result is marked with an asterisk, as in the dashboard's
    table and its note, and a commune not appraised has its name alone and no bar. `words`: the two
    sentences `_ranking_words` gives, translated once for a drawing's many communes.
    """
    if row.rank is not None:
        return f"{row.rank}. {row.unit}"
    if short:
        return f"{row.unit} *" if row.percent is not None else str(row.unit)
    provisional, not_appraised = words or _ranking_words()
    return (provisional if row.percent is not None else not_appraised) % {"unit": row.unit}


def _ranking_words() -> tuple[str, str]:
    return _("%(unit)s (provisional)"), _("%(unit)s (not appraised)")


def ranking_chart_svg(
    results: CampaignResults,
    *,
    rows=None,
    width: int = WIDTH,
    start: int = 0,
    count: int | None = None,
) -> str:
    """Every commune by total percentage: ranked ones best first, then the others, each named on the axis.

    `rows` gives the order (the district report's); by default the ranking, then the rest.
    `start` and `count` draw a slice, so that a province's 150 communes can be printed as
    several drawings that each fit on a page.
    """
    rows = (results.ranked_rows if rows is None else rows)[start : None if count is None else start + count]
    words = _ranking_words()
    return horizontal_bars(
        # The kinds of unit of the whole campaign, not of the slice: every drawing of a report has the same title.
        title=_("Ranking of %(units)s (%%)") % {"units": results.units_phrase},
        labels=[ranking_label(row, short=width < NARROW, words=words) for row in rows],
        series=[(str(results.plan.year), [row.percent for row in rows])],
        width=width,
        legend=False,
    )
