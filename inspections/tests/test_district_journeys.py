"""Journeys in a real browser: an inspector appraises and records a finding, the lead signs, the dashboard follows."""

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from inspections.demo.build import load_demo
from inspections.models import CriterionScore, Visit
from inspections.results import campaign_results
from inspections.scoring import leaf_criteria


def _visit(name: str) -> Visit:
    """A visit of the demo's 2021 round, the one under way."""
    return Visit.objects.select_related("plan").get(plan__year=2021, unit__name=name)


def _appraise(page, code: str, value: str, comment: str = ""):
    row = page.get_by_test_id(f"score-row-{code}")
    row.get_by_test_id("appraised-input").fill(value)
    if comment:
        row.locator("textarea[name=appraised_comment]").fill(comment)
    row.get_by_test_id("save-score").click()
    expect(page.get_by_test_id(f"score-row-{code}").get_by_test_id("saved")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_inspector_appraises_two_criteria_and_records_a_finding(page, live_server):
    load_demo()
    # Thạnh Đông has submitted its 2021 self-assessment; nobody has appraised it yet.
    visit = _visit("Thạnh Đông")
    browser_login(page, live_server, "inspector")
    page.goto(f"{live_server.url}/campaigns/visits/{visit.pk}/workspace/")
    # Only the inspector's group (procedures and modernisation) is on the page.
    expect(page.get_by_test_id("score-row-4.1.1")).to_be_visible()
    expect(page.get_by_test_id("score-row-1.1.1")).to_have_count(0)
    total = page.get_by_test_id("area-total-procedures").get_by_test_id("area-appraised")
    before = total.inner_text()
    page.evaluate("window.__marker = 'no reload'")

    _appraise(page, "4.1.1", "3", "Niêm yết đầy đủ")
    _appraise(page, "4.1.2", "1,5")
    assert total.inner_text() != before
    assert page.evaluate("window.__marker") == "no reload", "the totals updated without a full reload"

    # A score above the maximum is refused with a message, and the typed value stays.
    row = page.get_by_test_id("score-row-4.1.2")
    row.get_by_test_id("appraised-input").fill("9")
    row.get_by_test_id("save-score").click()
    expect(page.get_by_test_id("score-row-4.1.2").get_by_test_id("score-error")).to_be_visible()
    expect(page.get_by_test_id("score-row-4.1.2").get_by_test_id("appraised-input")).to_have_value("9")

    form = page.get_by_test_id("finding-form")
    form.locator("select[name=finding-kind]").select_option("shortcoming")
    form.locator("select[name=finding-area]").select_option(
        label=page.locator("select[name=finding-area] option").nth(1).inner_text()
    )
    form.locator("textarea[name=finding-text]").fill("Sổ theo dõi hồ sơ chưa ghi đầy đủ ngày trả kết quả.")
    form.locator("textarea[name=finding-recommendation]").fill("Cập nhật sổ theo dõi hằng ngày.")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("finding").filter(has_text="Sổ theo dõi hồ sơ")).to_be_visible()

    scores = {s.criterion.code: s.appraised_score for s in visit.scores.select_related("criterion")}
    assert str(scores["4.1.1"]) in {"3", "3.00"} and str(scores["4.1.2"]) in {"1.5", "1.50"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lead_signs_the_minutes_and_the_scores_lock(page, live_server):
    load_demo()
    visit = _visit("Tân Hòa")
    browser_login(page, live_server, "lead")
    page.goto(f"{live_server.url}/campaigns/visits/{visit.pk}/minutes/")
    form = page.get_by_test_id("minutes-form")
    expect(form.locator("textarea[name=team_attendees]")).to_contain_text("Trần Minh Vũ")
    form.locator("textarea[name=commune_attendees]").fill("Tô Hoàng Duy – Công chức Văn phòng - Thống kê")
    form.get_by_test_id("save-minutes").click()
    # Tân Hòa's appraisal is unfinished: the page says so and the lead cannot sign yet.
    expect(page.get_by_test_id("unappraised-notice")).to_be_visible()
    expect(page.get_by_test_id("sign-minutes")).to_be_disabled()
    for criterion in leaf_criteria(visit.plan.criteria_set):
        score, _created = CriterionScore.objects.get_or_create(
            visit=visit, criterion=criterion, defaults={"max_score": criterion.max_score}
        )
        if score.appraised_score is None:
            score.appraised_score = criterion.max_score
            score.save()
    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("sign-minutes").click()
    expect(page.get_by_test_id("signed-notice")).to_contain_text("Trần Minh Vũ")

    page.goto(f"{live_server.url}/campaigns/visits/{visit.pk}/workspace/")
    expect(page.get_by_test_id("locked-notice")).to_be_visible()
    expect(page.get_by_test_id("save-score")).to_have_count(0)
    visit.refresh_from_db()
    assert visit.is_locked

    page.goto(f"{live_server.url}/campaigns/visits/{visit.pk}/history/")
    expect(page.get_by_test_id("history-table")).to_contain_text("Trần Minh Vũ")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_shows_the_new_percentage(page, live_server):
    load_demo()
    visit = _visit("Tân Hòa")
    browser_login(page, live_server, "inspector")
    page.goto(f"{live_server.url}/campaigns/visits/{visit.pk}/workspace/")
    _appraise(page, "4.1.1", "0")

    results = campaign_results(plan=visit.plan, visits=list(visit.plan.visits.select_related("unit")))
    row = next(r for r in results.rows if r.visit.pk == visit.pk)
    value = row.area_percents["procedures"]
    # floatformat:"-2" in Vietnamese: two decimals with a comma, none for a whole number.
    expected = str(int(value)) if value == value.to_integral() else f"{value:.2f}".replace(".", ",")

    page.goto(f"{live_server.url}/campaigns/{visit.plan.pk}/dashboard/")
    cell = page.locator("[data-testid=dashboard-row][data-commune='Tân Hòa']").get_by_test_id("area-cell-procedures")
    expect(cell.get_by_role("link")).to_have_text(expected)
    cell.get_by_role("link").click()
    page.wait_for_url(f"**/campaigns/visits/{visit.pk}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_fits_a_1280_pixel_screen_and_keeps_the_commune_in_view(page, live_server):
    load_demo()
    plan = _visit("Tân Hòa").plan
    browser_login(page, live_server, "lead")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/campaigns/{plan.pk}/dashboard/")
    table = page.get_by_test_id("dashboard-table")
    width = table.evaluate("t => t.getBoundingClientRect().width")
    overdue = table.locator("thead th").last.evaluate("th => th.getBoundingClientRect().right")
    assert width <= 1280 and overdue <= 1280, (width, overdue)
    expect(page.get_by_test_id("area-legend")).to_contain_text("Cải cách thể chế")

    page.set_viewport_size({"width": 768, "height": 1024})
    commune = page.locator("[data-testid=dashboard-row]").first.locator(".commune-col")
    box = page.locator(".table-responsive").first
    box.evaluate("box => { box.scrollLeft = 400; }")
    # Without the sticky column the commune would now lie 400 px to the left, off the screen.
    assert commune.evaluate("c => c.getBoundingClientRect().left") >= box.evaluate(
        "box => box.getBoundingClientRect().left"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_removing_a_visit_from_the_schedule_asks_first(page, live_server):
    load_demo()
    plan = _visit("Tân Hòa").plan
    browser_login(page, live_server, "secretariat")
    page.goto(f"{live_server.url}/campaigns/{plan.pk}/schedule/")
    count = Visit.objects.filter(plan=plan).count()
    messages = []

    def dismiss(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("form[data-confirm] button").first.click()
    page.wait_for_timeout(300)
    assert messages and messages[0].startswith("Bỏ ")
    assert Visit.objects.filter(plan=plan).count() == count


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_charts_fit_a_390_pixel_phone_with_legible_labels(page, live_server):
    from conftest import build_world

    world = build_world()
    for score in CriterionScore.objects.filter(visit=world.visit_a):
        score.appraised_score = score.max_score
        score.save(update_fields=["appraised_score"])
    browser_login(page, live_server, "lead")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/campaigns/{world.plan.pk}/dashboard/")
    # The chart redrawn for the width it gets: one drawing shown at a time, its smallest text at 12 px or more.
    for width in (360, 390, 768, 1024, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        for testid in ("area-chart", "ranking-chart"):
            svg = page.get_by_test_id(testid).locator(".chart-drawing:visible svg")
            # A phone's drawing arrives after the page, once its column is shown and scrolled to.
            page.get_by_test_id(testid).scroll_into_view_if_needed()
            svg.wait_for()
            assert svg.count() == 1, (testid, width)
            box = svg.evaluate("s => s.getBoundingClientRect().toJSON()")
            assert box["right"] <= width and box["width"] > 300, (testid, width, box)
            # The drawing keeps its proportions: scaled from its viewBox, not cropped or stretched.
            ratio = svg.evaluate("s => s.viewBox.baseVal.height / s.viewBox.baseVal.width")
            assert abs(box["height"] / box["width"] - ratio) < 0.02, (testid, width, box, ratio)
            smallest = svg.evaluate(
                "s => Math.min(...[...s.querySelectorAll('text')].filter(t => t.textContent.trim())"
                ".map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"
            )
            assert smallest >= 12, (testid, width, smallest)
            # Every label inside the drawing, as the browser's own font draws it: none cut at an edge.
            overflow = svg.evaluate(
                "s => [...s.querySelectorAll('text')].filter(t => { const b = t.getBBox();"
                " return b.x < 0 || b.x + b.width > s.viewBox.baseVal.width; }).map(t => t.textContent)"
            )
            assert overflow == [], (testid, width, overflow)
    expect(page.get_by_test_id("area-chart")).to_contain_text("1. Thủ tục hành chính")
    expect(page.get_by_test_id("ranking-chart")).to_contain_text("1. Xã Thạnh Đông A")
