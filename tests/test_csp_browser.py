"""The main pages of each role raise no Content-Security-Policy violation in Chromium, and htmx and Bootstrap load.

One browser, one live server, each page loaded once per role, from a database built by factories.
"""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from conftest import browser_login
from inspections.tests.test_portal_browser import ready_world

# Recorded in the page before any of its scripts run; a blocked script or style fires this event.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def main_pages(world) -> dict[str, list[str]]:
    plan, visit = world.plan.pk, world.visit_a.pk
    return {
        "anonymous": [reverse("accounts:login")],
        "secretariat": [
            reverse("home"),
            reverse("inspections:plan_detail", args=[plan]),
            reverse("inspections:plan_dashboard", args=[plan]),
            reverse("inspections:survey_import", args=[plan]),
            reverse("inspections:criteria_set_list"),
            reverse("inspections:criteria_set_detail", args=[world.criteria_set.pk]),
            reverse("inspections:schedule", args=[plan]),
            reverse("inspections:visit_detail", args=[visit]),
            reverse("inspections:visit_history", args=[visit]),
            reverse("reports:plan_reports", args=[plan]),
            reverse("accounts:signin_history"),
            reverse("accounts:lockout_list"),
            reverse("accounts:two_factor"),
            reverse("accounts:otp_setup"),
        ],
        "lead": [reverse("inspections:visit_workspace", args=[visit]), reverse("reports:visit_reports", args=[visit])],
        "inspector": [reverse("inspections:visit_workspace", args=[visit])],
        "viewer": [reverse("inspections:plan_dashboard", args=[plan])],
        # The administrator works in Django's administration.
        "admin": [reverse("admin:index"), reverse("admin:accounts_user_change", args=[world.users["lead"].pk])],
        "commune_a": [
            reverse("inspections:portal_home"),
            reverse("inspections:self_assessment", args=[visit]),
            reverse("inspections:remedy_list"),
            reverse("inspections:question_list", args=[visit]),
        ],
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_raise_no_csp_violation_and_load_htmx_and_bootstrap(browser, live_server):
    world = ready_world()
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    seen = {}
    for role, urls in main_pages(world).items():
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        context.add_init_script(LISTEN)
        page = context.new_page()
        console = []
        page.on("console", lambda message, sink=console: sink.append(message.text))
        if role != "anonymous":
            browser_login(page, live_server, role)
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, (role, url, response.status)
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.wait_for_load_state("load")
            seen[(role, url)] = page.evaluate("window.__cspViolations")
            if not url.startswith("/admin/"):  # Django's administration has its own scripts
                assert page.evaluate("typeof window.htmx") == "object", (role, url)
                assert page.evaluate("typeof window.bootstrap") == "object", (role, url)
        context.close()
        seen[(role, "console")] = [line for line in console if "Content Security Policy" in line]
    violations = {key: value for key, value in seen.items() if value}
    assert violations == {}
    assert len(seen) == sum(len(urls) + 1 for urls in main_pages(world).values())
