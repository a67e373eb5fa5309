"""The whole yearly cycle in Chromium, from a database the demo never touched.

An administrator creates the authority, its communes and the people in the Django admin;
the secretariat imports a criteria sheet and sets up the plan, team and schedule; the
commune scores, attaches evidence and submits; the inspector appraises and records
findings; the lead signs the minutes and issues the notice; the commune remedies and the
inspector verifies; a real Celery worker renders the district report; next year's campaign
carries the open finding and the commune saves its first score there.
"""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import Workbook
from PIL import Image
from playwright.sync_api import expect

from accounts.models import DemoDataset
from communes.models import AdministrativeUnit
from inspections.models import CriteriaSet, Finding, InspectionPlan, Remedy, Visit
from reports.tests import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kiểm-tra-CCHC-2026"
SHORTCOMING_REMEDIED = "Chưa niêm yết đủ thủ tục hành chính tại Bộ phận Một cửa."
SHORTCOMING_OPEN = "Chưa cập nhật sổ theo dõi hồ sơ hằng ngày."
PEOPLE = [
    # username, full name, role, unit
    ("thuha", "Nguyễn Thị Thu Hà", "secretariat", "An Giang"),
    ("minhvu", "Trần Minh Vũ", "team_lead", "An Giang"),
    ("vanphuc", "Lê Văn Phúc", "inspector", "An Giang"),
    ("vankhoa", "Đặng Văn Khoa", "commune_staff", "Tân Hội"),
    ("vantam", "Huỳnh Văn Tâm", "commune_lead", "Tân Hội"),
]


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def criteria_sheet() -> bytes:
    """Two review areas and three scored criteria, laid out as provinces publish them (20 points)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã", "Nội dung", "Điểm tối đa", "Tài liệu kiểm chứng", "Hướng dẫn chấm điểm"])
    sheet.append(["1", "Cải cách thủ tục hành chính", 10, "", ""])
    sheet.append(["1.1", "Niêm yết công khai thủ tục hành chính", 4, "Ảnh chụp nơi niêm yết", "Đầy đủ: 4; thiếu: 2"])
    sheet.append(["1.2", "Giải quyết hồ sơ đúng hạn", 6, "Sổ theo dõi", ""])
    sheet.append(["2", "Hiện đại hóa nền hành chính", 10, "", ""])
    sheet.append(["2.1", "Ứng dụng phần mềm một cửa điện tử", 10, "Báo cáo của phần mềm", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def scanned_pdf(path: Path) -> Path:
    """A one-page PDF like a scanned document."""
    buffer = io.BytesIO()
    Image.new("RGB", (420, 595), "white").save(buffer, "PDF", resolution=72)
    path.write_bytes(buffer.getvalue())
    return path


def sign_in(page, live_server, username: str, password: str = PASSWORD):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def accept_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())


def pick_autocomplete(page, select_id: str, name: str):
    """Choose a unit in one of the admin's autocomplete (select2) fields by typing its name."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(name)
    page.locator(".select2-container--open .select2-results__option", has_text=name).first.click()
    expect(page.locator(f"#{select_id} + .select2 .select2-selection__rendered")).to_contain_text(name)


def expect_saved(page):
    expect(page.locator(".alert-success, .messagelist .success").first).to_be_visible()


# The administrator -------------------------------------------------------------------


def admin_creates_units_and_people(page, live_server):
    get_user_model().objects.create_superuser("quantri", "quantri@example.org", PASSWORD)
    sign_in(page, live_server, "quantri")
    units = [
        ("89", "An Giang", "province", None),
        ("30316", "Tân Hội", "commune", "An Giang"),
        ("30317", "Thạnh Đông", "commune", "An Giang"),
    ]
    for code, name, kind, parent in units:
        page.goto(f"{live_server.url}/admin/communes/administrativeunit/add/")
        page.fill("#id_code", code)
        page.fill("#id_name", name)
        page.select_option("#id_kind", kind)
        if parent:
            pick_autocomplete(page, "id_parent", parent)
        page.click("input[name=_save]")
        expect(page.locator(".messagelist .success")).to_be_visible()

    for username, full_name, role, unit in PEOPLE:
        page.goto(f"{live_server.url}/admin/accounts/user/add/")
        page.fill("#id_username", username)
        page.fill("#id_full_name", full_name)
        page.fill("#id_password1", PASSWORD)
        page.fill("#id_password2", PASSWORD)
        page.click("input[name=_continue]")
        expect(page.locator(".messagelist .success")).to_be_visible()
        page.locator("#memberships-group .add-row a").click()
        page.select_option("#id_memberships-0-role", role)
        pick_autocomplete(page, "id_memberships-0-unit", unit)
        page.click("input[name=_save]")
        expect(page.locator(".messagelist .success")).to_be_visible()


# The secretariat ---------------------------------------------------------------------


def secretariat_sets_up_the_round(page, live_server, tmp_path, year: int, today: dt.date) -> InspectionPlan:
    sign_in(page, live_server, "thuha")
    sheet = tmp_path / "bo-tieu-chi.xlsx"
    sheet.write_bytes(criteria_sheet())
    page.goto(f"{live_server.url}/campaigns/criteria/import/")
    form = page.get_by_test_id("setup-form")
    form.locator("#id_name").fill(f"Bộ tiêu chí đánh giá công tác CCHC cấp xã năm {year}")
    form.locator("#id_year").fill(str(year))
    form.locator("#id_total_max").fill("20")
    form.locator("#id_file").set_input_files(str(sheet))
    form.locator("button[type=submit]").click()
    expect_saved(page)
    criteria_set = CriteriaSet.objects.get(year=year)
    assert criteria_set.criteria.count() == 3 and criteria_set.areas.count() == 2

    page.goto(f"{live_server.url}/campaigns/new/")
    form = page.get_by_test_id("setup-form")
    form.locator("#id_year").fill(str(year))
    form.locator("#id_number").fill("12/KH-UBND")
    form.locator("#id_issued_on").fill(dmy(today - dt.timedelta(days=10)))
    form.locator("#id_title").fill(f"Kiểm tra công tác cải cách hành chính năm {year}")
    form.locator("#id_criteria_set").select_option(str(criteria_set.pk))
    form.locator("#id_purpose").fill("Đánh giá kết quả thực hiện nhiệm vụ cải cách hành chính của các xã.")
    form.locator("#id_scope").fill("Các xã thuộc tỉnh.")
    form.locator("#id_round_start").fill(dmy(today - dt.timedelta(days=5)))
    form.locator("#id_round_end").fill(dmy(today + dt.timedelta(days=20)))
    form.locator("#id_self_assessment_deadline").fill(dmy(today + dt.timedelta(days=10)))
    form.locator("button[type=submit]").click()
    expect_saved(page)
    plan = InspectionPlan.objects.get(year=year)

    # The team decision, one group over both areas, and its members.
    page.get_by_test_id("team-form").locator("#id_decision_number").fill("35/QĐ-UBND")
    page.get_by_test_id("team-form").locator("button").click()
    expect_saved(page)
    page.goto(f"{live_server.url}/campaigns/{plan.pk}/team/groups/new/")
    form = page.get_by_test_id("setup-form")
    form.locator("#id_name").fill("Nhóm 1")
    for checkbox in form.locator("input[name=areas]").all():
        checkbox.check()
    form.locator("button[type=submit]").click()
    expect_saved(page)
    for username, role in (("minhvu", "lead"), ("vanphuc", "member"), ("thuha", "secretary")):
        page.goto(f"{live_server.url}/campaigns/{plan.pk}/team/members/new/")
        form = page.get_by_test_id("setup-form")
        form.locator("#id_user").select_option(str(get_user_model().objects.get(username=username).pk))
        form.locator("#id_role").select_option(role)
        if role == "member":
            form.locator("#id_group").select_option(label="Nhóm 1")
        form.locator("button[type=submit]").click()
        expect_saved(page)
    expect(page.get_by_test_id("member-table")).to_contain_text("Lê Văn Phúc")

    page.goto(f"{live_server.url}/campaigns/{plan.pk}/schedule/")
    for commune, day in (("Tân Hội", today), ("Thạnh Đông", today + dt.timedelta(days=1))):
        form = page.get_by_test_id("schedule-form")
        form.locator("#id_unit").select_option(str(AdministrativeUnit.objects.get(name=commune).pk))
        form.locator("#id_scheduled_on").fill(dmy(day))
        form.locator("#id_place").fill(f"Hội trường UBND xã {commune}")
        form.locator("button").click()
        expect_saved(page)
    expect(page.get_by_test_id("schedule-table")).to_contain_text("Thạnh Đông")
    return plan


# The commune ---------------------------------------------------------------------------


def commune_scores_and_the_lead_submits(page, live_server, tmp_path, visit: Visit):
    sign_in(page, live_server, "vankhoa")
    page.get_by_test_id("self-assessment-link").first.click()
    criteria = {c.code: c for c in visit.plan.criteria_set.criteria.all()}
    for code, score, shown in (("1.1", "4", "4"), ("1.2", "5,5", "5,50"), ("2.1", "8", "8")):
        card = page.get_by_test_id(f"criterion-{code}")
        card.locator(f"#id_c{criteria[code].pk}-self_score").fill(score)
        if code != "1.1":
            card.locator(f"#id_c{criteria[code].pk}-self_explanation").fill("Hồ sơ lưu tại Văn phòng UBND xã.")
        card.get_by_test_id("save-score").click()
        expect(card.get_by_test_id("saved")).to_be_visible()
        expect(card.get_by_test_id("self-score")).to_have_text(shown)
    card = page.get_by_test_id("criterion-1.1")
    card.get_by_test_id("attach-toggle").click()
    card.locator(f"#id_e{criteria['1.1'].pk}-file").set_input_files(str(scanned_pdf(tmp_path / "Ảnh niêm yết.pdf")))
    card.locator(f"#id_e{criteria['1.1'].pk}-document_number").fill("15/BB-UBND")
    card.get_by_test_id("upload").click()
    expect(card.get_by_test_id("evidence-link").filter(has_text="Ảnh niêm yết.pdf")).to_be_visible()
    expect(page.get_by_test_id("progress-scored")).to_have_text("3/3")

    # Before the commune submits, the inspector's workspace says why appraisal is closed.
    sign_in(page, live_server, "vanphuc")
    page.goto(f"{live_server.url}/campaigns/visits/{visit.pk}/workspace/")
    expect(page.get_by_test_id("appraisal-closed")).to_contain_text(dmy(visit.plan.self_assessment_deadline))
    expect(page.get_by_test_id("save-score")).to_have_count(0)

    sign_in(page, live_server, "vantam")
    page.get_by_test_id("self-assessment-link").first.click()
    page.get_by_test_id("submit-self-assessment").click()
    expect(page.get_by_test_id("withdraw-self-assessment")).to_be_visible()


# The inspector and the lead -------------------------------------------------------------


def inspector_appraises_and_records_findings(page, live_server, visit: Visit):
    sign_in(page, live_server, "vanphuc")
    page.goto(f"{live_server.url}/campaigns/visits/{visit.pk}/workspace/")
    for code, value in (("1.1", "4"), ("1.2", "4,5"), ("2.1", "7")):
        row = page.get_by_test_id(f"score-row-{code}")
        row.get_by_test_id("appraised-input").fill(value)
        row.get_by_test_id("save-score").click()
        expect(page.get_by_test_id(f"score-row-{code}").get_by_test_id("saved")).to_be_visible()
    for text in (SHORTCOMING_REMEDIED, SHORTCOMING_OPEN):
        form = page.get_by_test_id("finding-form")
        form.locator("select[name=finding-kind]").select_option("shortcoming")
        form.locator("select[name=finding-area]").select_option(index=1)
        form.locator("textarea[name=finding-text]").fill(text)
        form.get_by_role("button").click()
        expect(page.get_by_test_id("finding").filter(has_text=text)).to_be_visible()


def lead_signs_and_issues_the_notice(page, live_server, visit: Visit, today: dt.date):
    sign_in(page, live_server, "minhvu")
    page.goto(f"{live_server.url}/campaigns/visits/{visit.pk}/minutes/")
    form = page.get_by_test_id("minutes-form")
    form.locator("textarea[name=commune_attendees]").fill("Huỳnh Văn Tâm – Chủ tịch UBND xã")
    form.get_by_test_id("save-minutes").click()
    expect_saved(page)
    page.get_by_test_id("sign-minutes").click()
    expect(page.get_by_test_id("signed-notice")).to_contain_text("Trần Minh Vũ")

    page.goto(f"{live_server.url}/campaigns/visits/{visit.pk}/conclusion/")
    page.fill("input[name=number]", "40/TB-ĐKT")
    page.fill("input[name=issued_on]", dmy(today))
    page.fill("input[name=remedy_deadline]", dmy(today + dt.timedelta(days=30)))
    page.fill("textarea[name=summary]", "Xã cần khắc phục các tồn tại Đoàn kiểm tra đã chỉ ra.")
    page.fill("textarea[name=recipients]", "UBND xã Tân Hội")
    page.get_by_test_id("issue-notice").click()
    expect(page.get_by_test_id("notice-issued")).to_contain_text("40/TB-ĐKT")


def commune_reports_a_remedy_and_the_inspector_verifies_it(page, live_server, tmp_path, finding: Finding):
    sign_in(page, live_server, "vankhoa")
    page.goto(f"{live_server.url}/campaigns/remedies/")
    row = page.get_by_test_id("finding-row").filter(has_text=SHORTCOMING_REMEDIED)
    row.get_by_role("link").click()
    page.fill("#id_description", "Đã niêm yết lại đầy đủ các thủ tục tại Bộ phận Một cửa.")
    page.get_by_test_id("save-remedy").click()
    expect_saved(page)
    page.get_by_test_id("attach-proof-toggle").click()
    page.locator("#id_proof-file").set_input_files(str(scanned_pdf(tmp_path / "Biên bản niêm yết.pdf")))
    page.get_by_test_id("upload-proof").click()
    expect(page.get_by_test_id("evidence-link")).to_be_visible()
    page.get_by_test_id("report-remedy").click()
    expect(page.get_by_test_id("report-remedy")).to_have_count(0)

    sign_in(page, live_server, "vanphuc")
    page.goto(f"{live_server.url}/campaigns/findings/{finding.pk}/remedy/")
    page.get_by_test_id("verify-remedy").click()
    expect(page.get_by_test_id("remedy-status").first).to_have_text("Đã xác nhận")


def secretariat_renders_the_district_report(page, live_server, plan: InspectionPlan):
    sign_in(page, live_server, "thuha")
    page.goto(f"{live_server.url}/campaigns/{plan.pk}/")
    page.get_by_test_id("plan-reports-link").click()
    page.get_by_test_id("request-district").click()
    row = page.locator("[data-testid=district-reports] [data-testid=report-row][data-kind=district]")
    expect(row).to_have_attribute("data-status", "done", timeout=90_000)
    with page.expect_download() as download_info:
        row.get_by_test_id("report-download").click()
    text = pdf_text.text(Path(download_info.value.path()).read_bytes())
    assert "Tân Hội" in text and "ỦY BAN NHÂN DÂN TỈNH AN GIANG" in text.upper()


def secretariat_creates_next_years_campaign(page, live_server, plan: InspectionPlan) -> InspectionPlan:
    page.goto(f"{live_server.url}/campaigns/{plan.pk}/next/")
    form = page.get_by_test_id("setup-form")
    expect(form.locator("#id_year")).to_have_value(str(plan.year + 1))
    # As first shown the form copies this year's criteria set for the new year.
    expect(form.locator("#id_criteria_set")).to_have_value("")
    form.locator("#id_number").fill("8/KH-UBND")
    form.locator("button[type=submit]").click()
    expect_saved(page)
    next_plan = InspectionPlan.objects.get(previous=plan)

    # This year's dashboard still counts the finding it carried, and says where it went.
    page.goto(f"{live_server.url}/campaigns/{plan.pk}/dashboard/")
    expect(page.get_by_test_id("findings-open")).to_contain_text("1")
    expect(page.get_by_test_id("carried-on")).to_contain_text(str(next_plan.year))
    return next_plan


def commune_saves_its_first_score_next_year(page, live_server, visit: Visit):
    sign_in(page, live_server, "vankhoa")
    page.goto(f"{live_server.url}/campaigns/visits/{visit.pk}/self-assessment/")
    first = visit.plan.criteria_set.criteria.get(code="1.1")
    card = page.get_by_test_id("criterion-1.1")
    card.locator(f"#id_c{first.pk}-self_score").fill("1")
    card.get_by_test_id("save-score").click()
    expect(card.get_by_test_id("saved")).to_be_visible()
    expect(card.get_by_test_id("self-score")).to_have_text("1")


def test_the_yearly_cycle_from_an_empty_database(page, live_server, tmp_path, celery_worker_process):
    assert not DemoDataset.objects.exists() and not get_user_model().objects.exists()
    today = timezone.localdate()
    year = today.year
    accept_dialogs(page)

    admin_creates_units_and_people(page, live_server)
    plan = secretariat_sets_up_the_round(page, live_server, tmp_path, year, today)
    visit = plan.visits.get(unit__name="Tân Hội")
    assert visit.status == Visit.Status.SCHEDULED

    commune_scores_and_the_lead_submits(page, live_server, tmp_path, visit)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SUBMITTED

    inspector_appraises_and_records_findings(page, live_server, visit)
    lead_signs_and_issues_the_notice(page, live_server, visit, today)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CONCLUDED
    # Findings recorded without a due date took the notice's remedy deadline.
    assert set(visit.findings.values_list("due_date", flat=True)) == {today + dt.timedelta(days=30)}

    remedied = visit.findings.get(text=SHORTCOMING_REMEDIED)
    commune_reports_a_remedy_and_the_inspector_verifies_it(page, live_server, tmp_path, remedied)
    remedied.refresh_from_db()
    assert remedied.status == Finding.Status.REMEDIED
    assert remedied.remedies.get().status == Remedy.Status.VERIFIED

    secretariat_renders_the_district_report(page, live_server, plan)
    next_plan = secretariat_creates_next_years_campaign(page, live_server, plan)
    assert next_plan.year == year + 1 and next_plan.criteria_set.year == year + 1
    next_visit = next_plan.visits.get(unit__name="Tân Hội")
    carried = next_visit.findings.get()
    assert carried.text == SHORTCOMING_OPEN and carried.carried_from.visit == visit

    commune_saves_its_first_score_next_year(page, live_server, next_visit)
    assert next_visit.scores.get(criterion__code="1.1").self_score == 1
