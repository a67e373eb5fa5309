"""The scoring method in real Chromium, from an empty database: declare, accept, penalise, import the survey."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from conftest import browser_login, build_world
from inspections.models import AdjustmentItem, Criterion, CriterionScore, SurveyIndex, SurveyResult, Visit


def method_world():
    """The world with a method (1.1.2 may not apply, a penalty item, a 10-point survey) and A's sheet open."""
    world = build_world()
    Criterion.objects.filter(pk=world.leaves[1].pk).update(may_be_not_applicable=True)
    world.criteria_set.survey_weight = Decimal("10")
    world.criteria_set.save()
    AdjustmentItem.objects.create(
        criteria_set=world.criteria_set, kind="penalty", code="D1", title="Báo cáo trễ hạn", max_points=Decimal("1")
    )
    SurveyIndex.objects.create(criteria_set=world.criteria_set, code="SIPAS", title="Hài lòng", weight=1)
    Visit.objects.filter(pk=world.visit_a.pk).update(
        status=Visit.Status.SELF_ASSESSMENT, self_assessment_deadline=timezone.localdate() + dt.timedelta(days=7)
    )
    CriterionScore.objects.filter(visit=world.visit_a, criterion=world.leaves[1]).update(self_score=None)
    return world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_declared_accepted_penalised_and_surveyed_in_the_browser(page, live_server, tmp_path):
    world = method_world()
    criterion = world.leaves[1]

    browser_login(page, live_server, "commune_a")
    page.goto(f"{live_server.url}/campaigns/visits/{world.visit_a.pk}/self-assessment/")
    card = page.get_by_test_id(f"criterion-{criterion.code}")
    card.locator(f"#id_c{criterion.pk}-self_explanation").fill("Năm 2020 không phát sinh trường hợp nào")
    card.locator(f"#id_c{criterion.pk}-not_applicable").check()
    card.get_by_test_id("save-score").click()
    expect(page.get_by_test_id(f"criterion-{criterion.code}").get_by_test_id("not-applicable")).to_have_text(
        "đăng ký không áp dụng"
    )
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SUBMITTED)

    page.context.clear_cookies()
    browser_login(page, live_server, "inspector")
    page.goto(f"{live_server.url}/campaigns/visits/{world.visit_a.pk}/workspace/")
    row = page.get_by_test_id(f"score-row-{criterion.code}")
    expect(row.get_by_test_id("not-applicable")).to_contain_text("Năm 2020 không phát sinh")
    row.get_by_test_id("accept-not-applicable").click()
    expect(page.get_by_test_id(f"score-row-{criterion.code}").get_by_test_id("not-applicable")).to_contain_text(
        "không áp dụng (đã chấp nhận)"
    )
    expect(page.get_by_test_id("result-statement")).to_contain_text("điểm áp dụng × 100")

    page.context.clear_cookies()
    browser_login(page, live_server, "lead")
    page.goto(f"{live_server.url}/campaigns/visits/{world.visit_a.pk}/workspace/")
    form = page.get_by_test_id("adjustment-form")
    form.locator("select[name=adjustment-item]").select_option(label="Điểm trừ · D1 Báo cáo trễ hạn (≤ 1)")
    form.locator("input[name=adjustment-points]").fill("0,5")
    form.locator("textarea[name=adjustment-note]").fill("Báo cáo quý III gửi trễ 7 ngày")
    form.get_by_test_id("record-adjustment").click()
    expect(page.get_by_test_id("adjustment")).to_contain_text("Báo cáo quý III gửi trễ 7 ngày")
    expect(page.get_by_test_id("result-statement")).to_contain_text("Điểm trừ: −0,5")

    sheet = tmp_path / "khao-sat.xlsx"
    book = Workbook()
    book.active.append(["Mã đơn vị", "Xã", "SIPAS"])
    book.active.append([world.commune_a.code, world.commune_a.name, 86.5])
    book.save(sheet)
    page.context.clear_cookies()
    browser_login(page, live_server, "secretariat")
    page.goto(f"{live_server.url}/campaigns/{world.plan.pk}/dashboard/")
    page.get_by_test_id("survey-link").click()
    page.locator("input[name=file]").set_input_files(str(sheet))
    page.get_by_test_id("import-survey").click()
    expect(page.get_by_test_id("survey-table")).to_contain_text("86,5")
    assert SurveyResult.objects.get(visit=world.visit_a).value == Decimal("86.5")
