"""How the score tables (.xlsx) print: A4 landscape, one page wide, header rows on every page, a Times-metric font.

Applied once a sheet is filled, so it changes only the look: cell values are left as they are.
"""

import math
from copy import copy

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# Times New Roman where the reader has it; Liberation Serif (the documents' font) has the same metrics.
SHEET_FONT = "Times New Roman"
SHEET_FONT_SIZE = 12
# Characters of a wrapped header that fit in one unit of column width, at 12 pt bold (measured, rounded down).
CHARS_PER_WIDTH = 0.95
LINE_HEIGHT = 16


def set_up_for_print(sheet: Worksheet, *, header_row: int) -> None:
    """A4 landscape, fitted to one page wide, the header row repeated, every cell in the sheet font.

    The header row wraps and grows tall enough to show each column title whole (review areas
    have long titles); the rows above it (the sheet's own title) print on the first page only.
    """
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddFooter.center.text = "&P/&N"
    for row in sheet.iter_rows():
        for cell in row:
            font = copy(cell.font)
            font.name = SHEET_FONT
            if not font.sz or font.sz == 11:
                font.sz = SHEET_FONT_SIZE
            cell.font = font
    lines = 1
    for cell in sheet[header_row]:
        if cell.value is None:
            continue
        alignment = copy(cell.alignment) if cell.alignment else Alignment()
        alignment.wrap_text = True
        alignment.vertical = "center"
        alignment.horizontal = alignment.horizontal or "center"
        cell.alignment = alignment
        width = sheet.column_dimensions[get_column_letter(cell.column)].width or 10
        words = str(cell.value).split()
        lines = max(lines, _wrapped_lines(words, max(1, int(width * CHARS_PER_WIDTH))))
    sheet.row_dimensions[header_row].height = max(sheet.row_dimensions[header_row].height or 0, lines * LINE_HEIGHT)


def _wrapped_lines(words: list[str], per_line: int) -> int:
    """How many lines the words take when wrapped at `per_line` characters."""
    lines, used = 1, 0
    for word in words:
        size = len(word)
        if used and used + 1 + size > per_line:
            lines += 1
            used = 0
        used += size if not used else size + 1
        lines += max(0, math.ceil(size / per_line) - 1)
    return lines
