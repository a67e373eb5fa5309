"""Keyboard only: the header's menus open and lead somewhere, and the focus is always visible."""

import pytest

from conftest import browser_login, build_world

FOCUS_RING = """() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 || style.boxShadow !== 'none';
}"""


def _tab_to(page, testid, presses=20):
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid") == testid:
            return
    raise AssertionError(f"{testid} is not reached with Tab")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_secretariat_reaches_people_and_signs_out_with_the_keyboard(page, live_server):
    build_world()
    browser_login(page, live_server, "secretariat")

    _tab_to(page, "nav-manage")
    assert page.evaluate(FOCUS_RING), "the focused menu button shows its focus"
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.testid") == "nav-people"
    assert page.evaluate(FOCUS_RING)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accounts/people/")

    _tab_to(page, "current-user")
    page.keyboard.press("Enter")
    for _ in range(6):
        page.keyboard.press("ArrowDown")
        if page.evaluate("document.activeElement.dataset.testid") == "sign-out":
            break
    assert page.evaluate("document.activeElement.dataset.testid") == "sign-out"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
