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

from communes.models import Department
from inspections.models import (
    ClassificationBand,
    ConclusionNotice,
    CriteriaSet,
    Criterion,
    CriterionScore,
    Evidence,
    Finding,
    InspectionPlan,
    InspectionTeam,
    Minutes,
    ReviewArea,
    TeamGroup,
    TeamMember,
    Visit,
)

from .access_rows_district import draft_set

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
    ("inspections.forms.setup.DepartmentForm", "name", Department, "name"),
    ("inspections.forms.setup.DepartmentForm", "short_name", Department, "short_name"),
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
    args = [] if url.endswith("import") else _draft(world)
    data = {"name": "Bộ", "year": "2021", "total_max": "100000", "status": "draft", "file": _sheet(_rows())}
    response = client.post(reverse(url, args=args), data)
    assert response.status_code == 200
    assert "Điểm phải từ 0 đến 9999,99." in response.content.decode()
    assert not CriteriaSet.objects.filter(total_max=Decimal("100000")).exists()


# Screens ---------------------------------------------------------------------------------


def _open_visit(world):
    import datetime as dt

    from django.utils import timezone

    Visit.objects.filter(pk=world.visit_a.pk).update(
        status=Visit.Status.SELF_ASSESSMENT, self_assessment_deadline=timezone.localdate() + dt.timedelta(days=7)
    )


def _self_score(world, text):
    _open_visit(world)
    criterion = world.leaves[0]
    prefix = f"c{criterion.pk}"
    version = CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).version
    return {f"{prefix}-self_score": "1", f"{prefix}-self_explanation": text, f"{prefix}-version": str(version)}


def _notice(world, text):
    from inspections.services import closing

    from .test_district_closing import _minutes

    _minutes(world)
    closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])
    return {"number": text, "issued_on": "20/10/2020"}


def _visit(w):
    return [w.visit_a.pk]


def _plan(w):
    return [w.plan.pk]


def _set(w):
    return [w.criteria_set.pk]


def _draft(w):
    """A copy of the world's set that no plan uses (a set in use is frozen)."""
    return [draft_set(w).pk]


def _draft_area(w):
    return draft_set(w).areas.order_by("order", "number").first().pk


# (label, persona, url name, args, data given the world and the long text, limit, model and field that must not get it)
SCREENS = [
    (
        "criteria set name",
        "secretariat",
        "criteria_set_copy",
        _set,
        lambda w, t: {"year": "2021", "name": t},
        255,
        CriteriaSet,
        "name",
    ),
    (
        "area title",
        "secretariat",
        "area_add",
        _draft,
        lambda w, t: {"number": "3", "code": "more", "title": t},
        300,
        ReviewArea,
        "title",
    ),
    (
        "criterion code",
        "secretariat",
        "criterion_add",
        _draft,
        lambda w, t: {"area": _draft_area(w), "code": t, "title": "Tiêu chí", "max_score": "1"},
        20,
        Criterion,
        "code",
    ),
    (
        "criterion title",
        "secretariat",
        "criterion_add",
        _draft,
        lambda w, t: {"area": _draft_area(w), "code": "1.9", "title": t, "max_score": "1"},
        2000,
        Criterion,
        "title",
    ),
    (
        "plan title",
        "secretariat",
        "plan_edit",
        _plan,
        lambda w, t: {"title": t, "number": "1/KH"},
        300,
        InspectionPlan,
        "title",
    ),
    (
        "plan number",
        "secretariat",
        "plan_next",
        _plan,
        lambda w, t: {
            "year": "2021",
            "number": t,
            "title": "Kế hoạch",
            "issued_on": "01/09/2021",
            "round_start": "01/10/2021",
            "round_end": "10/10/2021",
        },
        60,
        InspectionPlan,
        "number",
    ),
    ("team name", "secretariat", "team_edit", _plan, lambda w, t: {"name": t}, 255, InspectionTeam, "name"),
    ("group name", "secretariat", "group_add", _plan, lambda w, t: {"name": t}, 120, TeamGroup, "name"),
    (
        "member position",
        "secretariat",
        "member_add",
        _plan,
        lambda w, t: {"user": w.users["viewer"].pk, "role": "member", "position": t},
        150,
        TeamMember,
        "position",
    ),
    (
        "visit place",
        "secretariat",
        "visit_schedule_edit",
        _visit,
        lambda w, t: {"unit": w.commune_a.pk, "scheduled_on": "06/10/2020", "place": t},
        255,
        Visit,
        "place",
    ),
    (
        "minutes place",
        "lead",
        "minutes_edit",
        _visit,
        lambda w, t: {"held_on": "13/10/2020", "place": t, "team_attendees": "A – B"},
        255,
        Minutes,
        "place",
    ),
    (
        "notice number",
        "lead",
        "conclusion_edit",
        _visit,
        _notice,
        60,
        ConclusionNotice,
        "number",
    ),
    (
        "finding text",
        "inspector",
        "finding_create",
        _visit,
        lambda w, t: {"finding-kind": "strength", "finding-area": w.areas[0].pk, "finding-text": t},
        8000,
        Finding,
        "text",
    ),
    ("question", "commune_a", "question_list", _visit, lambda w, t: {"text": t}, 4000, Finding, "text"),
    (
        "remedy",
        "commune_a",
        "finding_remedy",
        lambda w: [w.visit_a.findings.first().pk],
        lambda w, t: {"description": t},
        8000,
        None,
        None,
    ),
    (
        "self-assessment explanation",
        "commune_a",
        "self_score_save",
        lambda w: [w.visit_a.pk, w.leaves[0].pk],
        _self_score,
        8000,
        CriterionScore,
        "self_explanation",
    ),
]


@pytest.mark.parametrize(
    ("label", "persona", "url", "args", "data", "limit", "model", "field"), SCREENS, ids=[s[0] for s in SCREENS]
)
def test_a_text_over_its_limit_on_a_screen_is_a_message_and_nothing_is_saved(
    world, persona_client, label, persona, url, args, data, limit, model, field
):
    client = persona_client(persona)
    long_text = "Đ" * (limit + 1)
    response = client.post(reverse(f"inspections:{url}", args=args(world)), data(world, long_text), follow=True)
    assert response.status_code == 200, label
    body = response.content.decode()
    assert f"tối đa {limit} k" in body and f"hiện có {limit + 1}" in body, label
    if model is not None:
        assert not model.objects.filter(**{field: long_text}).exists(), label
    else:
        assert long_text not in body.split('name="description"', 1)[0]


def test_a_criterion_maximum_too_large_to_store_is_a_message(world, client):
    client.force_login(world.users["secretariat"])
    data = {"area": _draft_area(world), "code": "1.9", "title": "Tiêu chí", "max_score": "100000"}
    response = client.post(reverse("inspections:criterion_add", args=_draft(world)), data)
    assert response.status_code == 200
    assert "Điểm phải từ 0 đến 9999,99." in response.content.decode()
    assert not Criterion.objects.filter(code="1.9").exists()


def test_a_band_label_over_its_limit_is_a_message_and_nothing_is_saved(world, client):
    from .test_district_setup import _bands_post

    client.force_login(world.users["secretariat"])
    draft = draft_set(world)
    url = reverse("inspections:bands_edit", args=[draft.pk])
    data = _bands_post(client, url)
    data.update({"bands-4-label": "Đ" * 61, "bands-4-min_percent": "95", "bands-4-color": "primary"})
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "tối đa 60 k" in body and "hiện có 61" in body
    assert draft.bands.count() == 4


def test_a_deadline_reason_over_its_limit_is_a_message(world, client):
    client.force_login(world.users["secretariat"])
    url = reverse("inspections:deadline_extend", args=[world.visit_a.pk])
    response = client.post(url, {"deadline": "30/12/2030", "reason": "Đ" * 101}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "tối đa 100 k" in body and "hiện có 101" in body
    assert Visit.objects.get(pk=world.visit_a.pk).self_assessment_deadline is None
