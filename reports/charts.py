"""Charts drawn as SVG with pygal: the same drawings on the dashboard and in the PDF report.

The SVG is self-contained (no scripts, no external URLs) so WeasyPrint can embed it and
the browser can inline it.
"""

import re
from decimal import Decimal

import pygal
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pygal.style import Style

from inspections.results import CampaignResults

STYLE = {
    "background": "white",
    "plot_background": "white",
    "foreground": "#222",
    "foreground_strong": "#000",
    "foreground_subtle": "#666",
    "colors": ("#8b1a1a", "#9aa5b1", "#1f6f43", "#c28a00"),
    "label_font_size": 11,
    "major_label_font_size": 11,
    "value_font_size": 10,
    "legend_font_size": 11,
    "title_font_size": 13,
}


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
        "print_values_position": "top",
        "value_formatter": _percent_label,
        "range": (0, 100),
        "show_y_guides": True,
        "legend_at_bottom": True,
        "truncate_label": -1,
        "truncate_legend": -1,
        **extra,
    }


def _percent_label(value) -> str:
    # Decimal comma in Vietnamese (84,5), point in English: the active language decides.
    return "" if value is None else number_format(Decimal(str(value)), 1)


_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def _render(chart) -> str:
    # pygal embeds a small configuration script even with js=[]; the drawings need none.
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def _as_float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def area_chart_svg(results: CampaignResults, *, width: int = 720, height: int = 360) -> str:
    """Average appraised percentage per review area, with last year's beside it when known."""
    chart = pygal.Bar(**_config(width=width, height=height, x_label_rotation=0))
    chart.title = _("Average result per review area (%)")
    chart.x_labels = [area.number for area in results.areas]
    chart.add(str(results.plan.year), [_as_float(s.average_percent) for s in results.area_summaries])
    if results.previous_plan is not None:
        chart.add(
            str(results.previous_plan.year), [_as_float(s.previous_average_percent) for s in results.area_summaries]
        )
    return _render(chart)


def ranking_chart_svg(
    results: CampaignResults,
    *,
    width: int = 720,
    height: int | None = None,
    start: int = 0,
    count: int | None = None,
) -> str:
    """Communes whose appraisal is complete, best first, by total percentage.

    `start` and `count` draw a slice of the ranking, so that a province's 150 communes
    can be printed as several drawings that each fit on a page.
    """
    ranked = [row for row in results.ranked_rows if row.rank is not None]
    ranked = ranked[start : None if count is None else start + count]
    height = height or max(160, 60 + 22 * len(ranked))
    chart = pygal.HorizontalBar(**_config(width=width, height=height, show_legend=False, print_values_position="top"))
    chart.title = _("Ranking of communes (%)")
    # pygal draws the first label at the bottom: reverse so that rank 1 is on top.
    rows = list(reversed(ranked))
    chart.x_labels = [f"{row.rank}. {row.unit.name}" for row in rows]
    chart.add(str(results.plan.year), [_as_float(row.percent) for row in rows])
    return _render(chart)
