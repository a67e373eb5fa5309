"""Every page of every role fits a phone without sideways scrolling and has no serious accessibility fault.

One live server, one browser. Each persona signs in once; each page of the table below is loaded
once, resized to 360, 390, 768 and 1280 px (without reloading) and checked for a page wider than the
window; then axe-core (tests/vendor/axe.min.js, see tests/vendor/README.md) runs once on it. Every
failure is collected and the test ends with one readable list. A new page is one line of PAGES.
"""

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import DemoDataset
from communes.tests.factories import CommuneFactory
from conftest import browser_login, build_world
from inspections.models import CriterionScore, Finding, Visit
from inspections.services import closing
from inspections.tests.factories import EvidenceFactory, FindingFactory, ScoreFactory, VisitFactory
from reports.models import Report

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # axe-core 4.14.1, see vendor/README.md
WIDTHS = (360, 390, 768, 1280)
# axe's impact levels that fail the page; "empty-table-header" fails it whatever its impact.
FAILING_IMPACTS = {"serious", "critical"}
ALWAYS_FAILING_RULES = {"empty-table-header"}

# The header: collapsed behind its toggler below 1200 px, on one line (at most 64 px high) from there.
NAV_EXPANDS, NAV_ONE_LINE = 1200, 64
HEADER = """() => [Math.round(document.querySelector('.app-navbar').getBoundingClientRect().height),
  getComputedStyle(document.querySelector('.app-navbar .navbar-toggler')).display !== 'none']"""

# Pages a commune works from a phone: at 390 px every control in them is at least 44 px high.
THUMB_PAGES = {
    "inspections:portal_home",
    "inspections:self_assessment",
    "inspections:question_list",
    "inspections:remedy_list",
    "inspections:finding_remedy",
}
THUMB_WIDTH, THUMB_PX = 390, 44
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main :is(button, .btn, input:not([type=hidden]), select, textarea, summary)')]
  .filter(el => !el.disabled && el.getClientRects().length)
  .map(el => [el, (el.type === 'checkbox' || el.type === 'radio') ? (el.closest('.form-check') || el) : el])
  .filter(([el, box]) => box.getBoundingClientRect().height < 44)
  .map(([el, box]) => `${el.tagName.toLowerCase()} "${(el.innerText || el.name || '').trim().slice(0, 30)}" `
       + `${Math.round(box.getBoundingClientRect().height)} px`)"""

# (persona, URL name, the world's objects that fill the URL's arguments)
PAGES = [
    ("anonymous", "accounts:login"),
    ("anonymous", "accounts:password_reset"),
    ("anonymous", "accounts:password_reset_done"),
    ("secretariat", "home"),
    ("secretariat", "inspections:plan_detail", "plan"),
    ("secretariat", "inspections:plan_dashboard", "plan"),
    ("secretariat", "inspections:visit_detail", "signed"),
    ("secretariat", "inspections:visit_workspace", "appraising"),
    ("secretariat", "inspections:visit_history", "signed"),
    ("secretariat", "inspections:minutes_edit", "signed"),
    ("secretariat", "inspections:conclusion_edit", "signed"),
    ("secretariat", "inspections:criteria_set_list"),
    ("secretariat", "inspections:criteria_set_detail", "criteria_set"),
    ("secretariat", "inspections:criteria_set_import"),
    ("secretariat", "inspections:plan_create"),
    ("secretariat", "inspections:plan_edit", "plan"),
    ("secretariat", "inspections:team_edit", "plan"),
    ("secretariat", "inspections:schedule", "plan"),
    ("secretariat", "inspections:visit_schedule_edit", "open"),
    ("secretariat", "inspections:bands_edit", "criteria_set"),
    ("secretariat", "inspections:criteria_set_edit", "criteria_set"),
    ("secretariat", "inspections:remedy_list"),
    ("secretariat", "inspections:question_list", "signed"),
    ("secretariat", "accounts:people"),
    ("secretariat", "accounts:person_create"),
    ("secretariat", "accounts:person_edit", "commune_a_user"),
    ("secretariat", "accounts:people_import"),
    ("secretariat", "accounts:authority_choose"),
    ("secretariat", "accounts:signin_history"),
    ("secretariat", "accounts:password_change"),
    ("secretariat", "accounts:two_factor"),
    ("secretariat", "accounts:lockout_list"),
    ("secretariat", "communes:unit_register"),
    ("secretariat", "communes:unit_detail", "commune_a"),
    ("secretariat", "reports:index"),
    ("secretariat", "reports:plan_reports", "plan"),
    ("secretariat", "reports:texts", "plan"),
    ("secretariat", "reports:visit_reports", "signed"),
    ("lead", "home"),
    ("lead", "inspections:plan_dashboard", "plan"),
    ("lead", "inspections:visit_detail", "signed"),
    ("lead", "inspections:minutes_edit", "appraising"),
    ("lead", "inspections:conclusion_edit", "signed"),
    ("lead", "reports:plan_reports", "plan"),
    ("lead", "inspections:criteria_set_list"),
    ("inspector", "home"),
    ("inspector", "inspections:plan_detail", "plan"),
    ("inspector", "inspections:visit_workspace", "appraising"),
    ("inspector", "inspections:visit_detail", "appraising"),
    ("inspector", "inspections:visit_history", "appraising"),
    ("inspector", "inspections:finding_edit", "open_finding"),
    ("inspector", "inspections:question_list", "signed"),
    ("inspector", "inspections:remedy_list"),
    ("inspector", "inspections:finding_remedy", "shortcoming"),
    ("viewer", "home"),
    ("viewer", "inspections:plan_dashboard", "plan"),
    ("viewer", "inspections:visit_detail", "signed"),
    ("viewer", "reports:index"),
    ("viewer", "reports:plan_reports", "plan"),
    ("commune_a", "home"),
    ("commune_a", "inspections:portal_home"),
    ("commune_a", "inspections:self_assessment", "signed"),
    ("commune_a", "inspections:visit_detail", "signed"),
    ("commune_a", "inspections:question_list", "signed"),
    ("commune_a", "inspections:remedy_list"),
    ("commune_a", "inspections:finding_remedy", "shortcoming"),
    ("commune_a", "reports:visit_reports", "signed"),
    ("commune_a_lead", "inspections:portal_home"),
    ("commune_a_lead", "inspections:self_assessment", "signed"),
    ("commune_a_lead", "inspections:remedy_list"),
    ("commune_b", "inspections:portal_home"),
    ("commune_b", "inspections:self_assessment", "open"),
    ("commune_b", "inspections:visit_detail", "open"),
    ("commune_b", "inspections:remedy_list"),
    ("secretariat", "inspections:search", "?q=tan+hiep"),
    ("secretariat", "inspections:visit_evidence", "appraising"),
    ("lead", "inspections:plan_gaps", "plan"),
    ("lead", "inspections:appraisal_result", "appraising"),
    ("commune_a", "inspections:search", "?q=ho+so"),
    ("commune_a", "inspections:appraisal_result", "signed"),
    ("commune_a", "notifications:inbox"),
    ("commune_a", "notifications:preferences"),
    ("lead", "notifications:inbox"),
    ("secretariat", "inspections:survey_import", "plan"),
    ("secretariat", "inspections:scoring_method_edit", "criteria_set"),
]


def populated_world():
    """The conftest world with every page filled: a concluded visit, one open, one being appraised.

    Commune A's visit is appraised, its minutes signed, its notice issued, its shortcoming has a
    remedy reported, a question answered and its documents rendered; commune B self-assesses;
    a third commune is being appraised by group 1.
    """
    world = build_world()
    # The footer's demo badge is on every page, and its long sentence must wrap on a phone.
    DemoDataset.objects.create(name="demo")
    lead, inspector = world.users["lead"], world.users["inspector"]
    visit = world.visit_a
    for score in CriterionScore.objects.filter(visit=visit):
        score.appraised_score = score.max_score * Decimal("0.75")
        score.appraised_comment = "Hồ sơ đầy đủ, lưu tại bộ phận một cửa."
        score.save(update_fields=["appraised_score", "appraised_comment"])
    FindingFactory(visit=visit, kind=Finding.Kind.STRENGTH, area=world.areas[0], status=Finding.Status.NOTED)
    FindingFactory(
        visit=visit,
        kind=Finding.Kind.QUESTION,
        area=world.areas[1],
        text="Xã đề nghị hướng dẫn số hóa hồ sơ lưu trữ.",
        answer="Thực hiện theo hướng dẫn của Sở Nội vụ.",
        answered_by=inspector,
        answered_at=timezone.now(),
        status=Finding.Status.ANSWERED,
    )
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.APPRAISING)
    closing.minutes_save(
        visit=visit,
        user=lead,
        held_on=dt.date(2020, 10, 5),
        team_attendees=[{"name": "Trần Minh Vũ", "position": "Trưởng đoàn"}],
        commune_attendees=[{"name": "Huỳnh Văn Tâm", "position": "Chủ tịch UBND xã"}],
        summary="Buổi làm việc diễn ra đúng kế hoạch.",
    )
    closing.minutes_sign(visit=visit, user=lead)
    closing.conclusion_issue(
        visit=visit,
        user=lead,
        number="12/TB-UBND",
        issued_on=dt.date(2020, 10, 20),
        remedy_deadline=dt.date(2020, 12, 31),
    )
    shortcoming = Finding.objects.get(visit=visit, kind=Finding.Kind.SHORTCOMING)
    shortcoming.remedies.update(status="reported", reported_by=world.users["commune_a"], reported_at=timezone.now())
    for kind in (Report.Kind.MINUTES, Report.Kind.NOTICE, Report.Kind.DISTRICT):
        Report.objects.create(
            plan=world.plan,
            visit=None if kind == Report.Kind.DISTRICT else visit,
            kind=kind,
            status=Report.Status.DONE,
            progress=100,
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"{kind}.pdf"),
            file_name=f"{kind}.pdf",
            size=15,
            page_count=1,
            requested_by=world.users["secretariat"],
        )
    Report.objects.create(plan=world.plan, kind=Report.Kind.DISTRICT_XLSX, status=Report.Status.FAILED)

    Visit.objects.filter(pk=world.visit_b.pk).update(
        status=Visit.Status.SELF_ASSESSMENT, self_assessment_deadline=timezone.localdate() + dt.timedelta(days=7)
    )

    commune_c = CommuneFactory(name="Tân Hiệp A", parent=world.district)
    appraising = VisitFactory(plan=world.plan, unit=commune_c, status=Visit.Status.APPRAISING)
    for index, criterion in enumerate(world.leaves):
        ScoreFactory(
            visit=appraising,
            criterion=criterion,
            self_score=criterion.max_score,
            appraised_score=criterion.max_score / 2 if index % 2 else None,
        )
    EvidenceFactory(visit=appraising, unit=commune_c, criterion=world.leaves[0])
    open_finding = FindingFactory(
        visit=appraising, kind=Finding.Kind.SHORTCOMING, area=world.areas[0], text="Niêm yết thủ tục chưa đầy đủ."
    )
    return {
        "world": world,
        "plan": world.plan,
        "criteria_set": world.criteria_set,
        "commune_a": world.commune_a,
        "commune_a_user": world.users["commune_a"],
        "signed": visit,
        "open": world.visit_b,
        "appraising": appraising,
        "shortcoming": shortcoming,
        "open_finding": open_finding,
    }


def _page_width_failures(page, label, thumb):
    failures = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll_width, inner_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > inner_width:
            failures.append(f"{label}: {scroll_width} px wide at {width} px")
        header, collapsed = page.evaluate(HEADER)
        if width >= NAV_EXPANDS and (collapsed or header > NAV_ONE_LINE):
            failures.append(f"{label}: the header menu is {header} px high at {width} px (one line: {NAV_ONE_LINE})")
        if width < NAV_EXPANDS and not collapsed:
            failures.append(f"{label}: the header menu is not collapsed at {width} px")
        if thumb and width == THUMB_WIDTH:
            failures += [
                f"{label}: below {THUMB_PX} px at {width} px: {small}" for small in page.evaluate(SMALL_TARGETS)
            ]
    return failures


def _axe_violations(page):
    # Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not block it.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    # Target size (WCAG 2.2, 2.5.8) is off in axe by default; the criterion is part of AA.
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}}))"
        ".violations"
    )


def test_the_vendored_axe_core_is_the_pinned_release():
    source = AXE.read_bytes()
    assert hashlib.sha256(source).hexdigest() == AXE_SHA256
    assert source.startswith(b"/*! axe v4.14.1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role_fits_360_px_and_has_no_serious_accessibility_fault(browser, live_server):
    objects = populated_world()
    width_failures, axe_failures, counts, where = [], [], {}, {}
    personas = dict.fromkeys(row[0] for row in PAGES)
    for persona in personas:
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        if persona != "anonymous":
            browser_login(page, live_server, persona)
        for row in (r for r in PAGES if r[0] == persona):
            name, keys = row[1], [key for key in row[2:] if not key.startswith("?")]
            query = "".join(key for key in row[2:] if key.startswith("?"))
            path = reverse(name, args=[objects[key].pk for key in keys]) + query
            label = f"{persona} {name} {path}"
            page.set_viewport_size({"width": 1280, "height": 900})
            response = page.goto(f"{live_server.url}{path}")
            if response.status != 200:
                width_failures.append(f"{label}: answered {response.status}")
                continue
            width_failures += _page_width_failures(page, label, name in THUMB_PAGES)
            for violation in _axe_violations(page):
                nodes = violation["nodes"]
                key = (violation["id"], violation["impact"])
                counts[key] = counts.get(key, 0) + len(nodes)
                where.setdefault(key, []).append(path)
                if violation["impact"] in FAILING_IMPACTS or violation["id"] in ALWAYS_FAILING_RULES:
                    targets = ", ".join(str(node["target"][0]) for node in nodes[:3])
                    axe_failures.append(f"{label}: {violation['id']} ({violation['impact']}, {len(nodes)}) {targets}")
        context.close()

    summary = "\n".join(f"  {rule} {impact}: {count} nodes" for (rule, impact), count in sorted(counts.items()))
    # Every rule axe reported, whatever its impact, and where (shown with `pytest -s`).
    pages = "\n".join(f"  {rule}: {' '.join(sorted(set(paths)))}" for (rule, _impact), paths in sorted(where.items()))
    print(f"\naxe-core on {len(PAGES)} pages, nodes per rule:\n{summary or '  none'}\n{pages}")
    problems = width_failures + axe_failures
    assert not problems, "\n".join(["Pages wider than the window or with accessibility faults:", *problems, summary])
