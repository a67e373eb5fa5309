"""In a real browser: the commune's bell counts up, without reloading, when the team answers its question."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import browser_login, build_world
from inspections.services.portal.questions import question_ask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_commune_sees_the_bell_count_rise_when_the_team_answers_its_question(browser, page, live_server, settings):
    settings.NOTIFICATION_POLL_SECONDS = 1
    world = build_world()
    question_ask(visit=world.visit_a, user=world.users["commune_a"], text="Hồ sơ lưu ở đâu?", area=world.areas[0])

    browser_login(page, live_server, "commune_a")
    count = page.get_by_test_id("notification-count")
    assert count.inner_text() == "0"

    team = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    try:
        inspector = team.new_page()
        browser_login(inspector, live_server, "inspector")
        # The inspector's own bell already counts the commune's question.
        assert inspector.get_by_test_id("notification-count").inner_text() == "1"
        inspector.goto(live_server.url + reverse("inspections:visit_workspace", args=[world.visit_a.pk]))
        question = inspector.get_by_test_id("question").filter(has_text="Hồ sơ lưu ở đâu?")
        question.locator("textarea[name=answer]").fill("Lưu tại bộ phận một cửa.")
        question.get_by_role("button", name="Trả lời").click()
        inspector.wait_for_load_state()
    finally:
        team.close()

    # The commune's page polls its count: no reload.
    expect(page.get_by_test_id("notification-count")).to_have_text("1", timeout=15_000)
    # On a phone the bell stays beside the menu button, not hidden in the folded menu.
    bell = page.get_by_test_id("notification-bell")
    for width in (390, 768, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        box = bell.bounding_box()
        assert bell.is_visible() and box["x"] + box["width"] <= width, (width, box)
    bell.click()
    line = page.get_by_test_id("notification").first
    assert "Thạnh Đông A: đoàn kiểm tra đã trả lời câu hỏi của xã" in line.inner_text()
    line.get_by_role("button", name="Mở trang").click()
    page.wait_for_url(f"**/campaigns/visits/{world.visit_a.pk}/questions/")
    assert "Lưu tại bộ phận một cửa." in page.content()
    assert page.get_by_test_id("notification-count").inner_text() == "0"
