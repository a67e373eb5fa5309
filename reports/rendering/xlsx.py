"""The district score table as an .xlsx workbook, to go with the district report.

One sheet, one row per commune in the order of the district report (ranked, then
partly scored, then not started): self and appraised scores, the gap, the percentage
and whether it is provisional, grade, rank, last year's percentage and the change,
then the percentage of every review area. Numbers are stored as numbers (not text) so that
the secretariat can sort and sum them; the display format uses two decimals.
"""

import io

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from cchc_inspect.spreadsheets import workbook_as_text
from inspections.models import InspectionPlan, Visit
from inspections.result_text import short_note
from inspections.results import campaign_results

from . import formatting
from .district import report_order
from .sheets import set_up_for_print

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NUMBER = "0.00"
NUMBER_COLUMNS = (3, 4, 5, 6, 10, 11)
FIXED_COLUMNS = 11


def _number(value):
    return float(value) if value is not None else None


def district_score_table(*, plan: InspectionPlan) -> bytes:
    """The score table of every commune of a campaign, as the bytes of an .xlsx file."""
    visits = list(Visit.objects.filter(plan=plan).select_related("unit", "plan"))
    results = campaign_results(plan=plan, visits=visits)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Score table")[:31]
    headers = [
        _("No."),
        _("Commune"),
        _("Self score"),
        _("Appraised score"),
        _("Gap"),
        "%",
        capfirst(_("provisional")),
        _("Grade"),
        _("Rank"),
        _("Last year (%)"),
        _("Change"),
        *[f"{area.number}. {area.title}" for area in results.areas],
    ]
    sheet.append([formatting.committee_of(plan.authority).upper()])
    sheet.append([_("Results of the inspection of administrative reform in %(year)s") % {"year": plan.year}])
    sheet.append(
        [
            _("Maximum score: %(max)s")
            % {"max": formatting.number(results.rows[0].result.max_score if results.rows else None)}
        ]
    )
    sheet.append([])
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    provisional_count = 0
    for index, row in enumerate(report_order(results.rows), start=1):
        appraised = row.result.appraised_count > 0
        self_assessed = row.has_self_score
        provisional = row.percent is not None and not row.result.is_complete
        provisional_count += provisional
        sheet.append(
            [
                index,
                row.unit.name,
                _number(row.result.self_score) if self_assessed else None,
                _number(row.result.appraised_score) if appraised else None,
                _number(row.result.gap) if appraised and self_assessed else None,
                _number(row.percent),
                capfirst(_("provisional")) if provisional else None,
                row.result.grade.label if row.result.grade else None,
                row.rank,
                _number(row.previous_percent),
                _number(row.change),
                *[_number(row.area_percents.get(area.code)) for area in results.areas],
            ]
        )
        for column, cell in enumerate(sheet[sheet.max_row], start=1):
            cell.border = BOX
            if column in NUMBER_COLUMNS or column > FIXED_COLUMNS:
                cell.number_format = NUMBER
    if provisional_count:
        sheet.append([])
        sheet.append([capfirst(_("provisional: not every criterion is appraised yet, so no grade or rank."))])
    notes = [(row.unit.name, short_note(row.result)) for row in results.rows]
    notes = [(name, note) for name, note in notes if note]
    if notes:
        sheet.append([])
        for name, note in notes:
            sheet.append([None, name, note])
    sheet["A1"].font = Font(bold=True)
    sheet["A2"].font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    widths = [6, 24, 11, 11, 9, 9, 10, 12, 7, 11, 9] + [18] * len(results.areas)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    set_up_for_print(sheet, header_row=header_row)
    buffer = io.BytesIO()
    workbook_as_text(book).save(buffer)
    return buffer.getvalue()
