"""Length limits: every import column and form field over its limit gets a message, never a 500, and saves nothing."""

import importlib
import inspect
import io
from decimal import Decimal

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from inspections.models import (
    ClassificationBand,
    ConclusionNotice,
    CriteriaSet,
    Criterion,
    Evidence,
    InspectionPlan,
    InspectionTeam,
    Minutes,
    ReviewArea,
    TeamGroup,
    TeamMember,
    Visit,
)

pytestmark = pytest.mark.django_db

FORM_MODULES = [
    "inspections.forms.setup",
    "inspections.forms.appraisal",
    "inspections.forms.closing",
    "inspections.forms.portal",
    "reports.forms",
    "accounts.forms",
]


def _form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                yield cls


def test_every_text_field_of_every_form_has_a_length_limit():
    unlimited = [
        f"{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None and name != "password"
    ]
    assert unlimited == []


# (form, field, model, model field): a form limit above the column's would reach the database and fail there.
STORED = [
    ("inspections.forms.setup.CriteriaSetForm", "name", CriteriaSet, "name"),
    ("inspections.forms.setup.CriteriaSetCopyForm", "name", CriteriaSet, "name"),
    ("inspections.forms.setup.CriteriaImportForm", "name", CriteriaSet, "name"),
    ("inspections.forms.setup.AreaForm", "number", ReviewArea, "number"),
    ("inspections.forms.setup.AreaForm", "code", ReviewArea, "code"),
    ("inspections.forms.setup.AreaForm", "title", ReviewArea, "title"),
    ("inspections.forms.setup.AreaForm", "title_en", ReviewArea, "title_en"),
    ("inspections.forms.setup.CriterionForm", "code", Criterion, "code"),
    ("inspections.forms.setup.BandForm", "label", ClassificationBand, "label"),
    ("inspections.forms.setup.NewCampaignForm", "number", InspectionPlan, "number"),
    ("inspections.forms.setup.NewCampaignForm", "title", InspectionPlan, "title"),
    ("inspections.forms.setup.TeamForm", "name", InspectionTeam, "name"),
    ("inspections.forms.setup.TeamForm", "decision_number", InspectionTeam, "decision_number"),
    ("inspections.forms.setup.GroupForm", "name", TeamGroup, "name"),
    ("inspections.forms.setup.MemberForm", "position", TeamMember, "position"),
    ("inspections.forms.setup.VisitScheduleForm", "place", Visit, "place"),
    ("inspections.forms.closing.MinutesForm", "number", Minutes, "number"),
    ("inspections.forms.closing.MinutesForm", "place", Minutes, "place"),
    ("inspections.forms.closing.ConclusionForm", "number", ConclusionNotice, "number"),
    ("inspections.forms.closing.ConclusionForm", "signer_name", ConclusionNotice, "signer_name"),
    ("inspections.forms.closing.ConclusionForm", "signer_title", ConclusionNotice, "signer_title"),
    ("inspections.forms.portal.EvidenceForm", "document_number", Evidence, "document_number"),
    ("inspections.forms.portal.EvidenceForm", "page_reference", Evidence, "page_reference"),
    ("inspections.forms.portal.EvidenceForm", "description", Evidence, "description"),
]


def _form_class(path):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize(
    ("form", "field", "model", "column"), STORED, ids=[f"{r[0].rsplit('.', 1)[1]}.{r[1]}" for r in STORED]
)
def test_each_form_limit_fits_its_column(form, field, model, column):
    assert _form_class(form).base_fields[field].max_length <= model._meta.get_field(column).max_length


def test_the_plan_form_takes_its_limits_from_the_columns():
    from inspections.forms.setup import PlanForm

    for name in ("number", "title"):
        assert PlanForm.base_fields[name].max_length == InspectionPlan._meta.get_field(name).max_length


# Criteria sheets ---------------------------------------------------------------------

HEADER = ["Mã", "Nội dung", "Điểm tối đa", "Tài liệu kiểm chứng", "Hướng dẫn chấm"]


def _sheet(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("tieu-chi.xlsx", out.getvalue())


def _rows(area=None, criterion=None):
    area_row = ["1", "Cải cách thủ tục hành chính", 100, "", ""]
    criterion_row = ["1.1", "Niêm yết thủ tục", 100, "Ảnh chụp", "Đủ: 100"]
    for row, changes in ((area_row, area or {}), (criterion_row, criterion or {})):
        for index, value in changes.items():
            row[index] = value
    return [area_row, criterion_row]


SHEETS = [
    # (what, rows, the row message in Vietnamese)
    ("area title", _rows(area={1: "Đ" * 301}), "Dòng 2: tên của 1 quá dài: tối đa 300 ký tự, hiện có 301."),
    ("area number", _rows(area={0: "1" * 11}), "Dòng 2: số của 11111111111 quá dài: tối đa 10 ký tự, hiện có 11."),
    (
        "criterion code",
        _rows(criterion={0: "1." * 11 + "1"}),
        "Dòng 3: mã “1.1.1.1.1.1.1.1.1.1.…” quá dài: tối đa 20 ký tự.",
    ),
    ("criterion title", _rows(criterion={1: "x" * 2001}), "tối đa 2000 ký tự, hiện có 2001."),
    ("evidence expected", _rows(criterion={3: "x" * 5001}), "tối đa 5000 ký tự, hiện có 5001."),
    ("scoring guidance", _rows(criterion={4: "x" * 5001}), "tối đa 5000 ký tự, hiện có 5001."),
    ("maximum", _rows(criterion={2: 100000}), "Dòng 3: điểm tối đa của 1.1 quá lớn: tối đa 9999,99."),
]


@pytest.mark.parametrize(("what", "rows", "message"), SHEETS, ids=[s[0] for s in SHEETS])
def test_an_over_long_sheet_cell_is_a_row_message_and_nothing_is_imported(world, client, what, rows, message):
    client.force_login(world.users["secretariat"])
    before = CriteriaSet.objects.count()
    response = client.post(
        reverse("inspections:criteria_set_import"),
        {"name": "Bộ tiêu chí 2021", "year": "2021", "total_max": "100", "file": _sheet(rows)},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="form-errors"' in body
    assert message in body, what
    assert CriteriaSet.objects.count() == before


def test_a_sheet_within_every_limit_imports(world, client):
    client.force_login(world.users["secretariat"])
    rows = _rows(area={1: "Đ" * 300}, criterion={1: "x" * 2000, 3: "x" * 5000, 4: "x" * 5000})
    response = client.post(
        reverse("inspections:criteria_set_import"),
        {"name": "Bộ tiêu chí 2021", "year": "2021", "total_max": "100", "file": _sheet(rows)},
    )
    assert response.status_code == 302
    assert ReviewArea.objects.get(criteria_set__name="Bộ tiêu chí 2021").title == "Đ" * 300


@pytest.mark.parametrize("url", ["inspections:criteria_set_import", "inspections:criteria_set_edit"])
def test_a_total_too_large_to_store_is_a_message(world, client, url):
    client.force_login(world.users["secretariat"])
    args = [] if url.endswith("import") else [world.criteria_set.pk]
    data = {"name": "Bộ", "year": "2021", "total_max": "100000", "status": "draft", "file": _sheet(_rows())}
    response = client.post(reverse(url, args=args), data)
    assert response.status_code == 200
    assert "Điểm phải từ 0 đến 9999,99." in response.content.decode()
    assert not CriteriaSet.objects.filter(total_max=Decimal("100000")).exists()
