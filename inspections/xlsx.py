"""Spreadsheets: the campaign dashboard exported, and criteria sets imported as provinces publish them."""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cchc_inspect.spreadsheets import workbook_as_text
from reports.rendering.sheets import set_up_for_print

from .dashboard import dashboard_rows
from .forms.setup import SCORE_LIMIT, CriterionForm
from .models import ClassificationBand, Criterion, ReviewArea
from .result_text import short_note
from .results import CampaignResults
from .score_text import score_text

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
    headers += [f"{area.number}. {area.shown_title} (%)" for area in results.areas]
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
        _("Note"),
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
            _number(result.self_score) if item.has_self_score else None,
            _number(result.appraised_score) if result.appraised_count else None,
            _number(result.max_score),
            _number(result.gap) if result.appraised_count and item.has_self_score else None,
            _number(result.self_percent) if item.has_self_score else None,
            _number(row.previous_percent),
            _number(row.change),
            item.open,
            item.remedied,
            item.overdue,
            # As on the dashboard: a total before every criterion is appraised is not final; then how it was made up.
            "; ".join(
                part
                for part in (
                    _("provisional") if row.percent is not None and not result.is_complete else "",
                    short_note(result),
                )
                if part
            )
            or None,
        ]
        sheet.append(line)
        if grade is not None and grade.color in BAND_FILLS:
            fill = PatternFill("solid", fgColor=BAND_FILLS[grade.color])
            for cell in sheet[sheet.max_row]:
                cell.fill = fill
    sheet.column_dimensions["B"].width = 24
    for index in range(4, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    for index in range(4, 4 + len(results.areas)):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = "C3"
    set_up_for_print(sheet, header_row=2)
    out = io.BytesIO()
    workbook_as_text(book).save(out)
    return out.getvalue()


# Import of criteria sheets -------------------------------------------------------------

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
# Keywords of the seven usual review areas, so that imported areas keep the codes last year's used.
AREA_KEYWORDS = [
    ("emulation", ("thi đua", "vi phạm hành chính")),
    ("apparatus", ("tổ chức bộ máy", "công chức", "cbcc")),
    ("direction", ("chỉ đạo", "điều hành")),
    ("institutions", ("thể chế",)),
    ("procedures", ("thủ tục hành chính", "một cửa")),
    ("finance", ("tài chính",)),
    ("modernization", ("hiện đại hóa", "hiện đại hoá")),
]
_HEADER_WORDS = {"code", "mã", "stt", "mã số", "số tt", "tt"}


@dataclass
class SheetArea:
    row: int
    number: str
    key: int
    title: str
    code: str
    max_score: Decimal | None
    order: int


@dataclass
class SheetCriterion:
    row: int
    code: str
    title: str
    max_score: Decimal
    expected_evidence: str
    guidance: str
    area_key: int
    parent_code: str | None
    order: int
    may_be_not_applicable: bool = False


@dataclass
class CriteriaSheet:
    areas: list[SheetArea] = field(default_factory=list)
    criteria: list[SheetCriterion] = field(default_factory=list)
    # From the optional second worksheet: the scoring method beyond the criteria.
    items: list[dict] = field(default_factory=list)
    indices: list[dict] = field(default_factory=list)
    bands: list[dict] = field(default_factory=list)
    survey_weight: Decimal = Decimal("0")
    bonus_cap: Decimal | None = None
    penalty_cap: Decimal | None = None


# Column F of the criteria sheet: a criterion a commune may declare not applicable.
_YES = {"x", "có", "co", "yes", "y", "1", "true", "đúng"}
# The first column of the method sheet names what a row holds.
_METHOD_KINDS = {
    "thưởng": "bonus",
    "điểm thưởng": "bonus",
    "bonus": "bonus",
    "trừ": "penalty",
    "điểm trừ": "penalty",
    "penalty": "penalty",
    "khảo sát": "survey",
    "survey": "survey",
    "trọng số khảo sát": "survey_weight",
    "survey weight": "survey_weight",
    "tối đa thưởng": "bonus_cap",
    "bonus cap": "bonus_cap",
    "tối đa trừ": "penalty_cap",
    "penalty cap": "penalty_cap",
    "xếp loại": "band",
    "band": "band",
}
_METHOD_HEADERS = {"loại", "kind", "mục"}


def _flag(value) -> bool | None:
    """True for a mark (x, có, yes), False for an empty cell, None for anything else."""
    text = _cell_text(value).lower()
    if not text:
        return False
    return True if text in _YES else None


def _method_sheet_parse(sheet, parsed: "CriteriaSheet", errors: list[str]) -> None:
    """Read the method worksheet: bonus and penalty items, survey weight and sub-indices, caps, bands with rules."""
    name = sheet.title

    def row_error(row_number, message):
        errors.append(
            _("Sheet “%(sheet)s”, row %(row)s: %(message)s") % {"sheet": name, "row": row_number, "message": message}
        )

    def number(row_number, value, what, *, required=True):
        try:
            result = _decimal(value)
        except ValueError as bad:
            row_error(row_number, _("the %(what)s “%(value)s” is not a number.") % {"what": what, "value": bad})
            return None, False
        if result is None and required:
            row_error(row_number, _("the %(what)s is empty.") % {"what": what})
            return None, False
        if result is not None and (result < 0 or result > SCORE_LIMIT or result.as_tuple().exponent < -2):
            row_error(row_number, _("the %(what)s must be a number from 0 with at most two decimals.") % {"what": what})
            return None, False
        return result, True

    codes: dict[str, set] = {"item": set(), "survey": set(), "band": set()}
    for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(values) + [None] * 6
        keyword = _cell_text(cells[0]).lower()
        if not keyword or keyword in _METHOD_HEADERS or keyword == _("Kind").lower():
            continue
        kind = _METHOD_KINDS.get(keyword)
        if kind is None:
            row_error(
                row_number,
                _(
                    "“%(value)s” is not one of: thưởng, trừ, khảo sát, trọng số khảo sát, tối đa thưởng, "
                    "tối đa trừ, xếp loại."
                )
                % {"value": _cell_text(cells[0])},
            )
            continue
        if kind in {"survey_weight", "bonus_cap", "penalty_cap"}:
            value, ok = number(row_number, cells[1], _("value"))
            if ok:
                setattr(parsed, kind, value)
            continue
        if kind == "band":
            label = _cell_text(cells[1])
            start, ok_start = number(row_number, cells[2], _("from percent"))
            floor, ok_floor = number(row_number, cells[3], _("area floor"), required=False)
            serious = _flag(cells[4])
            if not label:
                row_error(row_number, _("the grade is empty."))
                continue
            if not (ok_start and ok_floor):
                continue
            if start > 100 or (floor is not None and floor > 100):
                row_error(row_number, _("a percentage cannot exceed 100."))
                continue
            if serious is None:
                row_error(row_number, _("mark “no serious violation” with x or leave it empty."))
                continue
            if len(label) > ClassificationBand._meta.get_field("label").max_length:
                row_error(row_number, _("the grade “%(label)s…” is too long.") % {"label": label[:30]})
                continue
            if label in codes["band"]:
                row_error(row_number, _("the grade %(label)s appears twice.") % {"label": label})
                continue
            codes["band"].add(label)
            parsed.bands.append(
                {
                    "label": label,
                    "min_percent": start,
                    "area_floor_percent": floor,
                    "requires_no_serious_violation": serious,
                }
            )
            continue
        code, title = _cell_text(cells[1]), _cell_text(cells[2])
        if not code or not title:
            row_error(row_number, _("a code and a title are needed."))
            continue
        if len(code) > 20 or len(title) > 300:
            row_error(row_number, _("the code has at most 20 characters and the title at most 300."))
            continue
        group = "survey" if kind == "survey" else "item"
        if code in codes[group]:
            row_error(row_number, _("the code %(code)s appears twice.") % {"code": code})
            continue
        value, ok = number(row_number, cells[3], _("weight") if kind == "survey" else _("maximum"))
        if not ok:
            continue
        if not value:
            row_error(
                row_number,
                _("the %(what)s must be above 0.") % {"what": _("weight") if kind == "survey" else _("maximum")},
            )
            continue
        codes[group].add(code)
        if kind == "survey":
            parsed.indices.append({"code": code, "title": title, "weight": value})
            continue
        serious = _flag(cells[4])
        if serious is None or (serious and kind != "penalty"):
            row_error(row_number, _("only a penalty can be marked x as a serious violation."))
            continue
        parsed.items.append(
            {"kind": kind, "code": code, "title": title, "max_points": value, "serious_violation": serious}
        )
    if parsed.survey_weight and not parsed.indices:
        errors.append(
            _("Sheet “%(sheet)s”: the survey has a weight but no sub-index (rows “khảo sát”).") % {"sheet": name}
        )


def _roman(text: str) -> int | None:
    text = text.upper()
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for index, ch in enumerate(text):
        value = _ROMAN[ch]
        total += -value if index + 1 < len(text) and _ROMAN[text[index + 1]] > value else value
    return total


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value).strip().replace(" ", "").replace(",", ".")
    try:
        return Decimal(text)
    except ArithmeticError:
        raise ValueError(text) from None


# The sheet's texts obey the limits of the forms that edit the same fields afterwards.
AREA_NUMBER_LIMIT = ReviewArea._meta.get_field("number").max_length
AREA_TITLE_LIMIT = ReviewArea._meta.get_field("title").max_length
CODE_LIMIT = Criterion._meta.get_field("code").max_length
CRITERION_TEXT_LIMITS = {
    "title": CriterionForm.base_fields["title"].max_length,
    "expected_evidence": CriterionForm.base_fields["expected_evidence"].max_length,
    "guidance": CriterionForm.base_fields["guidance"].max_length,
}


def _too_long(model, name: str, code: str, text: str, limit: int) -> str | None:
    """The row message for a text over its limit, naming the field, the limit and the length; None when it fits."""
    if len(text) <= limit:
        return None
    return _("the %(field)s of %(code)s is too long: at most %(limit)s characters, it has %(length)s.") % {
        "field": model._meta.get_field(name).verbose_name,
        "code": code,
        "limit": limit,
        "length": len(text),
    }


def _area_code(title: str, number: int, used: set[str]) -> str:
    lowered = title.lower()
    for code, words in AREA_KEYWORDS:
        if code not in used and any(word in lowered for word in words):
            return code
    return f"area-{number}"


def criteria_sheet_parse(file) -> CriteriaSheet:
    """Read a criteria sheet: columns code, title, maximum, evidence expected, guidance, may be not applicable (x).

    An optional second worksheet holds the rest of the method: bonus and penalty items
    (thưởng / trừ, code, title, maximum, x for a serious violation), the survey (trọng số
    khảo sát, value; khảo sát, code, title, weight), caps (tối đa thưởng / tối đa trừ, value)
    and bands (xếp loại, grade, from percent, no area below percent, x for no serious violation).

    An area is a row whose code is a whole number or a Roman numeral (1, II); criteria
    carry dotted codes (1.1, 1.1.2) under their area and parent. Raises ValidationError
    with one message per bad row, so nothing is imported from a bad sheet.
    """
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that is not a workbook
        raise ValidationError(_("The file is not a readable .xlsx workbook.")) from None
    sheet = book.worksheets[0]
    parsed = CriteriaSheet()
    errors: list[str] = []
    areas_by_key: dict[int, SheetArea] = {}
    criteria_by_code: dict[str, SheetCriterion] = {}
    used_codes: set[str] = set()
    order = 0
    for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(values) + [None] * 6
        code, title = _cell_text(cells[0]).rstrip("."), _cell_text(cells[1])
        if not code and not title:
            continue
        if row_number <= 3 and code.lower() in _HEADER_WORDS:
            continue

        def row_error(message, row_number=row_number):
            errors.append(_("Row %(row)s: %(message)s") % {"row": row_number, "message": message})

        if not code:
            row_error(_("the code is empty."))
            continue
        if len(code) > CODE_LIMIT:
            row_error(
                _("the code “%(code)s…” is too long: at most %(limit)s characters.")
                % {"code": code[:CODE_LIMIT], "limit": CODE_LIMIT}
            )
            continue
        if not title:
            row_error(_("the title of %(code)s is empty.") % {"code": code})
            continue
        try:
            maximum = _decimal(cells[2])
        except ValueError as bad:
            row_error(_("the maximum “%(value)s” is not a number.") % {"value": bad})
            continue
        if maximum is not None and maximum < 0:
            row_error(_("the maximum cannot be negative."))
            continue
        if maximum is not None and maximum > SCORE_LIMIT:
            row_error(
                _("the maximum of %(code)s is too large: at most %(limit)s.")
                % {"code": code, "limit": score_text(SCORE_LIMIT)}
            )
            continue
        order += 1
        area_key = int(code) if code.isdigit() else _roman(code)
        if area_key is not None:
            problem = _too_long(ReviewArea, "number", code, code, AREA_NUMBER_LIMIT) or _too_long(
                ReviewArea, "title", code, title, AREA_TITLE_LIMIT
            )
            if problem:
                row_error(problem)
                continue
            if area_key in areas_by_key:
                row_error(_("review area %(code)s appears twice.") % {"code": code})
                continue
            area_code = _area_code(title, area_key, used_codes)
            used_codes.add(area_code)
            area = SheetArea(row_number, code, area_key, title, area_code, maximum, order)
            areas_by_key[area_key] = area
            parsed.areas.append(area)
            continue
        parts = code.split(".")
        if not all(part.isdigit() for part in parts):
            row_error(
                _("the code “%(code)s” is neither an area number nor a criterion code like 1.2.") % {"code": code}
            )
            continue
        if code in criteria_by_code:
            row_error(_("the code %(code)s appears twice.") % {"code": code})
            continue
        if int(parts[0]) not in areas_by_key:
            row_error(_("criterion %(code)s has no review area %(area)s above it.") % {"code": code, "area": parts[0]})
            continue
        parent_code = ".".join(parts[:-1]) if len(parts) > 2 else None
        if parent_code and parent_code not in criteria_by_code:
            row_error(
                _("criterion %(code)s has no parent %(parent)s above it.") % {"code": code, "parent": parent_code}
            )
            continue
        if maximum is None:
            row_error(_("criterion %(code)s has no maximum score.") % {"code": code})
            continue
        if maximum.as_tuple().exponent < -2:
            row_error(_("the maximum of %(code)s has more than two decimals.") % {"code": code})
            continue
        texts = {"title": title, "expected_evidence": _cell_text(cells[3]), "guidance": _cell_text(cells[4])}
        problems = [
            _too_long(Criterion, name, code, texts[name], limit) for name, limit in CRITERION_TEXT_LIMITS.items()
        ]
        if any(problems):
            for problem in filter(None, problems):
                row_error(problem)
            continue
        not_applicable = _flag(cells[5])
        if not_applicable is None:
            row_error(_("mark a criterion that may be not applicable with x in column F, or leave it empty."))
            continue
        criterion = SheetCriterion(
            row_number,
            code,
            title,
            maximum,
            texts["expected_evidence"],
            texts["guidance"],
            int(parts[0]),
            parent_code,
            order,
            not_applicable,
        )
        criteria_by_code[code] = criterion
        parsed.criteria.append(criterion)
    if len(book.worksheets) > 1:
        _method_sheet_parse(book.worksheets[1], parsed, errors)
    book.close()
    # Each parent's maximum must be the sum of its children's, each area's of its criteria's.
    children: dict[str | None, list[SheetCriterion]] = {}
    for criterion in parsed.criteria:
        children.setdefault(criterion.parent_code, []).append(criterion)
    for criterion in parsed.criteria:
        kids = children.get(criterion.code)
        if kids and sum(k.max_score for k in kids) != criterion.max_score:
            errors.append(
                _("Row %(row)s: %(code)s has a maximum of %(max)s but its sub-criteria add up to %(sum)s.")
                % {
                    "row": criterion.row,
                    "code": criterion.code,
                    "max": criterion.max_score,
                    "sum": sum(k.max_score for k in kids),
                }
            )
    for area in parsed.areas:
        tops = [c for c in parsed.criteria if c.area_key == area.key and c.parent_code is None]
        if not tops:
            errors.append(
                _("Row %(row)s: review area %(code)s has no criteria.") % {"row": area.row, "code": area.number}
            )
        elif area.max_score is not None and sum(c.max_score for c in tops) != area.max_score:
            errors.append(
                _("Row %(row)s: review area %(code)s has a maximum of %(max)s but its criteria add up to %(sum)s.")
                % {"row": area.row, "code": area.number, "max": area.max_score, "sum": sum(c.max_score for c in tops)}
            )
    if not parsed.areas and not errors:
        errors.append(_("The sheet holds no review area: the first column needs area numbers (1, 2 … or I, II …)."))
    if errors:
        raise ValidationError(errors)
    return parsed


def criteria_sheet_template() -> bytes:
    """An example sheet in the layout the import reads."""
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            _("Code"),
            _("Title"),
            _("Maximum"),
            _("Evidence expected"),
            _("Scoring guidance"),
            _("May be not applicable (x)"),
        ]
    )
    sheet.append(["1", "Cải cách thủ tục hành chính", 10, "", ""])
    sheet.append(["1.1", "Niêm yết công khai thủ tục hành chính", 4, "Ảnh chụp nơi niêm yết", "Đầy đủ: 4; thiếu: 2"])
    sheet.append(["1.2", "Giải quyết hồ sơ đúng hạn", 6, "", ""])
    sheet.append(["1.2.1", "Tỷ lệ hồ sơ đúng hạn", 3.5, "Sổ theo dõi", "100%: 3,5"])
    sheet.append(["1.2.2", "Xin lỗi khi trễ hạn", 2.5, "Văn bản xin lỗi", "", "x"])
    method = book.create_sheet(_("Scoring method")[:31])
    method.append([_("Kind"), _("Code or value"), _("Title"), _("Maximum or weight"), _("Serious violation (x)")])
    method.append(["thưởng", "T1", "Sáng kiến CCHC được UBND tỉnh công nhận", 1])
    method.append(["trừ", "D1", "Báo cáo CCHC trễ hạn", 0.5])
    method.append(["trừ", "D2", "Vi phạm kỷ luật công vụ bị xử lý", 2, "x"])
    method.append(["tối đa thưởng", 2])
    method.append(["tối đa trừ", 3])
    method.append(["trọng số khảo sát", 0])
    method.append(["khảo sát", "SIPAS", "Chỉ số hài lòng của người dân, tổ chức", 60])
    method.append(["khảo sát", "CBCC", "Đánh giá của công chức", 40])
    method.append([_("Kind"), _("Grade"), _("From percent"), _("No area below (%)"), _("No serious violation (x)")])
    method.append(["xếp loại", "Tốt", 90, 70, "x"])
    method.append(["xếp loại", "Khá", 70])
    method.append(["xếp loại", "Trung bình", 50])
    method.append(["xếp loại", "Kém", 0])
    out = io.BytesIO()
    workbook_as_text(book).save(out)
    return out.getvalue()
