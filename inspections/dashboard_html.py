"""The dashboard table's body written in Python, byte for byte as the row template wrote it.

A province of 168 communes over seven areas draws about 1,200 area cells and 2,000 links; through
the template language that was half the page's CPU. Every value that comes from a person (names,
labels, colours) is escaped here as the template's autoescape would.
"""

from decimal import Decimal

from django.template.defaultfilters import capfirst
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .addresses import address_halves
from .dashboard import DashboardRow
from .escaping import escape
from .figures import two_places

DASH = "—"


class _Numbers:
    """floatformat:"-2" of each value, computed once per value for one page (the language is fixed)."""

    def __init__(self):
        self._seen = {}
        self._separator = get_format("DECIMAL_SEPARATOR")

    def __call__(self, value) -> str:
        text = self._seen.get(value)
        if text is None:
            text = self._seen[value] = two_places(value, self._separator)
        return text


def _sort(value) -> str:
    # As |default_if_none:''|stringformat:'s'. A number's text has nothing to escape.
    if value is None:
        return ""
    if isinstance(value, Decimal | int):
        return str(value)
    return escape(f"{value}")


def _signed(value) -> tuple[str, str]:
    """The colour class and the sign of a change, as `{% if change >= 0 %}`."""
    return ("text-success", "+") if value >= 0 else ("text-danger", "")


def _cells(item: DashboardRow, url: str, number, codes: dict) -> str:
    parts = []
    for cell in item.cells:
        percent = cell.percent
        shown = (
            f'<a href="{url}">{number(percent)}</a>'
            if percent is not None
            else f'<span class="text-body-secondary">{DASH}</span>'
        )
        change = ""
        if cell.change is not None:
            colour, sign = _signed(cell.change)
            change = f'<span class="change {colour}">{sign}{number(cell.change)}</span>'
        parts.append(
            f'\n        <td class="text-end" data-sort-value="{_sort(percent)}"'
            f' data-testid="area-cell-{codes[cell.area.id]}">'
            f"\n          {shown}\n          {change}\n        </td>\n        "
        )
    return "".join(parts)


def _total(item: DashboardRow, url: str, number, note: str, provisional: str) -> str:
    row, result = item.row, item.row.result
    grade = result.grade
    shade = f" bg-{escape(grade.color)}-subtle" if grade else ""
    if row.percent is not None:
        star = f' <span class="text-body-secondary" title="{provisional}">*</span>' if row.is_provisional else ""
        shown = f'<a href="{url}">{number(row.percent)}</a>{star}'
    else:
        shown = DASH
    sup = f'<sup class="text-body-secondary" title="{escape(note)}">†</sup>' if note else ""
    return (
        f'\n        <td class="text-end fw-semibold{shade}" data-sort-value="{_sort(row.percent)}"'
        f' data-testid="total-percent">\n          {shown}\n          {sup}\n        </td>'
    )


def _scores(item: DashboardRow, url: str, number) -> str:
    row, result = item.row, item.row.result
    grade = result.grade
    badge = f'<span class="badge text-bg-{escape(grade.color)}">{escape(grade.label)}</span>' if grade else ""
    grade_sort = _sort(grade.min_percent) if grade else ""
    if item.has_self_score:
        self_sort, self_shown = _sort(result.self_score), f'<a href="{url}">{number(result.self_score)}</a>'
    else:
        self_sort, self_shown = "", DASH
    if result.appraised_count:
        appraised_sort = _sort(result.appraised_score)
        appraised_shown = f'<a href="{url}">{number(result.appraised_score)}</a>'
    else:
        appraised_sort, appraised_shown = "", DASH
    if result.appraised_count and item.has_self_score:
        gap = result.gap
        gap_sort = _sort(gap)
        gap_class = "text-danger" if gap is not None and gap < 0 else ""
        gap_shown = f'<a href="{url}" class="{gap_class}">{number(gap)}</a>'
    else:
        gap_sort, gap_shown = "", DASH
    if row.change is not None:
        colour, sign = _signed(row.change)
        change_shown = f'<a href="{url}" class="{colour}">{sign}{number(row.change)}</a>'
    else:
        change_shown = DASH
    return (
        f'\n        <td data-sort-value="{grade_sort}">{badge}</td>'
        f'\n        <td class="text-end" data-sort-value="{self_sort}" data-testid="self-score">{self_shown}</td>'
        f'\n        <td class="text-end" data-sort-value="{appraised_sort}">{appraised_shown}</td>'
        f'\n        <td class="text-end" data-sort-value="{gap_sort}">{gap_shown}</td>'
        f'\n        <td class="text-end" data-sort-value="{_sort(row.change)}">{change_shown}</td>'
    )


def _findings(item: DashboardRow, url: str, next_year: int, carried_title: str) -> str:
    carried = (
        f'<span class="change text-body-secondary" title="{carried_title}">→ {next_year}: {item.carried_on}</span>'
        if item.carried_on
        else ""
    )
    overdue_class = " text-danger fw-semibold" if item.overdue else ""
    return (
        f'\n        <td class="text-end" data-sort-value="{item.open}"><a href="{url}">{item.open}</a>{carried}</td>'
        f'\n        <td class="text-end" data-sort-value="{item.remedied}"><a href="{url}">{item.remedied}</a></td>'
        f'\n        <td class="text-end{overdue_class}" data-sort-value="{item.overdue}">'
        f'<a href="{url}">{item.overdue}</a></td>'
    )


def dashboard_rows_html(rows: list[DashboardRow], *, next_year: int, notes: dict) -> SafeString:
    """The table's body: the `<tr>` of each row, in order; `notes` maps a visit's pk to its total's short note.

    One text, which the template writes once rather than 170 times through its loop.
    """
    number = _Numbers()
    provisional = escape(gettext("provisional"))
    carried_title = escape(gettext("carried to %(year)s") % {"year": next_year})
    # One address reversed, the others made from it: reverse() per row cost as much as the row's cells.
    head, tail = address_halves("inspections:visit_detail")
    codes, statuses = {}, {}
    out = []
    for item in rows:
        if not codes:
            # Every row has a cell per area of the campaign, in the same order.
            codes = {cell.area.id: escape(cell.area.code) for cell in item.cells}
        row = item.row
        visit = item.visit
        url = escape(f"{head}{visit.pk}{tail}")
        name = escape(row.unit.name)
        rank = row.rank
        compared = (
            f'<div class="small text-body-secondary text-wrap" data-testid="compared-with">'
            f"{escape(row.comparison_note)}</div>"
            if row.compared_with
            else ""
        )
        status = statuses.get(visit.status)
        if status is None:
            status = statuses[visit.status] = escape(capfirst(visit.get_status_display()))
        text = (
            f'\n      <tr data-testid="dashboard-row" data-commune="{name}">'
            f'\n        <td class="text-end" data-sort-value="{rank or ""}">{rank or DASH}</td>'
            f'\n        <th scope="row" class="text-nowrap commune-col fw-normal" data-sort-value="{name}">'
            f'<a href="{url}">{escape(row.unit)}</a>{compared}</th>'
            f'\n        <td data-sort-value="{escape(visit.status)}">'
            f"{status}</td>"
            f"\n        {_cells(item, url, number, codes)}"
            f"{_total(item, url, number, notes.get(visit.pk, ''), provisional)}"
            f"{_scores(item, url, number)}"
            f"{_findings(item, url, next_year, carried_title)}"
            "\n      </tr>\n    "
        )
        out.append(text)
    # Bandit B308/B703 (mark_safe) reviewed: every value above from a person or the database is escaped.
    return mark_safe("".join(out))  # nosec
