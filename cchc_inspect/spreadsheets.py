"""Workbooks that leave the application carry text as text, never as formulas.

openpyxl stores a string that begins with ``=`` as a formula, and spreadsheet programs also read
``+``, ``-``, ``@`` and a leading tab or carriage return as the start of one when a cell is edited.
A plan title, a band label or a commune name typed by a user must reach the reader as typed.
"""

from openpyxl import Workbook

# Characters that make a spreadsheet program read a cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def workbook_as_text(book: Workbook) -> Workbook:
    """Mark every text cell of every sheet as a string; those a program could read as a formula get a quote prefix.

    Numbers, dates and empty cells are left alone. Returns the same workbook, changed in place.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_PREFIXES):
                        # Excel and LibreOffice keep such a cell text even after it is edited.
                        cell.quotePrefix = True
    return book
