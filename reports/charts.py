"""Charts drawn as SVG with pygal: the same drawings on the dashboard and in the PDF report.

The SVG is self-contained (no scripts, no external URLs) so WeasyPrint can embed it and
the browser can inline it.
"""

import hashlib
import re
from decimal import ROUND_HALF_UP, Decimal

import pygal
import pygal.graph.base
from django.conf import settings
from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pygal.style import Style

from inspections.results import CampaignResults

# Sizes are in drawing units. The PDF prints a drawing WIDTH units wide across the 160 mm text block
# (about 0,76 pt a unit), so labels of 14 units print at about 10,5 pt, values of 13 at about 10 pt;
# the dashboard scales the same drawing to the width of the screen.
WIDTH = 600
# Below this width (a phone's drawing) the axis shows 0, 50 and 100 only, and communes' labels are short.
NARROW = 400
# Two greys a greyscale printer keeps apart: this year mid grey, last year light grey. Values are black:
# readable on both, and beside a bar too short to hold them.
SERIES_COLOURS = ("#7a7a7a", "#cfcfcf")
VALUE_COLOURS = ("#000000", "#000000")
STYLE = {
    "background": "white",
    "plot_background": "white",
    "foreground": "#000",
    "foreground_strong": "#000",
    "foreground_subtle": "#d0d0d0",
    "guide_stroke_color": "#d0d0d0",
    "major_guide_stroke_color": "#d0d0d0",
    "colors": SERIES_COLOURS,
    "value_colors": VALUE_COLOURS,
    # Opaque bars: the grid lines stay behind them and never cross a value printed inside.
    "opacity": "1",
    "opacity_hover": "1",
    "label_font_size": 14,
    "major_label_font_size": 14,
    "value_font_size": 13,
    "legend_font_size": 14,
    "title_font_size": 16,
}


def _graph_attribute(graph, name, _get=object.__getattribute__):
    """pygal's `BaseGraph.__getattribute__`, the same lookups without going through itself again.

    While a chart is drawn pygal reads its settings from a render state first: the original asks
    itself for `state` on every attribute read, some 250,000 calls for a province's ranking, 40 %
    of the drawing. Here `state` is read directly; the value returned is the same in every case
    (`tests/test_charts_fast.py` draws each chart both ways and compares the SVG).
    """
    if name[:2] != "__" and name != "state":
        try:
            state = _get(graph, "state")
        except AttributeError:
            state = None
        if state is not None:
            values = state.__dict__
            if name in values:
                return values[name]
    return _get(graph, name)


PYGAL_GETATTRIBUTE = pygal.graph.base.BaseGraph.__getattribute__
pygal.graph.base.BaseGraph.__getattribute__ = _graph_attribute


def chart_style() -> Style:
    """The charts' look; text in the official documents' font family (settings.PDF_FONT_FAMILY)."""
    family = settings.PDF_FONT_FAMILY.replace("'", "").replace('"', "")
    return Style(
        font_family=f"'{family}', 'Times New Roman', serif",
        **STYLE,
    )


def _config(**extra):
    return {
        "style": chart_style(),
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": True,
        "print_values": True,
        # Inside the bar, centred: a value is never crossed by a grid line or the bar's end.
        "print_values_position": "center",
        # The axis in whole percents (0, 20 … 100), the values with one decimal.
        "value_formatter": _axis_label,
        "formatter": _percent_label,
        "y_labels": [0, 20, 40, 60, 80, 100],
        "range": (0, 100),
        "show_y_guides": True,
        "show_x_guides": False,
        "legend_at_bottom": True,
        "truncate_label": -1,
        "truncate_legend": -1,
        "margin": 8,
        "spacing": 8,
        **extra,
    }


def _axis_label(value) -> str:
    return "" if value is None else str(int(value))


ONE_PLACE = Decimal("0.1")


def _percent_label(value) -> str:
    # Decimal comma in Vietnamese (84,5), point in English: the active language decides. Rounded half up
    # as the tables round (84,56 is 84,6): Django's number_format alone would cut the second place off.
    if value is None:
        return ""
    return number_format(Decimal(str(value)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP), 1)


_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_ROOT_SIZE = re.compile(r'(<svg\b[^>]*?)\swidth="[^"]*"\s+height="[^"]*"')


# A drawing is a pure function of what it shows: kept under a digest of its inputs, it never needs forgetting.
CACHE_SECONDS = 24 * 3600


def _drawn(kind: str, inputs: tuple, draw) -> str:
    """The SVG of `draw()`, kept in the cache under a digest of everything the drawing depends on.

    pygal takes some 10 ms for a province's ranking; the same figures in the same language give
    the same drawing, so a dashboard read again before any score changed does not redraw it.
    """
    digest = hashlib.sha256(repr((kind, get_language(), settings.PDF_FONT_FAMILY, inputs)).encode()).hexdigest()
    key = f"chart:{kind}:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = draw()
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _render(chart) -> str:
    # pygal embeds a small configuration script even with js=[]; the drawings need none.
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    # Responsive: the drawing keeps its viewBox and takes the width of its container (page or phone).
    return _ROOT_SIZE.sub(r'\1 width="100%"', svg, count=1)


# What only a screen uses: pygal's tooltips (<desc> holds a bar's value and label, <title> a hover text)
# and its comments. The drawing itself is the same without them.
_SCREEN_ONLY = re.compile(r"<desc\b[^>]*>[^<]*</desc>|<title>[^<]*</title>|<!--.*?-->", re.DOTALL)


def printed(svg: str) -> str:
    """A drawing as a document prints it: without the elements only a screen uses.

    A province's ranking charts hold about a thousand of them, which the PDF renderer would
    otherwise parse and style one by one.
    """
    return _SCREEN_ONLY.sub("", svg)


def _as_float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


_LEADING_WORDS = re.compile(r"^(công tác|the)\s+", re.IGNORECASE)
_TRAILING_WORDS = re.compile(r",?\s+(cải cách hành chính|of administrative reform)$", re.IGNORECASE)


def area_label(area) -> str:
    """A review area on an axis, short enough to leave the bars room: "2. Chỉ đạo, điều hành".

    Its title up to the first semicolon, without a leading "Công tác" nor a trailing
    "cải cách hành chính" that every area shares.
    """
    title = str(area.title).split(";")[0].strip()
    short = _TRAILING_WORDS.sub("", _LEADING_WORDS.sub("", title)).strip() or title
    return f"{area.number}. {short[:1].upper()}{short[1:]}"


def area_chart_svg(results: CampaignResults, *, width: int = WIDTH, height: int | None = None) -> str:
    """Average appraised percentage per review area, with last year's beside it when known.

    Horizontal bars, so that each area is named on the axis, first area on top.
    """
    areas = list(reversed(list(zip(results.areas, results.area_summaries, strict=True))))
    series = 2 if results.previous_plan is not None else 1
    height = height or 110 + len(areas) * (22 * series + 14)
    labels = [area_label(area) for area, _summary in areas]
    bars = [(str(results.plan.year), [_as_float(summary.average_percent) for _area, summary in areas])]
    if results.previous_plan is not None:
        bars.append(
            (
                str(results.previous_plan.year),
                [_as_float(summary.previous_average_percent) for _area, summary in areas],
            )
        )

    def draw():
        chart = pygal.HorizontalBar(**_config(width=width, height=height, **_narrow(width)))
        chart.title = _("Average result per review area (%)")
        chart.x_labels = labels
        for title, values in bars:
            chart.add(title, values)
        return _render(chart)

    return _drawn("area", (width, height, labels, bars), draw)


def _narrow(width: int) -> dict:
    return {"y_labels": [0, 50, 100]} if width < NARROW else {}


def ranking_label(row, *, short: bool = False) -> str:
    """A commune on the ranking axis: its rank and name, or its name and why it has no rank yet.

    Short (a phone's drawing): a provisional result is marked with an asterisk, as in the dashboard's
    table and its note, and a commune not appraised has its name alone and no bar.
    """
    if row.rank is not None:
        return f"{row.rank}. {row.unit}"
    if short:
        return f"{row.unit} *" if row.percent is not None else str(row.unit)
    if row.percent is not None:
        return _("%(unit)s (provisional)") % {"unit": row.unit}
    return _("%(unit)s (not appraised)") % {"unit": row.unit}


def ranking_chart_svg(
    results: CampaignResults,
    *,
    rows=None,
    width: int = WIDTH,
    height: int | None = None,
    start: int = 0,
    count: int | None = None,
) -> str:
    """Every commune by total percentage: ranked ones best first, then the others, each named on the axis.

    `rows` gives the order (the district report's); by default the ranking, then the rest.
    `start` and `count` draw a slice, so that a province's 150 communes can be printed as
    several drawings that each fit on a page.
    """
    rows = (results.ranked_rows if rows is None else rows)[start : None if count is None else start + count]
    height = height or max(160, 90 + 24 * len(rows))
    # pygal draws the first label at the bottom: reverse so that rank 1 is on top.
    rows = list(reversed(rows))
    labels = [ranking_label(row, short=width < NARROW) for row in rows]
    year, values = str(results.plan.year), [_as_float(row.percent) for row in rows]

    def draw():
        chart = pygal.HorizontalBar(**_config(width=width, height=height, show_legend=False, **_narrow(width)))
        chart.title = _("Ranking of communes (%)")
        chart.x_labels = labels
        chart.add(year, values)
        return _render(chart)

    return _drawn("ranking", (width, height, labels, year, values), draw)
