"""Browser journey: ask for the district report, watch it progress without a reload, download it."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import browser_login

from . import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_secretariat_asks_for_the_district_report_and_downloads_it_without_a_reload(
    world, celery_worker_process, page, live_server
):
    browser_login(page, live_server, "secretariat")
    page.goto(f"{live_server.url}/campaigns/{world.plan.pk}/")
    page.click("[data-testid=plan-reports-link]")
    page.click("[data-testid=request-district]")
    expect(page.locator(".alert-success")).to_contain_text("Đã đưa vào hàng đợi")
    # Anything left on the window survives only if the page is never reloaded.
    page.evaluate("window.stillTheSamePage = true")
    row = page.locator("[data-testid=district-reports] [data-testid=report-row][data-kind=district]")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", "done", timeout=90_000)
    xlsx = page.locator("[data-testid=district-reports] [data-testid=report-row][data-kind=district_xlsx]")
    expect(xlsx).to_have_attribute("data-status", "done", timeout=30_000)
    assert page.evaluate("window.stillTheSamePage") is True
    expect(row).to_contain_text("trang")

    with page.expect_download() as download_info:
        row.locator("[data-testid=report-download]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    content = Path(download.path()).read_bytes()
    assert "Thạnh Đông A" in pdf_text.text(content)

    # Asking again adds version 2 and keeps version 1 downloadable.
    page.click("[data-testid=request-district]")
    rows = page.locator("[data-testid=district-reports] [data-testid=report-row][data-kind=district]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-status", "done", timeout=90_000)
    expect(rows.nth(1).locator("[data-testid=report-download]")).to_be_visible()


def test_commune_people_see_only_their_own_documents(world, page, live_server):
    browser_login(page, live_server, "commune_b")
    page.goto(f"{live_server.url}/reports/campaigns/{world.plan.pk}/")
    expect(page.locator("[data-testid=visit-documents]")).to_contain_text("Tân Hội")
    expect(page.locator("[data-testid=visit-documents]")).not_to_contain_text("Thạnh Đông A")
    expect(page.locator("[data-testid=request-district]")).to_have_count(0)
    expect(page.locator("[data-testid=district-reports]")).to_have_count(0)
