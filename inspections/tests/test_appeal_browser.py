"""The appeal in real Chromium: the lead publishes, the commune lead contests with a document, the team decides."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import browser_login, build_world
from inspections.demo.portal import sample_pdf
from inspections.models import CriterionScore, Evidence, ScoreContest
from inspections.services import appraisal

ROUND_1 = ["3", "2", "30", "40"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_commune_contests_a_score_and_the_teams_second_appraisal_decides_it(page, live_server, tmp_path):
    world = build_world()
    visit = world.visit_a
    for criterion, value in zip(world.leaves, ROUND_1, strict=True):
        appraisal.score_appraise(
            visit=visit,
            criterion=criterion,
            user=world.users["inspector" if criterion.area_id == world.areas[0].pk else "lead"],
            appraised_score=Decimal(value),
            comment="Chưa có quyết định ban hành kế hoạch",
            expected_version=1,
        )
    criterion = world.leaves[0]
    pdf = tmp_path / "Quyết định ban hành kế hoạch.pdf"
    pdf.write_bytes(sample_pdf(title="Quyết định ban hành kế hoạch", lines=["Số 12/QĐ-UBND"]))
    page.on("dialog", lambda dialog: dialog.accept())
    workspace = f"{live_server.url}{reverse('inspections:visit_workspace', args=[visit.pk])}"
    result_page = f"{live_server.url}{reverse('inspections:appraisal_result', args=[visit.pk])}"

    # Before publishing, the commune sees its own scores only.
    browser_login(page, live_server, "commune_a_lead")
    page.goto(result_page)
    page.get_by_test_id("not-published").wait_for()
    assert page.get_by_test_id("team-score").count() == 0

    page.context.clear_cookies()
    browser_login(page, live_server, "lead")
    page.goto(workspace)
    page.get_by_test_id("publish-appraisal").click()
    page.get_by_test_id("appraisal-published").wait_for()

    # A civil servant of the commune prepares the contest with the document; the commune lead files it.
    page.context.clear_cookies()
    browser_login(page, live_server, "commune_a")
    page.goto(f"{live_server.url}{reverse('inspections:visit_detail', args=[visit.pk])}")
    page.get_by_test_id("appraisal-result-link").click()
    card = page.get_by_test_id(f"result-{criterion.code}")
    assert card.get_by_test_id("team-score").inner_text() == "3"
    assert "Chưa có quyết định" in card.get_by_test_id("team-comment").inner_text()
    card.get_by_test_id("contest-toggle").click()
    card.locator(f"#id_k{criterion.pk}-explanation").fill("Kế hoạch ban hành ngày 10/01, kèm Quyết định số 12")
    card.locator(f"#id_k{criterion.pk}-file").set_input_files(str(pdf))
    card.locator(f"#id_k{criterion.pk}-document_number").fill("12/QĐ-UBND")
    card.get_by_test_id("save-contest-draft").click()
    page.get_by_test_id(f"result-{criterion.code}").get_by_test_id("draft").wait_for()
    assert ScoreContest.objects.get(visit=visit, criterion=criterion).is_draft

    page.context.clear_cookies()
    browser_login(page, live_server, "commune_a_lead")
    page.goto(result_page)
    card = page.get_by_test_id(f"result-{criterion.code}")
    assert card.locator(f"#id_k{criterion.pk}-explanation").input_value().startswith("Kế hoạch ban hành ngày 10/01")
    card.get_by_test_id("file-contest").click()
    card = page.get_by_test_id(f"result-{criterion.code}")
    assert "Chờ Đoàn kiểm tra quyết định" in card.get_by_test_id("contest-outcome").inner_text()
    assert card.get_by_test_id("contest-evidence").inner_text() == "Quyết định ban hành kế hoạch.pdf"
    contest = ScoreContest.objects.get(visit=visit, criterion=criterion)
    assert Evidence.objects.get(contest=contest).document_number == "12/QĐ-UBND"

    # The inspector of the criterion's group decides it in the workspace.
    page.context.clear_cookies()
    browser_login(page, live_server, "inspector")
    page.goto(workspace)
    page.get_by_test_id("contests-pending").wait_for()
    box = page.get_by_test_id(f"contest-{criterion.code}")
    box.get_by_test_id("decided-score").fill("4,5")
    box.get_by_test_id("decision-reason").fill("Quyết định số 12/QĐ-UBND chứng minh kế hoạch ban hành đúng hạn")
    box.get_by_test_id("decide-contest").click()
    box = page.get_by_test_id(f"contest-{criterion.code}")
    assert box.get_by_test_id("contest-decision").inner_text().startswith("4,50")
    assert box.get_by_test_id("decide-contest").count() == 0
    assert page.get_by_test_id("contests-pending").count() == 0
    score = CriterionScore.objects.get(visit=visit, criterion=criterion)
    assert score.appraised_score == Decimal("4.5") and score.appraised_by == world.users["inspector"]
    # The latest changes are read when their section comes into view, and tell the decision.
    latest = page.get_by_test_id("latest-changes")
    latest.scroll_into_view_if_needed()
    latest.get_by_test_id("history-table").wait_for()
    assert "4,5" in latest.inner_text()

    # The commune reads the final decision; it cannot contest the criterion again.
    page.context.clear_cookies()
    browser_login(page, live_server, "commune_a_lead")
    page.goto(result_page)
    card = page.get_by_test_id(f"result-{criterion.code}")
    assert card.get_by_test_id("team-score").inner_text() == "4,50"
    assert "Đã điều chỉnh điểm" in card.get_by_test_id("contest-outcome").inner_text()
    assert card.get_by_test_id("contest-toggle").count() == 0
