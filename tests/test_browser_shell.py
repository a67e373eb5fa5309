"""The first journey in a real browser: the lead signs in, finds the 2020 campaign, switches language."""

import pytest

from conftest import browser_login
from inspections.demo.build import load_demo


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lead_sees_the_2020_campaign_and_switches_language(page, live_server):
    load_demo()
    browser_login(page, live_server, "lead")
    assert page.locator("html").get_attribute("lang") == "vi"
    campaign = page.get_by_test_id("campaign").filter(has_text="năm 2020")
    assert campaign.count() == 1
    assert "Các đợt kiểm tra" in page.locator("h1").inner_text()
    assert page.get_by_test_id("demo-notice").is_visible()

    page.get_by_test_id("language-en").click()
    page.wait_for_selector("html[lang=en]")
    assert "Inspection campaigns" in page.locator("h1").inner_text()
    assert page.get_by_test_id("campaign").filter(has_text="năm 2020").count() == 1

    page.get_by_test_id("language-vi").click()
    page.wait_for_selector("html[lang=vi]")
    assert "Các đợt kiểm tra" in page.locator("h1").inner_text()

    page.get_by_test_id("campaign").filter(has_text="năm 2020").get_by_role("link").first.click()
    assert page.get_by_test_id("visit-table").locator("tbody tr").count() == 11
    assert page.get_by_text("Thạnh Đông A").first.is_visible()
