"""The people sheet (.xlsx): one person a row, read whole before anything is created."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from communes.folding import fold

from .models import Membership

Role = Membership.Role
MAX_ROWS = 2000
COLUMNS = 6
# Words that mark a heading row, in either language.
_HEADER_WORDS = {"name", "full name", "ho va ten", "ho ten", "ten"}
# Other words people write for a role.
_ROLE_SYNONYMS = {
    "can bo xa": Role.COMMUNE_STAFF,
    "cong chuc": Role.COMMUNE_STAFF,
    "lanh dao xa": Role.COMMUNE_LEAD,
    "chu tich xa": Role.COMMUNE_LEAD,
    "chu tich ubnd xa": Role.COMMUNE_LEAD,
    "thanh vien doan": Role.INSPECTOR,
    "thuong truc": Role.SECRETARIAT,
}


@dataclass
class SheetPerson:
    number: int
    full_name: str
    office: str
    commune_code: str
    role: str
    email: str
    phone: str


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # A sheet is data: a leading "=" is kept as text, never read as a formula.
    return " ".join(str(value).split())


def _roles_by_word() -> dict[str, str]:
    words = dict(_ROLE_SYNONYMS)
    for role in Role:
        words[fold(role.value.replace("_", " "))] = role.value
        words[fold(str(role.label))] = role.value
        with translation.override("vi"):
            words[fold(str(role.label))] = role.value
    return words


def people_sheet_parse(file) -> tuple[list[SheetPerson], list[tuple[int, str]]]:
    """Read the people sheet: the good rows, and (row number, message) for each bad one.

    Raises ValidationError for a file that is not a workbook or a sheet that lists nobody.
    """
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that is not a workbook
        raise ValidationError(_("The file is not a readable .xlsx workbook.")) from None
    roles = _roles_by_word()
    people: list[SheetPerson] = []
    errors: list[tuple[int, str]] = []
    for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        cells = [_text(v) for v in (list(values) + [None] * COLUMNS)[:COLUMNS]]
        if not any(cells):
            continue
        name, office, code, role_word, email, phone = cells
        if number <= 3 and fold(name) in _HEADER_WORDS:
            continue
        if len(people) + len(errors) >= MAX_ROWS:
            raise ValidationError(_("The sheet has more than %(count)s people; split it.") % {"count": MAX_ROWS})

        def row_error(message, number=number):
            errors.append((number, message))

        if not name:
            row_error(_("the name is empty."))
            continue
        if len(name) > 150 or len(office) > 150 or len(phone) > 30 or len(email) > 254:
            row_error(_("a value is too long (names and offices up to 150 characters, phones up to 30)."))
            continue
        role = roles.get(fold(role_word))
        if role is None:
            row_error(_("the role “%(role)s” is not known.") % {"role": role_word})
            continue
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row_error(_("the e-mail address “%(email)s” is not valid.") % {"email": email})
                continue
        people.append(SheetPerson(number, name, office, code, role, email, phone))
    if not people and not errors:
        raise ValidationError(_("The sheet lists nobody."))
    return people, errors


def people_sheet_example() -> bytes:
    """An example sheet with the headings and two rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("People")[:31]
    sheet.append([_("Full name"), _("Office"), _("Commune code"), _("Role"), _("E-mail"), _("Phone")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["Nguyễn Văn An", "Văn phòng - Thống kê", "30874", str(Role.COMMUNE_STAFF.label), "", "0912345678"])
    sheet.append(["Trần Thị Bình", "Chủ tịch UBND xã", "30874", str(Role.COMMUNE_LEAD.label), "binh@example.vn", ""])
    for column, width in zip("ABCDEF", (28, 28, 14, 22, 28, 16), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
