"""Spreadsheets: the campaign dashboard exported, and criteria sets imported as provinces publish them."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .dashboard import dashboard_rows
from .results import CampaignResults

# Bootstrap colour names of the bands, as light fills a printed sheet can carry.
BAND_FILLS = {
    "success": "D1E7DD",
    "primary": "CFE2FF",
    "info": "CFF4FC",
    "warning": "FFF3CD",
    "danger": "F8D7DA",
    "secondary": "E2E3E5",
    "dark": "CED4DA",
    "light": "F8F9FA",
}


def _number(value: Decimal | None):
    return float(value) if value is not None else None


def dashboard_workbook(results: CampaignResults) -> bytes:
    """The dashboard table as an .xlsx file: one commune a row, area percentages, totals, grade, rank, findings."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Results")[:31]
    sheet.append([results.plan.title])
    sheet["A1"].font = Font(bold=True, size=13)
    headers = [_("Rank"), _("Commune"), _("Status")]
    headers += [f"{area.number}. {area.title} (%)" for area in results.areas]
    headers += [
        _("Total (%)"),
        _("Grade"),
        _("Self score"),
        _("Appraised score"),
        _("Maximum"),
        _("Gap"),
        _("Self (%)"),
        _("Last year (%)"),
        _("Change (points)"),
        _("Findings open"),
        _("Remedied"),
        _("Overdue"),
    ]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for item in dashboard_rows(results):
        row, result = item.row, item.row.result
        grade = result.grade
        line = [row.rank, str(row.unit), row.visit.get_status_display()]
        line += [_number(cell.percent) for cell in item.cells]
        line += [
            _number(row.percent),
            grade.label if grade else None,
            _number(result.self_score),
            _number(result.appraised_score) if result.appraised_count else None,
            _number(result.max_score),
            _number(result.gap) if result.appraised_count else None,
            _number(result.self_percent),
            _number(row.previous_percent),
            _number(row.change),
            item.open,
            item.remedied,
            item.overdue,
        ]
        sheet.append(line)
        if grade is not None and grade.color in BAND_FILLS:
            fill = PatternFill("solid", fgColor=BAND_FILLS[grade.color])
            for cell in sheet[sheet.max_row]:
                cell.fill = fill
    sheet.column_dimensions["B"].width = 24
    for index in range(4, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    sheet.freeze_panes = "C3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
