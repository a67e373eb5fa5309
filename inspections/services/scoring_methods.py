"""The parts of a province's scoring method beyond the criteria: not applicable, bonus and penalty, survey.

The arithmetic that combines them lives in `inspections.scoring`; these services record
what it reads, each with the rights of the person who decides it.
"""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from cchc_inspect.spreadsheets import workbook_as_text
from communes.folding import fold

from .. import permissions
from ..models import (
    AdjustmentItem,
    Criterion,
    CriterionScore,
    InspectionPlan,
    SurveyIndex,
    SurveyResult,
    Visit,
    VisitAdjustment,
)
from ..score_text import score_text

NotApplicable = CriterionScore.NotApplicable

# The team's first decision moves a submitted visit into appraisal, as a first score does.
_ENTERS_APPRAISAL = {Visit.Status.SCHEDULED, Visit.Status.SUBMITTED}


@transaction.atomic
def score_decide_not_applicable(
    *, visit: Visit, criterion: Criterion, user, accept: bool, comment: str = ""
) -> CriterionScore:
    """Accept or refuse the commune's declaration that a criterion does not apply to it.

    Accepting takes the criterion out of the commune's applicable maximum and clears any
    appraised score; refusing leaves it to be scored like any other. Raises PermissionDenied
    outside the user's review areas or on a locked visit, ValidationError when nothing was declared.
    """
    permissions.check_appraise(user, visit, criterion.area_id)
    score = CriterionScore.objects.select_for_update().filter(visit=visit, criterion=criterion).first()
    if score is None or score.not_applicable == NotApplicable.NO:
        raise ValidationError(_("The commune has not declared this criterion not applicable."))
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError(_("Say why the criterion applies to this commune, so that it can answer."))
    score.not_applicable = NotApplicable.ACCEPTED if accept else NotApplicable.REFUSED
    if accept:
        score.appraised_score = None
    if comment:
        score.appraised_comment = comment
    score.not_applicable_decided_by = user
    score.not_applicable_decided_at = timezone.now()
    score.appraised_by = user
    score.appraised_at = score.not_applicable_decided_at
    score.version += 1
    score.save()
    if visit.status in _ENTERS_APPRAISAL:
        visit.status = Visit.Status.APPRAISING
        visit.save(update_fields=["status"])
    return score


def check_record_adjustment(user, visit: Visit) -> None:
    """Raise PermissionDenied unless the user may record or remove a bonus or penalty at this visit.

    Members of the team who appraise, the lead and the secretariat record them; never people of the
    inspected commune, never once the minutes are signed.
    """
    allowed = bool(permissions.appraisal_area_ids(user, visit.plan)) or permissions.is_team_lead(user, visit.plan)
    allowed = allowed or permissions.can_set_up_plan(user, visit.plan)
    if not allowed:
        raise PermissionDenied(_("Only the inspection team records bonus and penalty points."))
    permissions.check_not_own_commune(user, visit)
    permissions.check_unlocked(visit)


def can_record_adjustment(user, visit: Visit) -> bool:
    """Whether check_record_adjustment lets the user record a bonus or penalty at this visit now."""
    try:
        check_record_adjustment(user, visit)
    except PermissionDenied:
        return False
    return True


@transaction.atomic
def adjustment_record(
    *, visit: Visit, item: AdjustmentItem, user, points: Decimal, note: str, document: str = ""
) -> VisitAdjustment:
    """Record a bonus or penalty of the set at a visit, with its grounds.

    Points lie above 0 and at most the item's own cap; the total counts an item and a kind
    within their caps whatever is recorded. Raises PermissionDenied (see check_record_adjustment)
    or ValidationError with a message per field.
    """
    check_record_adjustment(user, visit)
    errors = {}
    if item.criteria_set_id != visit.plan.criteria_set_id:
        errors["item"] = _("This item belongs to another criteria set.")
    if points is None or points <= 0 or points > item.max_points:
        errors["points"] = _("The points must lie above 0 and at most %(max)s.") % {"max": score_text(item.max_points)}
    if not (note or "").strip():
        errors["note"] = _("Write what was found and the document that proves it.")
    if errors:
        raise ValidationError(errors)
    return VisitAdjustment.objects.create(
        visit=visit, item=item, points=points, note=note.strip(), document=(document or "").strip(), recorded_by=user
    )


@transaction.atomic
def adjustment_delete(*, adjustment: VisitAdjustment, user) -> None:
    """Remove a bonus or penalty recorded by mistake; the same rights as recording it."""
    check_record_adjustment(user, adjustment.visit)
    adjustment.delete()


# Survey results ---------------------------------------------------------------------------------


@dataclass
class SurveyRow:
    row: int
    visit: Visit
    values: dict[int, Decimal]


_CODE_HEADERS = {"mã", "mã đơn vị", "code", "unit code", "mã xã"}
_NAME_HEADERS = {"xã", "đơn vị", "tên đơn vị", "commune", "unit", "name", "xã, phường, thị trấn"}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _percent(value) -> Decimal:
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = _cell(value).replace(" ", "").rstrip("%").replace(",", ".")
    return Decimal(text)


def survey_sheet_parse(*, plan: InspectionPlan, visits: list[Visit], file) -> list[SurveyRow]:
    """Read a survey sheet: a header row (unit code, commune, then one column per sub-index code), one commune a row.

    Values are percentages from 0 to 100 (a decimal comma or a % sign is accepted). Raises
    ValidationError with one message per bad row, so that nothing is imported from a bad sheet.
    """
    indices = list(SurveyIndex.objects.filter(criteria_set=plan.criteria_set_id).order_by("order", "code"))
    if not indices:
        raise ValidationError(_("The criteria set of this round has no survey component."))
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that is not a workbook
        raise ValidationError(_("The file is not a readable .xlsx workbook.")) from None
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    by_code = {v.unit.code: v for v in visits if v.unit.code}
    by_name = {}
    for v in visits:
        by_name.setdefault(fold(v.unit.name), []).append(v)
    index_by_code = {fold(i.code): i for i in indices}
    errors: list[str] = []
    header_at, columns, code_col, name_col = None, {}, None, None
    for number, values in enumerate(rows[:5], start=1):
        texts = [fold(_cell(v)) for v in values]
        found = {position: index_by_code[text] for position, text in enumerate(texts) if text in index_by_code}
        if found:
            header_at, columns = number, found
            code_col = next((p for p, t in enumerate(texts) if t in {fold(h) for h in _CODE_HEADERS}), None)
            name_col = next((p for p, t in enumerate(texts) if t in {fold(h) for h in _NAME_HEADERS}), None)
            break
    if header_at is None:
        raise ValidationError(
            _("No header row names the survey sub-indices (%(codes)s) in the first five rows.")
            % {"codes": ", ".join(i.code for i in indices)}
        )
    missing = [i.code for i in indices if i not in columns.values()]
    if missing:
        errors.append(_("Row %(row)s: no column for %(codes)s.") % {"row": header_at, "codes": ", ".join(missing)})
    if code_col is None and name_col is None:
        errors.append(_("Row %(row)s: no column names the commune (unit code or name).") % {"row": header_at})
    if errors:
        raise ValidationError(errors)
    parsed: list[SurveyRow] = []
    seen: dict[int, int] = {}
    for number, values in enumerate(rows[header_at:], start=header_at + 1):
        cells = list(values) + [None] * (max(columns) + 2)
        code = _cell(cells[code_col]) if code_col is not None else ""
        name = _cell(cells[name_col]) if name_col is not None else ""
        if not code and not name and all(cells[p] in (None, "") for p in columns):
            continue

        def row_error(message, number=number):
            errors.append(_("Row %(row)s: %(message)s") % {"row": number, "message": message})

        visit = by_code.get(code) if code else None
        if visit is None and name:
            matches = by_name.get(fold(name), [])
            visit = matches[0] if len(matches) == 1 else None
        if visit is None:
            row_error(_("“%(unit)s” is not a commune of this round.") % {"unit": code or name})
            continue
        if visit.pk in seen:
            row_error(
                _("%(unit)s already appears on row %(other)s.") % {"unit": visit.unit.name, "other": seen[visit.pk]}
            )
            continue
        seen[visit.pk] = number
        values_by_index = {}
        for position, index in columns.items():
            raw = cells[position]
            if raw is None or _cell(raw) == "":
                row_error(_("the result of %(code)s is empty.") % {"code": index.code})
                continue
            try:
                value = _percent(raw)
            except ArithmeticError:
                row_error(
                    _("the result of %(code)s, “%(value)s”, is not a number.")
                    % {"code": index.code, "value": _cell(raw)}
                )
                continue
            if not (0 <= value <= 100) or value.as_tuple().exponent < -2:
                row_error(
                    _("the result of %(code)s must be a percentage from 0 to 100 with at most two decimals.")
                    % {"code": index.code}
                )
                continue
            values_by_index[index.pk] = value
        if visit.is_locked:
            row_error(
                _("the minutes of %(unit)s are signed: its result no longer changes.") % {"unit": visit.unit.name}
            )
            continue
        parsed.append(SurveyRow(row=number, visit=visit, values=values_by_index))
    if not parsed and not errors:
        errors.append(_("The sheet holds no commune's results."))
    if errors:
        raise ValidationError(errors)
    return parsed


@transaction.atomic
def survey_results_import(*, plan: InspectionPlan, visits: list[Visit], user, file) -> int:
    """Import per-commune survey results from an .xlsx sheet, all or nothing; returns the number of communes.

    A commune already imported gets its values replaced; a value the sheet repeats is left as it
    was, so that importing the same sheet again writes nothing to the visits' records. Raises
    PermissionDenied for anyone but the secretariat, ValidationError with the row messages of a bad sheet.
    """
    permissions.check_set_up_plan(user, plan)
    parsed = survey_sheet_parse(plan=plan, visits=visits, file=file)
    now = timezone.now()
    existing = {
        (result.visit_id, result.index_id): result
        for result in SurveyResult.objects.select_for_update().filter(visit__in=[row.visit for row in parsed])
    }
    for row in parsed:
        for index_id, value in row.values.items():
            result = existing.get((row.visit.pk, index_id))
            if result is None:
                SurveyResult.objects.create(
                    visit=row.visit, index_id=index_id, value=value, imported_by=user, imported_at=now
                )
            elif result.value != value:
                result.value, result.imported_by, result.imported_at = value, user, now
                result.save(update_fields=["value", "imported_by", "imported_at"])
    return len(parsed)


def survey_sheet_template(*, plan: InspectionPlan, visits: list[Visit]) -> bytes:
    """An example survey sheet for the round: its communes, one column per sub-index, values to replace."""
    indices = list(SurveyIndex.objects.filter(criteria_set=plan.criteria_set_id).order_by("order", "code"))
    book = Workbook()
    sheet = book.active
    sheet.title = _("Survey")[:31]
    sheet.append([_("Unit code"), _("Commune")] + [index.code for index in indices])
    for visit in visits:
        sheet.append([visit.unit.code, visit.unit.name] + [None for _index in indices])
    notes = book.create_sheet(_("Notes")[:31])
    notes.append([_("Results are percentages from 0 to 100, for example 86,5.")])
    for index in indices:
        notes.append([index.code, index.title, float(index.weight)])
    out = io.BytesIO()
    workbook_as_text(book).save(out)
    return out.getvalue()
