"""The inspector's workspace on a 768 px tablet held upright: touch-sized controls, no sideways scrolling,
a score saved and a finding recorded with the fingers."""

import pytest
from playwright.sync_api import expect

from conftest import browser_login, build_world
from inspections.models import CriterionScore, Finding, Visit

TABLET = {"width": 768, "height": 1024}
SMALL_CONTROLS = """() => [...document.querySelectorAll(
    'main :is(button, .btn, input:not([type=hidden]), select, textarea, summary)')]
  .filter(el => !el.disabled && el.getClientRects().length)
  .map(el => [el, el.type === 'checkbox' ? (el.closest('.form-check') || el) : el])
  .filter(([el, box]) => box.getBoundingClientRect().height < 44)
  .map(([el, box]) => `${el.tagName} ${el.name || el.innerText} ${Math.round(box.getBoundingClientRect().height)}`)"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_inspector_appraises_on_a_tablet_in_portrait(browser, live_server):
    world = build_world()
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.APPRAISING)
    context = browser.new_context(locale="vi-VN", viewport=TABLET, has_touch=True, is_mobile=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    browser_login(page, live_server, "inspector")
    page.goto(f"{live_server.url}/campaigns/visits/{world.visit_a.pk}/workspace/")

    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    assert page.evaluate(SMALL_CONTROLS) == []
    assert page.locator(".app-navbar .navbar-toggler").is_visible()

    row = page.get_by_test_id("score-row-1.1.1")
    score = row.get_by_test_id("appraised-input")
    assert score.get_attribute("inputmode") == "decimal"
    score.tap()
    score.fill("4,5")
    row.get_by_test_id("save-score").tap()
    expect(page.get_by_test_id("score-row-1.1.1").get_by_test_id("saved")).to_be_visible()
    saved = CriterionScore.objects.get(visit=world.visit_a, criterion=world.leaves[0])
    assert str(saved.appraised_score) == "4.50"

    form = page.get_by_test_id("finding-form")
    form.locator("select[name=finding-kind]").select_option("strength")
    form.locator("select[name=finding-area]").select_option(str(world.areas[0].pk))
    form.locator("textarea[name=finding-text]").fill("Bộ phận một cửa bố trí khoa học.")
    form.locator("button[type=submit]").tap()
    expect(page.get_by_test_id("finding").filter(has_text="Bộ phận một cửa bố trí khoa học.")).to_be_visible()
    assert Finding.objects.filter(visit=world.visit_a, kind=Finding.Kind.STRENGTH).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    context.close()
