"""The scoring method in the criteria editor and the .xlsx import: not applicable, bonus, penalty, survey, bands."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from inspections.models import AdjustmentItem, CriteriaSet, Criterion
from inspections.services import setup
from inspections.services.criteria import criteria_set_problems
from inspections.xlsx import criteria_sheet_template

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _upload(book) -> SimpleUploadedFile:
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("tieu-chi.xlsx", out.getvalue())


def _import(world, file, total="10", name="Bộ nhập"):
    return setup.criteria_set_import(
        user=world.users["secretariat"],
        authority=world.district,
        year=2021,
        name=name,
        total_max=Decimal(total),
        file=file,
    )


def test_the_example_sheet_imports_the_whole_method(world):
    imported = _import(world, SimpleUploadedFile("mau.xlsx", criteria_sheet_template()))

    assert list(imported.criteria.filter(may_be_not_applicable=True).values_list("code", flat=True)) == ["1.2.2"]
    items = {i.code: (i.kind, i.max_points, i.serious_violation) for i in imported.adjustment_items.all()}
    assert items == {
        "T1": ("bonus", Decimal("1"), False),
        "D1": ("penalty", Decimal("0.5"), False),
        "D2": ("penalty", Decimal("2"), True),
    }
    assert (imported.bonus_cap, imported.penalty_cap) == (Decimal("2"), Decimal("3"))
    assert [(i.code, i.weight) for i in imported.survey_indices.order_by("order")] == [
        ("SIPAS", Decimal("60")),
        ("CBCC", Decimal("40")),
    ]
    good = imported.bands.get(label="Tốt")
    assert (good.min_percent, good.area_floor_percent, good.requires_no_serious_violation) == (
        Decimal("90"),
        Decimal("70"),
        True,
    )
    assert imported.bands.count() == 4
    assert criteria_set_problems(criteria_set=imported) == []


def test_a_bad_method_sheet_names_its_rows_and_imports_nothing(world):
    book = load_workbook(io.BytesIO(criteria_sheet_template()))
    book.worksheets[0]["F6"] = "có thể"
    method = book.worksheets[1]
    method.append(["thưởng", "T9", "Thưởng vi phạm", 1, "x"])
    method.append(["phạt", "P1", "Không phải loại nào", 1])
    method.append(["khảo sát", "SIPAS", "Trùng mã", 10])
    method.append(["xếp loại", "Xuất sắc", 120])
    method.append(["xếp loại", "Hoàn thành xuất sắc nhiệm vụ " * 3, 96])

    with pytest.raises(ValidationError) as caught:
        _import(world, _upload(book))

    messages = caught.value.messages
    assert "Dòng 6: đánh dấu x ở cột F cho tiêu chí được đăng ký không áp dụng, hoặc để trống." in messages
    rows = method.max_row
    assert any(m.startswith(f"Trang “{method.title}”, dòng {rows - 4}:") and "điểm trừ" in m for m in messages)
    assert any(m.startswith(f"Trang “{method.title}”, dòng {rows - 3}:") and "“phạt”" in m for m in messages)
    assert any(m.startswith(f"Trang “{method.title}”, dòng {rows - 2}:") and "SIPAS" in m for m in messages)
    assert any(m.startswith(f"Trang “{method.title}”, dòng {rows - 1}:") and "100" in m for m in messages)
    assert any(m.startswith(f"Trang “{method.title}”, dòng {rows}:") and "quá dài" in m for m in messages)
    assert not CriteriaSet.objects.filter(name="Bộ nhập").exists()


def test_the_survey_weight_counts_in_the_total_of_the_sheet(world):
    book = load_workbook(io.BytesIO(criteria_sheet_template()))
    method = book.worksheets[1]
    for row in method.iter_rows():
        if row[0].value == "trọng số khảo sát":
            row[1].value = 5
    with pytest.raises(ValidationError) as caught:
        _import(world, _upload(book), total="10")
    assert "khảo sát" in caught.value.messages[0]
    # 10 points of criteria and 5 of survey make a total of 15.
    imported = _import(world, _upload(book), total="15")
    assert imported.survey_weight == Decimal("5")
    assert criteria_set_problems(criteria_set=imported) == []


def test_the_editor_carries_the_method_on_a_draft_and_the_copy_keeps_it(world):
    draft = setup.criteria_set_copy(source=world.criteria_set, user=world.users["secretariat"], year=2021, name="2021")
    client = Client()
    client.force_login(world.users["secretariat"])

    edit = reverse("inspections:criteria_set_edit", args=[draft.pk])
    data = {"name": "2021", "year": "2021", "total_max": "100", "legal_basis": "", "status": "draft"}
    refused = client.post(edit, {**data, "survey_weight": "100"})
    assert refused.status_code == 200
    assert "Trọng số khảo sát phải từ 0 đến dưới tổng điểm." in refused.content.decode()
    assert client.post(edit, {**data, "survey_weight": "10", "bonus_cap": "2", "penalty_cap": "3"}).status_code == 302
    draft.refresh_from_db()
    assert (draft.survey_weight, draft.bonus_cap, draft.penalty_cap) == (Decimal("10"), Decimal("2"), Decimal("3"))
    problems = criteria_set_problems(criteria_set=draft)
    assert any("khảo sát" in p for p in problems), problems

    leaf = draft.criteria.get(code="1.2")
    response = client.post(
        reverse("inspections:criterion_edit", args=[draft.pk, leaf.pk]),
        {
            "area": leaf.area_id,
            "parent": "",
            "code": "1.2",
            "title": leaf.title,
            "max_score": "30",
            "guidance": "",
            "expected_evidence": "",
            "may_be_not_applicable": "on",
        },
    )
    assert response.status_code == 302
    assert Criterion.objects.get(pk=leaf.pk).may_be_not_applicable

    method = reverse("inspections:scoring_method_edit", args=[draft.pk])
    rows = {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-kind": "bonus",
        "items-0-code": "T1",
        "items-0-title": "Sáng kiến được công nhận",
        "items-0-max_points": "1",
        "items-1-kind": "bonus",
        "items-1-code": "D2",
        "items-1-title": "Vi phạm",
        "items-1-max_points": "2",
        "items-1-serious_violation": "on",
        "indices-TOTAL_FORMS": "1",
        "indices-INITIAL_FORMS": "0",
        "indices-0-code": "SIPAS",
        "indices-0-title": "Hài lòng",
        "indices-0-weight": "1",
    }
    refused = client.post(method, rows)
    assert refused.status_code == 200
    assert "Chỉ mục điểm trừ mới được đánh dấu vi phạm nghiêm trọng." in refused.content.decode()
    assert 'value="Sáng kiến được công nhận"' in refused.content.decode()
    assert client.post(method, {**rows, "items-1-kind": "penalty"}).status_code == 302
    assert draft.adjustment_items.get(code="D2").serious_violation
    assert criteria_set_problems(criteria_set=draft) == []

    bands = reverse("inspections:bands_edit", args=[draft.pk])
    response = client.post(
        bands,
        {
            "bands-TOTAL_FORMS": "2",
            "bands-INITIAL_FORMS": "0",
            "bands-0-label": "Tốt",
            "bands-0-min_percent": "90",
            "bands-0-area_floor_percent": "70",
            "bands-0-requires_no_serious_violation": "on",
            "bands-1-label": "Chưa tốt",
            "bands-1-min_percent": "0",
        },
    )
    assert response.status_code == 302
    good = draft.bands.get(label="Tốt")
    assert (good.area_floor_percent, good.requires_no_serious_violation) == (Decimal("70"), True)

    page = client.get(reverse("inspections:criteria_set_detail", args=[draft.pk])).content.decode()
    assert "Sáng kiến được công nhận" in page and "SIPAS" in page and "không lĩnh vực nào dưới 70" in page

    copy = setup.criteria_set_copy(source=draft, user=world.users["secretariat"], year=2022, name="2022")
    assert copy.survey_weight == Decimal("10") and copy.penalty_cap == Decimal("3")
    assert copy.criteria.get(code="1.2").may_be_not_applicable
    assert copy.adjustment_items.filter(kind=AdjustmentItem.Kind.PENALTY, serious_violation=True).count() == 1
    assert copy.survey_indices.get().code == "SIPAS"
    assert copy.bands.get(label="Tốt").area_floor_percent == Decimal("70")


def test_a_set_in_use_keeps_its_method(world):
    client = Client()
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("inspections:scoring_method_edit", args=[world.criteria_set.pk]),
        {
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
            "indices-TOTAL_FORMS": "0",
            "indices-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("inspections:criteria_set_detail", args=[world.criteria_set.pk]))


@pytest.mark.parametrize(("language", "cap", "limit"), [("vi", "2,5", "(≤ 0,5)"), ("en", "2.5", "(≤ 0.5)")])
def test_the_criteria_set_page_writes_caps_as_the_item_list_and_messages_do(world, language, cap, limit):
    CriteriaSet.objects.filter(pk=world.criteria_set.pk).update(bonus_cap=Decimal("2.50"))
    AdjustmentItem.objects.create(
        criteria_set=world.criteria_set, kind=AdjustmentItem.Kind.BONUS, code="T1", title="Sáng kiến", max_points="0.50"
    )
    client = Client()
    client.force_login(world.users["secretariat"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get(reverse("inspections:criteria_set_detail", args=[world.criteria_set.pk])).content.decode()
    method = body[body.index('data-testid="scoring-method"') :]
    assert limit in method and f": {cap}<" in method, method[:600]
    assert "0,50" not in method and "0.50" not in method and "2,50" not in method and "2.50" not in method
