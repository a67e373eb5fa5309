"""Every text cell of every exported workbook is text: no user-typed value comes out as a formula."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cchc_inspect.spreadsheets import FORMULA_PREFIXES
from inspections.models import ClassificationBand, CriterionScore
from inspections.xlsx import criteria_sheet_template
from reports.rendering.xlsx import district_score_table

# One hostile value per prefix a spreadsheet program reads as the start of a formula.
PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


def _hostile_world(world, prefix: str) -> dict[str, str]:
    """Give the world's campaign a title, area numbers, band labels and a commune name beginning with `prefix`."""
    values = {
        "title": f'{prefix}HYPERLINK("http://x","y")',
        "area": f"{prefix}1+1",
        "band": f"{prefix}1+1 Tốt",
        "commune": f"{prefix}SUM(A1:A9)",
    }
    world.plan.title = values["title"]
    world.plan.save(update_fields=["title"])
    area = world.areas[0]
    area.number = values["area"]
    area.save(update_fields=["number"])
    ClassificationBand.objects.filter(criteria_set=world.criteria_set, label="Tốt").update(label=values["band"])
    world.commune_a.name = values["commune"]
    world.commune_a.save(update_fields=["name"])
    # Fully appraised at 95 %, so the commune gets the hostile band's grade.
    for score in CriterionScore.objects.filter(visit=world.visit_a):
        score.appraised_score = score.max_score * 95 / 100
        score.save(update_fields=["appraised_score"])
    return values


def formula_cells(content: bytes) -> int:
    """Count cells stored as formulas, read from the XML itself and through openpyxl."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        in_xml = sum(
            archive.read(name).count(b"<f>") + archive.read(name).count(b"<f ")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )
    book = load_workbook(io.BytesIO(content))
    in_cells = sum(1 for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.data_type == "f")
    return in_xml + in_cells


def _texts(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value}


def _assert_texts_kept(content: bytes, values: list[str]):
    texts = _texts(content)
    for value in values:
        # XML reads a carriage return back as a line feed: compare what follows the prefix.
        assert any(value[1:] in text for text in texts if isinstance(text, str)), value


@pytest.mark.parametrize("prefix", PREFIXES, ids=repr)
def test_dashboard_export_writes_hostile_text_as_text(world, client, prefix):
    values = _hostile_world(world, prefix)
    client.force_login(world.users["secretariat"])
    response = client.get(reverse("inspections:plan_dashboard_export", args=[world.plan.pk]))
    assert response.status_code == 200
    assert formula_cells(response.content) == 0
    _assert_texts_kept(response.content, [values["title"], values["commune"], values["band"], values["area"]])


@pytest.mark.parametrize("prefix", PREFIXES, ids=repr)
def test_score_table_writes_hostile_text_as_text(world, prefix):
    values = _hostile_world(world, prefix)
    content = district_score_table(plan=world.plan)
    assert formula_cells(content) == 0
    _assert_texts_kept(content, [values["commune"], values["band"], values["area"]])


def test_hostile_cells_carry_a_quote_prefix_so_editing_keeps_them_text(world):
    _hostile_world(world, "=")
    book = load_workbook(io.BytesIO(district_score_table(plan=world.plan)))
    hostile = [
        cell
        for row in book.active.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES)
    ]
    assert hostile and all(cell.quotePrefix for cell in hostile)


def test_criteria_example_sheet_holds_no_formula():
    assert formula_cells(criteria_sheet_template()) == 0
