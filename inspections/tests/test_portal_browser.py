"""Commune journeys in real Chromium: score, upload and submit; another commune cannot open the evidence;
a refused proof keeps the page's address."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import browser_login, build_world
from inspections.demo.portal import sample_pdf
from inspections.models import CriterionScore, Evidence, Finding, Visit


def ready_world():
    """The world with commune A's self-assessment open for a week, every criterion but 1.1.2 ready."""
    world = build_world()
    Visit.objects.filter(pk=world.visit_a.pk).update(
        status=Visit.Status.SELF_ASSESSMENT, self_assessment_deadline=timezone.localdate() + dt.timedelta(days=7)
    )
    scores = CriterionScore.objects.filter(visit=world.visit_a)
    scores.update(self_explanation="Hồ sơ lưu tại Văn phòng UBND xã")
    scores.filter(criterion=world.leaves[1]).update(self_score=None, self_explanation="")
    return world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_commune_scores_a_criterion_uploads_a_pdf_and_the_lead_submits(page, live_server, tmp_path):
    world = ready_world()
    # Not yet begun: the first save opens the self-assessment, and the page says so without a reload.
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SCHEDULED)
    criterion = world.leaves[1]
    pdf = tmp_path / "Quyết định phân cấp quản lý.pdf"
    pdf.write_bytes(sample_pdf(title="Quyết định phân cấp", lines=["Số 7/QĐ-UBND"]))

    browser_login(page, live_server, "commune_a")
    page.get_by_test_id("self-assessment-link").first.click()
    card = page.get_by_test_id(f"criterion-{criterion.code}")
    assert page.get_by_test_id("visit-status").inner_text() == "Đã lên lịch"
    card.locator(f"#id_c{criterion.pk}-self_score").fill("3,5")
    card.get_by_test_id("save-score").click()
    card.get_by_test_id("saved").wait_for()
    assert page.get_by_test_id("visit-status").inner_text() == "Đang tự đánh giá"
    assert card.get_by_test_id("self-score").inner_text() == "3,50"
    assert page.get_by_test_id("progress-scored").inner_text() == "4/4"

    card.get_by_test_id("attach-toggle").click()
    card.locator(f"#id_e{criterion.pk}-file").set_input_files(str(pdf))
    card.locator(f"#id_e{criterion.pk}-document_number").fill("7/QĐ-UBND")
    card.get_by_test_id("upload").click()
    card.get_by_test_id("evidence-link").filter(has_text="Quyết định phân cấp quản lý.pdf").wait_for()
    assert page.get_by_test_id("progress-evidenced").inner_text() == "2/4"
    evidence = Evidence.objects.get(visit=world.visit_a, criterion=criterion)
    assert evidence.document_number == "7/QĐ-UBND" and evidence.uploaded_by == world.users["commune_a"]

    with page.expect_download() as download:
        card.get_by_test_id("evidence-link").first.click()
    assert download.value.suggested_filename == "Quyết định phân cấp quản lý.pdf"

    page.context.clear_cookies()
    browser_login(page, live_server, "commune_a_lead")
    page.goto(f"{live_server.url}/campaigns/visits/{world.visit_a.pk}/self-assessment/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit-self-assessment").click()
    page.get_by_test_id("withdraw-self-assessment").wait_for()
    assert page.get_by_test_id("visit-status").inner_text() == "Đã nộp tự đánh giá"
    visit = Visit.objects.get(pk=world.visit_a.pk)
    assert visit.status == Visit.Status.SUBMITTED and visit.self_submitted_by == world.users["commune_a_lead"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_commune_b_cannot_open_commune_as_evidence_url(page, live_server):
    world = ready_world()
    evidence = Evidence.objects.get(visit=world.visit_a)
    browser_login(page, live_server, "commune_b")
    response = page.goto(f"{live_server.url}/campaigns/evidence/{evidence.pk}/download/")
    assert response.status == 404
    assert "Không tìm thấy trang" in page.locator("h1").inner_text()
    response = page.goto(f"{live_server.url}/campaigns/visits/{world.visit_a.pk}/self-assessment/")
    assert response.status == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_refused_proof_keeps_the_pages_address_and_reporting_waits_for_a_proof(page, live_server, tmp_path):
    world = build_world()
    finding = world.visit_a.findings.get(kind=Finding.Kind.SHORTCOMING)
    page_url = f"{live_server.url}{reverse('inspections:finding_remedy', args=[finding.pk])}"
    html = tmp_path / "bien-ban.html"
    html.write_text("<html><body>Biên bản</body></html>")

    browser_login(page, live_server, "commune_a")
    page.goto(page_url)
    page.get_by_test_id("attach-proof-toggle").click()
    page.locator("#id_proof-file").set_input_files(str(html))
    page.get_by_test_id("upload-proof").click()
    page.locator("#proof-form .invalid-feedback").wait_for()
    assert page.url == f"{page_url}#proof"
    # No proof yet: the report button says so instead of asking for a confirmation.
    assert page.get_by_test_id("report-remedy").is_disabled()
    assert page.get_by_test_id("report-needs-proof").is_visible()

    response = page.reload()
    assert response.status == 200 and page.get_by_test_id("finding").is_visible()
    with page.expect_navigation():
        page.get_by_test_id("language-en").click()
    assert page.url.startswith(page_url) and page.locator("html").get_attribute("lang") == "en"
    assert "405" not in page.content() and page.get_by_test_id("finding").is_visible()

    pdf = tmp_path / "Biên bản niêm yết.pdf"
    pdf.write_bytes(sample_pdf(title="Biên bản niêm yết", lines=["Số 9/BB"]))
    page.get_by_test_id("attach-proof-toggle").click()
    page.locator("#id_proof-file").set_input_files(str(pdf))
    page.get_by_test_id("upload-proof").click()
    page.get_by_test_id("evidence-link").wait_for()
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_test_id("report-remedy").click()
    page.get_by_test_id("report-remedy").wait_for(state="detached")
    assert len(questions) == 1
    assert Finding.objects.get(pk=finding.pk).status == Finding.Status.REPORTED
