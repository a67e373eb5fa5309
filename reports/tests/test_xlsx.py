"""The .xlsx score table that goes with the district report."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from inspections.models import CriterionScore
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
    assert header[:8] == ["STT", "Xã", "Điểm tự chấm", "Điểm thẩm định", "Chênh lệch", "%", "Xếp loại", "Thứ hạng"]
    assert header[10:] == ["1. Thủ tục hành chính", "2. Hiện đại hóa"]
    first, second = rows[5], rows[6]
    assert first[1] == "Thạnh Đông A" and second[1] == "Tân Hội"
    assert first[5] == 80.0 and second[5] == 60.0
    assert (first[6], first[7]) == ("Khá", 1)
    assert (second[6], second[7]) == ("Trung bình", 2)
    assert first[3] == 80 and not isinstance(first[3], str)
    assert sheet.cell(row=6, column=6).number_format == "0.00"
