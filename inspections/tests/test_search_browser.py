"""Finding things in real Chromium: the header's search box, a filtered list shared by its address, the gaps page.

Each page is loaded once per role and checked at every width by resizing: the page never scrolls sideways.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import browser_login, build_world
from inspections.models import CriterionScore, Finding
from inspections.tests.factories import FindingFactory

WIDTHS = [360, 390, 768, 1280]
SECRET = "Chưa niêm yết thủ tục hành chính tại bộ phận một cửa"


def _fits(page) -> dict:
    """The page's own width at each screen width, where it is wider than the screen."""
    wide = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        measured = page.evaluate("document.documentElement.scrollWidth")
        if measured > width:
            wide[width] = measured
    return wide


def _world():
    world = build_world()
    for visit in (world.visit_a, world.visit_b):
        FindingFactory(visit=visit, kind=Finding.Kind.SHORTCOMING, area=world.areas[0], text=SECRET)
    for criterion, value in zip(world.leaves, ["0", "2", "19", "50"], strict=True):
        CriterionScore.objects.filter(visit=world.visit_a, criterion=criterion).update(appraised_score=Decimal(value))
    return world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_commune_searches_without_marks_from_the_header_and_finds_only_its_own(page, live_server):
    world = _world()
    browser_login(page, live_server, "commune_a")
    page.set_viewport_size({"width": 360, "height": 800})
    page.locator(".navbar-toggler").click()
    box = page.get_by_label("Tìm xã, cuộc kiểm tra, nội dung kết luận, tiêu chí và tài liệu kiểm chứng")
    box.fill("niem yet thu tuc")
    box.press("Enter")
    page.get_by_test_id("results-findings").wait_for()
    findings = page.get_by_test_id("results-findings").locator("li")
    assert findings.count() == 1
    assert "Thạnh Đông A" in findings.first.inner_text()
    assert page.get_by_test_id("results-findings").get_by_text(SECRET).count() == 1
    assert "Tân Hội" not in page.locator("main").inner_text()
    assert _fits(page) == {}
    findings.first.locator("a").click()
    page.wait_for_url(f"**{reverse('inspections:finding_remedy', args=[world.visit_a.findings.last().pk])}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lead_shares_a_filtered_list_and_reads_the_largest_gaps(page, live_server, browser):
    world = _world()
    browser_login(page, live_server, "lead")
    page.goto(f"{live_server.url}{reverse('inspections:remedy_list')}")
    form = page.get_by_test_id("list-filters")
    form.get_by_label("Xã").select_option(label=world.commune_b.name)
    form.get_by_label("Lĩnh vực").select_option("procedures")
    form.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**commune=*")
    shared = page.url
    rows = page.get_by_test_id("finding-row")
    assert rows.count() == 2 and "Tân Hội" in rows.first.inner_text()
    assert _fits(page) == {}
    # The same address opened by someone else shows the same filtered list.
    other = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    viewer = other.new_page()
    browser_login(viewer, live_server, "viewer")
    viewer.goto(shared)
    assert viewer.get_by_test_id("finding-row").count() == 2
    assert viewer.get_by_test_id("list-filters").get_by_label("Xã").input_value() == str(world.commune_b.pk)
    other.close()

    page.goto(f"{live_server.url}{reverse('inspections:plan_dashboard', args=[world.plan.pk])}")
    page.get_by_test_id("gaps-link").click()
    page.get_by_test_id("gap-table").wait_for()
    large = page.locator("[data-testid=gap-table] tr.table-warning")
    assert large.count() == 2
    assert "+25" in large.first.inner_text()
    assert _fits(page) == {}
