"""The scoring method through the screens, from a database the demo never touched, by each role in turn.

The commune declares two criteria not applicable on its self-assessment sheet, the inspector
accepts them in the workspace, the lead records a penalty for a late report, the secretariat
imports the survey results; the pages, the dashboard, the export and the signed minutes state
the conversion, the penalty and the survey apart.
"""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from communes.tests.factories import CommuneFactory
from inspections.models import (
    AdjustmentItem,
    Criterion,
    CriterionScore,
    SurveyIndex,
    SurveyResult,
    Visit,
    VisitAdjustment,
)
from inspections.services import closing
from inspections.tests.factories import VisitFactory
from reports.models import Report
from reports.rendering.documents import render_document
from reports.tests import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def as_(world, persona) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(world.users[persona])
    return client


def method(world):
    """The province's method on the world's set: 1.1.1 and 1.1.2 may not apply, a penalty item, a 10-point survey."""
    Criterion.objects.filter(criteria_set=world.criteria_set, code__in=["1.1.1", "1.1.2"]).update(
        may_be_not_applicable=True
    )
    world.criteria_set.survey_weight = Decimal("10")
    world.criteria_set.save()
    AdjustmentItem.objects.create(
        criteria_set=world.criteria_set,
        kind=AdjustmentItem.Kind.PENALTY,
        code="D1",
        title="Báo cáo CCHC trễ hạn",
        max_points=Decimal("1"),
    )
    SurveyIndex.objects.create(criteria_set=world.criteria_set, code="SIPAS", title="Chỉ số hài lòng", weight=1)


def sheet(rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "khao-sat.xlsx"
    return out


def declare(client, world, code, data):
    criterion = world.criteria_set.criteria.get(code=code)
    prefix = f"c{criterion.pk}"
    return client.post(
        reverse("inspections:self_score_save", args=[world.visit_a.pk, criterion.pk]),
        {f"{prefix}-{name}": value for name, value in data.items()},
    )


def test_not_applicable_penalty_and_survey_through_the_screens(world):
    method(world)
    Visit.objects.filter(pk=world.visit_a.pk).update(
        status=Visit.Status.SELF_ASSESSMENT, self_assessment_deadline=timezone.localdate() + dt.timedelta(days=7)
    )
    commune = as_(world, "commune_a")

    # The commune: the box is offered where the set allows it, and a score beside it is refused, text kept.
    page = commune.get(reverse("inspections:self_assessment", args=[world.visit_a.pk])).content.decode()
    assert page.count("Không áp dụng đối với xã") == 2
    refused = declare(
        commune, world, "1.1.1", {"self_score": "3", "self_explanation": "Không phát sinh", "not_applicable": "on"}
    )
    assert refused.status_code == 200
    assert "Tiêu chí đăng ký không áp dụng thì không có điểm" in refused.content.decode()
    assert "Không phát sinh" in refused.content.decode()
    for code in ("1.1.1", "1.1.2"):
        response = declare(
            commune,
            world,
            code,
            {"self_score": "", "self_explanation": "Năm 2020 không phát sinh hồ sơ", "not_applicable": "on"},
        )
        assert response.status_code == 302
    declared = CriterionScore.objects.get(visit=world.visit_a, criterion__code="1.1.1")
    assert (declared.not_applicable, declared.self_score) == (CriterionScore.NotApplicable.DECLARED, None)
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SUBMITTED)

    # The inspector (area 1) accepts both declarations and appraises 1.2; the lead appraises 2.1.
    inspector = as_(world, "inspector")
    workspace = reverse("inspections:visit_workspace", args=[world.visit_a.pk])
    assert "Chấp nhận không áp dụng" in inspector.get(workspace).content.decode()
    for code in ("1.1.1", "1.1.2"):
        criterion = world.criteria_set.criteria.get(code=code)
        response = inspector.post(
            reverse("inspections:not_applicable_decide", args=[world.visit_a.pk, criterion.pk]), {"decision": "accept"}
        )
        assert response.status_code == 302
    lead = as_(world, "lead")
    for persona, code, value in (("inspector", "1.2", "36"), ("lead", "2.1", "46")):
        criterion = world.criteria_set.criteria.get(code=code)
        score = CriterionScore.objects.get(visit=world.visit_a, criterion=criterion)
        response = as_(world, persona).post(
            reverse("inspections:score_save", args=[world.visit_a.pk, criterion.pk]),
            {"appraised_score": value, "version": str(score.version)},
        )
        assert response.status_code == 302

    # The lead records a penalty: above the item's cap it is refused with the grounds kept, then recorded.
    item = AdjustmentItem.objects.get(code="D1")
    record = reverse("inspections:adjustment_record", args=[world.visit_a.pk])
    grounds = "Báo cáo CCHC quý III gửi trễ 10 ngày"
    refused = lead.post(record, {"adjustment-item": item.pk, "adjustment-points": "1,5", "adjustment-note": grounds})
    assert refused.status_code == 200
    assert "Số điểm phải lớn hơn 0 và không quá 1" in refused.content.decode()
    assert grounds in refused.content.decode()
    response = lead.post(
        record,
        {
            "adjustment-item": item.pk,
            "adjustment-points": "0,5",
            "adjustment-note": grounds,
            "adjustment-document": "Công văn 15/UBND",
        },
    )
    assert response.status_code == 302

    # The secretariat imports the survey: a bad sheet imports nothing and names its rows.
    secretariat = as_(world, "secretariat")
    survey = reverse("inspections:survey_import", args=[world.plan.pk])
    bad = secretariat.post(
        survey,
        {"file": sheet([["Mã đơn vị", "Xã", "SIPAS"], [world.commune_a.code, "", 80], ["", "Xã Không Có", 70]])},
    )
    assert bad.status_code == 200
    assert "Dòng 3: “Xã Không Có” không phải đơn vị được kiểm tra trong đợt này." in bad.content.decode()
    assert not SurveyResult.objects.exists()
    example = load_workbook(
        io.BytesIO(secretariat.get(reverse("inspections:survey_sheet_example", args=[world.plan.pk])).content)
    )
    assert [cell.value for cell in example.active[1]] == ["Mã đơn vị", "Xã", "SIPAS"]
    good = secretariat.post(survey, {"file": sheet([["Mã đơn vị", "Xã", "SIPAS"], [world.commune_a.code, "", "80,0"]])})
    assert good.status_code == 302
    assert SurveyResult.objects.get(visit=world.visit_a).value == Decimal("80")

    # By hand: criteria 36 + 46 = 82 of 100 − 6 − 4 = 90 → 82 / 90 × 100 = 91,11; survey 10 × 80 / 100 = 8;
    # penalty 0,5; total 91,11 + 8 − 0,5 = 98,61 of 110 → 89,65 %.
    expected_percent = (Decimal("98.61") * 100 / 110).quantize(Decimal("0.01"))
    assert expected_percent == Decimal("89.65")
    html = inspector.get(workspace).content.decode().replace("\xa0", " ")
    assert "Quy đổi: 82/90 điểm áp dụng × 100 = 91,11 điểm." in html
    assert "Điểm trừ: −0,5 — D1 Báo cáo CCHC trễ hạn: 0,5." in html
    assert "Khảo sát: 8/10 điểm (SIPAS 80%)." in html
    assert "Tổng điểm: 91,11 (tiêu chí) + 8 (khảo sát) + 0 (thưởng) − 0,5 (trừ) = 98,61/110 điểm." in html

    dashboard = lead.get(reverse("inspections:plan_dashboard", args=[world.plan.pk])).content.decode()
    assert "89,65" in dashboard and "quy đổi 82/90 × 100; trừ −0,5; khảo sát 8" in dashboard.replace("\xa0", " ")
    export = load_workbook(
        io.BytesIO(lead.get(reverse("inspections:plan_dashboard_export", args=[world.plan.pk])).content)
    )
    values = [cell.value for row in export.active.iter_rows() for cell in row]
    assert 89.65 in values and "quy đổi 82/90 × 100; trừ −0,5; khảo sát 8" in values

    visit_url = reverse("inspections:visit_detail", args=[world.visit_a.pk])
    assert "Quy đổi: 82/90 điểm áp dụng × 100" in lead.get(visit_url).content.decode().replace("\xa0", " ")
    # The commune reads the team's figures only once the appraisal is published or the minutes signed.
    assert "Quy đổi" not in commune.get(visit_url).content.decode()

    # Signed: the minutes state the conversion, and a later survey import is refused for the commune.
    closing.minutes_save(
        visit=world.visit_a,
        user=world.users["lead"],
        held_on=dt.date(2020, 10, 13),
        team_attendees=[{"name": "Trần Minh Vũ", "position": "Trưởng đoàn"}],
        commune_attendees=[{"name": "Huỳnh Văn Tâm", "position": "Chủ tịch UBND xã"}],
    )
    assert lead.post(reverse("inspections:minutes_sign", args=[world.visit_a.pk])).status_code == 302
    assert "Quy đổi: 82/90 điểm áp dụng × 100" in commune.get(visit_url).content.decode().replace("\xa0", " ")
    text = " ".join(
        pdf_text.text(render_document(kind=Report.Kind.MINUTES, plan=world.plan, visit=world.visit_a).content).split()
    )
    assert "Quy đổi: 82/90 điểm áp dụng × 100 = 91,11 điểm." in text
    assert "Tổng điểm: 98,61/110 điểm (89,65%)" in text
    report = " ".join(pdf_text.text(render_document(kind=Report.Kind.DISTRICT, plan=world.plan).content).split())
    assert "Thạnh Đông A: quy đổi 82/90 × 100; trừ −0,5; khảo sát 8." in report
    table = load_workbook(io.BytesIO(render_document(kind=Report.Kind.DISTRICT_XLSX, plan=world.plan).content))
    assert ["Thạnh Đông A", "quy đổi 82/90 × 100; trừ −0,5; khảo sát 8"] in [
        [cell.value for cell in row][1:3] for row in table.active.iter_rows()
    ]
    again = secretariat.post(survey, {"file": sheet([["Mã đơn vị", "Xã", "SIPAS"], [world.commune_a.code, "", 10]])})
    assert "biên bản kiểm tra của Thạnh Đông A đã ký" in again.content.decode()
    assert SurveyResult.objects.get(visit=world.visit_a).value == Decimal("80")


def test_signing_waits_for_the_survey_results(world):
    method(world)
    for score in CriterionScore.objects.filter(visit=world.visit_a):
        score.appraised_score = score.max_score
        score.save()
    closing.minutes_save(
        visit=world.visit_a,
        user=world.users["lead"],
        held_on=dt.date(2020, 10, 13),
        team_attendees=[{"name": "Trần Minh Vũ", "position": "Trưởng đoàn"}],
        commune_attendees=[{"name": "Huỳnh Văn Tâm", "position": "Chủ tịch UBND xã"}],
    )
    response = as_(world, "lead").post(reverse("inspections:minutes_sign", args=[world.visit_a.pk]), follow=True)
    assert "Chưa nhập kết quả khảo sát của đơn vị (SIPAS)" in response.content.decode()
    assert Visit.objects.get(pk=world.visit_a.pk).status != Visit.Status.SIGNED


def test_a_commune_never_sees_another_communes_survey_page_or_records_points(world):
    method(world)
    item = AdjustmentItem.objects.get(code="D1")
    response = as_(world, "commune_b").post(
        reverse("inspections:adjustment_record", args=[world.visit_a.pk]),
        {"adjustment-item": item.pk, "adjustment-points": "1", "adjustment-note": "x"},
    )
    assert response.status_code == 404
    assert as_(world, "commune_a").get(reverse("inspections:survey_import", args=[world.plan.pk])).status_code == 403


def test_the_points_choice_writes_an_items_cap_in_the_language_of_the_page(world):
    from django.utils import translation

    from inspections.forms.scoring_methods import AdjustmentForm

    method(world)
    item = AdjustmentItem.objects.get(code="D1")
    item.max_points = Decimal("0.5")
    item.save()
    form = AdjustmentForm(criteria_set_id=item.criteria_set_id)
    labels = {}
    for language in ("vi", "en"):
        with translation.override(language):
            labels[language] = [label for value, label in form.fields["item"].choices if value]
    assert labels["vi"] == ["Điểm trừ · D1 Báo cáo CCHC trễ hạn (≤ 0,5)"]
    assert labels["en"] == ["Penalty · D1 Báo cáo CCHC trễ hạn (≤ 0.5)"]


def test_the_visit_history_tells_not_applicable_bonus_penalty_and_survey_changes(world):
    """From the screens: each of these counts in the total, so each is in the record with who and what."""
    method(world)
    Visit.objects.filter(pk=world.visit_a.pk).update(
        status=Visit.Status.SELF_ASSESSMENT, self_assessment_deadline=timezone.localdate() + dt.timedelta(days=7)
    )
    commune, lead = as_(world, "commune_a"), as_(world, "lead")
    reason = "Năm 2020 không phát sinh hồ sơ"
    response = declare(commune, world, "1.1.1", {"self_score": "", "self_explanation": reason, "not_applicable": "on"})
    assert response.status_code == 302
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SUBMITTED)
    criterion = world.criteria_set.criteria.get(code="1.1.1")
    decide = reverse("inspections:not_applicable_decide", args=[world.visit_a.pk, criterion.pk])
    assert as_(world, "inspector").post(decide, {"decision": "accept"}).status_code == 302
    item = AdjustmentItem.objects.get(code="D1")
    record = reverse("inspections:adjustment_record", args=[world.visit_a.pk])
    grounds = "Báo cáo quý III gửi trễ"
    data = {"adjustment-item": item.pk, "adjustment-points": "0,75", "adjustment-note": grounds}
    assert lead.post(record, data).status_code == 302
    adjustment = VisitAdjustment.objects.get(visit=world.visit_a)
    remove = reverse("inspections:adjustment_delete", args=[adjustment.pk])
    workspace = lead.get(reverse("inspections:visit_workspace", args=[world.visit_a.pk])).content.decode()
    form = workspace.split(f'action="{remove}"')[1].split(">")[0]
    assert 'data-confirm="Xóa điểm trừ D1 Báo cáo CCHC trễ hạn?"' in form
    assert lead.post(remove).status_code == 302
    survey = reverse("inspections:survey_import", args=[world.plan.pk])
    sheet_rows = [["Mã đơn vị", "Xã", "SIPAS"], [world.commune_a.code, "", "80"]]
    assert as_(world, "secretariat").post(survey, {"file": sheet(sheet_rows)}).status_code == 302

    # The same sheet again changes nothing and writes nothing; a corrected value is one change, 80 → 85,5.
    assert as_(world, "secretariat").post(survey, {"file": sheet(sheet_rows)}).status_code == 302
    assert SurveyResult.history.filter(visit_id=world.visit_a.pk).count() == 1
    sheet_rows[1][2] = "85,5"
    assert as_(world, "secretariat").post(survey, {"file": sheet(sheet_rows)}).status_code == 302
    assert SurveyResult.history.filter(visit_id=world.visit_a.pk).count() == 2

    body = lead.get(reverse("inspections:visit_history", args=[world.visit_a.pk])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", body).replace("\xa0", " ").split())
    assert "Điểm tiêu chí 1.1.1" in text and "Không áp dụng" in text
    assert reason in text and "không áp dụng (đã chấp nhận)" in text
    assert text.count("Điểm trừ D1") == 2  # recorded, then removed
    assert "D1 Báo cáo CCHC trễ hạn" in text and "0,75" in text and grounds in text
    assert text.count("Kết quả khảo sát SIPAS") == 2 and "85,5" in text
    # A score created empty, before anyone scored it, is no event: a new commune's record has no score lines.
    fresh = VisitFactory(plan=world.plan, unit=CommuneFactory(name="Thạnh Trị", parent=world.district))
    for leaf in world.leaves:
        CriterionScore.objects.create(visit=fresh, criterion=leaf, max_score=leaf.max_score)
    assert CriterionScore.history.filter(visit_id=fresh.pk).count() == len(world.leaves)
    other = lead.get(reverse("inspections:visit_history", args=[fresh.pk])).content.decode()
    assert "Điểm tiêu chí" not in other


def test_a_survey_result_not_yet_imported_is_said_so_in_vietnamese(world):
    method(world)
    html = as_(world, "lead").get(reverse("inspections:visit_workspace", args=[world.visit_a.pk])).content.decode()
    assert "(SIPAS chưa nhập)" in html.replace("\xa0", " ")
    assert "not imported" not in html
