"""The campaign dashboard: progress, results by commune and area, year-over-year change, findings; export."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from cchc_inspect.transliteration import ascii_slug
from reports.charts import area_chart_svg, ranking_chart_svg

from ... import gaps, permissions, selectors
from ...dashboard import dashboard_rows, status_progress
from ...dashboard_html import dashboard_rows_html
from ...result_text import short_note
from ...results import campaign_results
from ...xlsx import dashboard_workbook
from .common import plan_for_dashboard

# Each chart has a drawing for a narrow column and one for a wide column (drawing units); the page shows the
# one that suits the width its column gets (container queries in static/css/district.css), so that labels
# render at 12 px or more on a phone as on a wide screen. The wide drawing comes with the page; the narrow
# one is asked for (htmx, the same address with ?chart=…) only where it is shown, so a wide screen does not
# pay for drawing it.
NARROW_CHART_WIDTH, WIDE_CHART_WIDTH = 320, 520
CHARTS = {"area": area_chart_svg, "ranking": ranking_chart_svg}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _results(request, plan):
    # Every visit is of this plan: one plan object for all of them rather than a copy joined into each row.
    visits = list(
        selectors.visit_list_for_user(request.user, plan=plan)
        .select_related(None)
        .select_related("unit")
        # What the table, charts and export read of a visit and its commune: a province's 170 rows are built
        # from a third of the columns (a test counts the queries, so a column read later would show).
        .only("id", "plan_id", "unit_id", "status", "unit__id", "unit__name", "unit__kind")
        .order_by("unit__name")
    )
    for visit in visits:
        visit.plan = plan
    return campaign_results(plan=plan, visits=visits)


@login_required
def plan_dashboard(request, pk):
    """The dashboard of a campaign for the lead, the secretariat, viewers and the team."""
    plan = plan_for_dashboard(request, pk)
    results = _results(request, plan)
    chart = CHARTS.get(request.GET.get("chart", ""))
    if request.htmx and chart is not None:
        # Bandit B308/B703 (mark_safe) reviewed: reports/charts.py escapes every label and value it writes
        # and the SVG holds no script; user text never reaches it unescaped.
        return HttpResponse(mark_safe(chart(results, width=NARROW_CHART_WIDTH)))  # nosec
    rows = dashboard_rows(results)
    notes = {r.visit.pk: note for r in rows if (note := short_note(r.row.result))}
    context = {
        "plan": plan,
        "results": results,
        "rows": rows,
        # How each total was made up (conversion, bonus, penalty, survey), listed under the table.
        "total_notes": [(r.row.unit, notes[r.visit.pk]) for r in rows if r.visit.pk in notes],
        "rows_html": dashboard_rows_html(rows, next_year=plan.year + 1, notes=notes),
        "progress": status_progress(results),
        # The footnote of the asterisk, only while a total in the table carries one.
        "has_provisional": any(r.row.is_provisional for r in rows),
        "totals": {
            "open": sum(r.open for r in rows),
            "remedied": sum(r.remedied for r in rows),
            "overdue": sum(r.overdue for r in rows),
            "carried_on": sum(r.carried_on for r in rows),
        },
        "next_year": plan.year + 1,
        # Bandit B308/B703 (mark_safe) reviewed: reports/charts.py escapes every label and value it writes
        # and the SVG holds no script; user text never reaches it unescaped.
        "area_chart": mark_safe(area_chart_svg(results, width=WIDE_CHART_WIDTH)),  # nosec
        "ranking_chart": mark_safe(ranking_chart_svg(results, width=WIDE_CHART_WIDTH)),  # nosec
        "can_set_up": permissions.can_set_up_plan(request.user, plan),
        "contests_pending": selectors.contest_pending_by_visit_for_user(request.user, plan=plan),
    }
    return render(request, "inspections/district/dashboard.html", context)


@login_required
def plan_dashboard_export(request, pk):
    """The dashboard table as an .xlsx download."""
    plan = plan_for_dashboard(request, pk)
    content = dashboard_workbook(_results(request, plan))
    response = HttpResponse(content, content_type=XLSX)
    name = f"ket-qua-kiem-tra-{plan.year}-{ascii_slug(plan.authority.name)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_safe
def plan_gaps(request, pk):
    """The campaign's largest gaps between self and appraised scores, by commune and criterion, and by criterion."""
    plan = plan_for_dashboard(request, pk)
    lines = gaps.plan_gap_lines(request.user, plan=plan)
    return render(
        request,
        "inspections/district/gaps.html",
        {
            "plan": plan,
            "lines": lines[: gaps.GAP_LIST_LIMIT],
            "line_count": len(lines),
            "large_count": sum(1 for line in lines if line.is_large),
            "limit": gaps.GAP_LIST_LIMIT,
            "criteria": gaps.criterion_gap_summary(lines),
            "large_share_percent": int(gaps.LARGE_GAP_SHARE * 100),
        },
    )
