"""Shared fixtures: a small inspection world, the personas who use it, a real browser and a real worker."""

import os
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from communes.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from inspections.models import Finding, TeamMember
from inspections.tests.factories import (
    BandFactory,
    CriteriaSetFactory,
    CriterionFactory,
    EvidenceFactory,
    FindingFactory,
    PlanFactory,
    RemedyFactory,
    ReviewAreaFactory,
    ScoreFactory,
    TeamFactory,
    TeamGroupFactory,
    TeamMemberFactory,
    VisitFactory,
)
from tests.workers import Workers

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Every persona of the access matrix, in the order the tables read.
PERSONAS = ["anonymous", "secretariat", "lead", "inspector", "viewer", "commune_a", "commune_a_lead", "commune_b"]


@pytest.fixture(autouse=True)
def _language_left_as_the_site_has_it():
    """A test client's request in English leaves English active in the thread; the next test starts without it."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_hashing_and_private_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # Still verifies passwords set by data loaded outside a test function (module fixtures).
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    settings.MEDIA_ROOT = tmp_path / "media"


def build_world():
    """A district with two communes, a 100-point criteria set in two areas, a campaign and its people."""
    province = ProvinceFactory(name="Kiên Giang")
    district = DistrictFactory(name="Tân Hiệp", parent=province)
    commune_a = CommuneFactory(name="Thạnh Đông A", parent=district)
    commune_b = CommuneFactory(name="Tân Hội", parent=district)
    criteria_set = CriteriaSetFactory(authority=district, year=2020)
    area_1 = ReviewAreaFactory(criteria_set=criteria_set, code="procedures", number="1", title="Thủ tục hành chính")
    area_2 = ReviewAreaFactory(criteria_set=criteria_set, code="modernization", number="2", title="Hiện đại hóa")
    parent = CriterionFactory(area=area_1, code="1.1", max_score=Decimal("10"), order=1)
    leaves = [
        CriterionFactory(area=area_1, parent=parent, code="1.1.1", max_score=Decimal("6"), order=2),
        CriterionFactory(area=area_1, parent=parent, code="1.1.2", max_score=Decimal("4"), order=3),
        CriterionFactory(area=area_1, code="1.2", max_score=Decimal("40"), order=4),
        CriterionFactory(area=area_2, code="2.1", max_score=Decimal("50"), order=5),
    ]
    for label, threshold in (("Tốt", 90), ("Khá", 70), ("Trung bình", 50), ("Kém", 0)):
        BandFactory(criteria_set=criteria_set, label=label, min_percent=Decimal(threshold))
    plan = PlanFactory(criteria_set=criteria_set, authority=district, year=2020)
    team = TeamFactory(plan=plan)
    group_1 = TeamGroupFactory(team=team, name="Nhóm 1")
    group_1.areas.set([area_1])
    group_2 = TeamGroupFactory(team=team, name="Nhóm 2")
    group_2.areas.set([area_2])

    def person(username, role, unit, team_role=None, group=None, chairman=False):
        user = UserFactory(username=username, full_name=username.replace("_", " ").title())
        MembershipFactory(user=user, unit=unit, role=role, is_chairman=chairman)
        if team_role:
            TeamMemberFactory(team=team, user=user, role=team_role, group=group)
        return user

    users = {
        "secretariat": person("secretariat", Membership.Role.SECRETARIAT, district, TeamMember.Role.SECRETARY),
        "lead": person("lead", Membership.Role.TEAM_LEAD, district, TeamMember.Role.LEAD),
        "inspector": person("inspector", Membership.Role.INSPECTOR, district, TeamMember.Role.MEMBER, group_1),
        "viewer": person("viewer", Membership.Role.VIEWER, district, chairman=True),
        "commune_a": person("commune_a", Membership.Role.COMMUNE_STAFF, commune_a),
        "commune_a_lead": person("commune_a_lead", Membership.Role.COMMUNE_LEAD, commune_a),
        "commune_b": person("commune_b", Membership.Role.COMMUNE_STAFF, commune_b),
    }
    visits = {}
    for key, unit in (("a", commune_a), ("b", commune_b)):
        visit = VisitFactory(plan=plan, unit=unit)
        for criterion in leaves:
            ScoreFactory(visit=visit, criterion=criterion, self_score=criterion.max_score / 2)
        finding = FindingFactory(visit=visit, kind=Finding.Kind.SHORTCOMING, area=area_1, text=f"Hạn chế của xã {key}")
        RemedyFactory(finding=finding)
        EvidenceFactory(visit=visit, unit=unit, criterion=leaves[0])
        visits[key] = visit
    return SimpleNamespace(
        province=province,
        district=district,
        commune_a=commune_a,
        commune_b=commune_b,
        criteria_set=criteria_set,
        areas=[area_1, area_2],
        leaves=leaves,
        plan=plan,
        team=team,
        groups=[group_1, group_2],
        users=users,
        visit_a=visits["a"],
        visit_b=visits["b"],
    )


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def persona_client(world, client):
    """Return a test client signed in as the named persona ("anonymous" stays signed out)."""

    def make(name: str):
        from django.test import Client

        new_client = Client()
        if name != "anonymous":
            new_client.force_login(world.users[name])
        return new_client

    return make


# S3-compatible object storage ----------------------------------------------------------


@pytest.fixture(scope="session")
def object_store():
    from tests.objectstore import ObjectStore

    store = ObjectStore()
    yield store
    store.stop()


@pytest.fixture
def object_storage(object_store, settings):
    """Evidence and reports go to a fresh bucket of the S3-compatible server; returns the bucket's name."""
    bucket = object_store.bucket()
    settings.STORAGES = object_store.storages(bucket, settings.STORAGES)
    return bucket


# A real browser --------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # live server makes are in other threads, and test set-up runs outside the loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    yield new_page
    context.close()


def browser_login(page, live_server, username: str, password: str = "demo"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


# A real Celery worker ----------------------------------------------------------------


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path, settings):
    """Start `celery worker` as a separate process on the test database and Redis; stop it afterwards."""
    from cchc_inspect.celery import app

    app.control.purge()
    pool = Workers(tmp_path, settings.MEDIA_ROOT, {})
    yield pool.start()
    pool.stop_all()


@pytest.fixture
def celery_eager():
    """Tasks run in the calling process as they are sent (mail from services, checked through mail.outbox)."""
    from cchc_inspect.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False
