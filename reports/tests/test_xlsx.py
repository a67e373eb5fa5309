"""The .xlsx score table that goes with the district report."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from communes.tests.factories import CommuneFactory
from inspections.models import CriterionScore
from inspections.tests.factories import ScoreFactory, VisitFactory
from reports.models import Report
from reports.rendering.documents import render_document

pytestmark = pytest.mark.django_db


def test_score_table_lists_every_commune_with_numbers_ranked(world):
    # Commune A appraised on every criterion at 80 %, commune B at 60 %.
    for visit, share in ((world.visit_a, Decimal("0.8")), (world.visit_b, Decimal("0.6"))):
        for score in CriterionScore.objects.filter(visit=visit):
            score.appraised_score = score.max_score * share
            score.save()
    rendered = render_document(kind=Report.Kind.DISTRICT_XLSX, plan=world.plan)
    assert rendered.file_name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(rendered.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "ỦY BAN NHÂN DÂN HUYỆN TÂN HIỆP"
    assert rows[1][0] == "Kết quả kiểm tra công tác cải cách hành chính năm 2020"
    header = rows[4]
    assert header[:9] == [
        "STT",
        "Xã",
        "Điểm tự chấm",
        "Điểm thẩm định",
        "Chênh lệch",
        "%",
        "Tạm tính",
        "Xếp loại",
        "Thứ hạng",
    ]
    assert header[11:] == ["1. Thủ tục hành chính", "2. Hiện đại hóa"]
    first, second = rows[5], rows[6]
    assert first[1] == "Thạnh Đông A" and second[1] == "Tân Hội"
    assert first[5] == 80.0 and second[5] == 60.0
    assert (first[6], first[7], first[8]) == (None, "Khá", 1)
    assert (second[6], second[7], second[8]) == (None, "Trung bình", 2)
    assert first[3] == 80 and not isinstance(first[3], str)
    assert sheet.cell(row=6, column=6).number_format == "0.00"


def test_a_partial_total_is_marked_provisional_and_a_commune_not_started_has_no_self_score(world):
    # Commune A appraised on every criterion; Tân Hội on one only; Thạnh Trị has not started.
    CriterionScore.objects.filter(visit=world.visit_a).update(appraised_score=0)
    CriterionScore.objects.filter(visit=world.visit_b, criterion=world.leaves[0]).update(appraised_score=3)
    idle = VisitFactory(plan=world.plan, unit=CommuneFactory(name="Thạnh Trị", parent=world.district))
    for criterion in world.leaves:
        ScoreFactory(visit=idle, criterion=criterion, self_score=None)
    rendered = render_document(kind=Report.Kind.DISTRICT_XLSX, plan=world.plan)
    rows = [list(row) for row in load_workbook(io.BytesIO(rendered.content)).active.iter_rows(values_only=True)]
    ranked, partial, not_started = rows[5], rows[6], rows[7]
    assert [ranked[1], partial[1], not_started[1]] == ["Thạnh Đông A", "Tân Hội", "Thạnh Trị"]
    assert ranked[5] == 0.0 and ranked[6] is None and ranked[8] == 1
    assert partial[5] == 3.0 and partial[6] == "Tạm tính" and partial[7:9] == [None, None]
    assert not_started[2:7] == [None] * 5
    assert rows[-1] == ["Tạm tính: chưa thẩm định hết các tiêu chí nên chưa xếp loại, xếp hạng."] + [None] * (
        len(rows[-1]) - 1
    )


def _prints_on_a4_landscape_one_page_wide(sheet, header_row: int) -> None:
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    fonts = {cell.font.name for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert fonts == {"Times New Roman"}


def test_score_table_prints_a4_landscape_fitted_to_width_with_its_header_on_every_page(world):
    rendered = render_document(kind=Report.Kind.DISTRICT_XLSX, plan=world.plan)
    sheet = load_workbook(io.BytesIO(rendered.content)).active
    _prints_on_a4_landscape_one_page_wide(sheet, header_row=5)
    # The area titles wrap and their row is tall enough to show the longest whole.
    area_cells = [cell for cell in sheet[5] if cell.column > 11]
    assert area_cells and all(cell.alignment.wrap_text for cell in area_cells)
    longest = max(len(str(cell.value)) for cell in area_cells)
    width = sheet.column_dimensions[area_cells[0].column_letter].width
    assert sheet.row_dimensions[5].height >= 16 * (longest / width)


def test_dashboard_export_prints_like_the_score_table(world):
    from inspections.models import Visit
    from inspections.results import campaign_results
    from inspections.xlsx import dashboard_workbook

    results = campaign_results(plan=world.plan, visits=list(Visit.objects.filter(plan=world.plan)))
    sheet = load_workbook(io.BytesIO(dashboard_workbook(results))).active
    _prints_on_a4_landscape_one_page_wide(sheet, header_row=2)
