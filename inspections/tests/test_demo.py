"""load_demo builds the Tân Hiệp story and a second run changes nothing."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.access import scope_for
from accounts.models import Membership, User
from communes.models import AdministrativeUnit, UnitSuccession
from inspections import permissions, selectors
from inspections.models import ConclusionNotice, CriteriaSet, Finding, InspectionPlan, Minutes, Visit
from inspections.scoring import leaf_criteria
from inspections.services import closing
from inspections.services.criteria import criteria_set_problems
from inspections.services.portal.self_assessment import self_assessment_state
from inspections.workdays import conclusion_deadline
from reports.rendering.visit_documents import commune_signer

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "communes", "inspections", "reports")


def counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label in PROJECT_APPS}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for this module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_a_second_run_changes_no_counts(demo):
    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_the_district_and_its_eleven_communes(demo):
    district = AdministrativeUnit.objects.get(code="904", level=2)
    assert district.name == "Tân Hiệp" and district.parent.name == "Kiên Giang"
    names = set(district.children.values_list("name", flat=True))
    assert names == {
        "Tân Hiệp",
        "Tân An",
        "Tân Hiệp A",
        "Tân Hiệp B",
        "Tân Hòa",
        "Tân Hội",
        "Tân Thành",
        "Thạnh Đông",
        "Thạnh Đông A",
        "Thạnh Đông B",
        "Thạnh Trị",
    }
    assert UnitSuccession.objects.get(predecessor__name="Kiên Giang").successor.name == "An Giang"


def test_the_communes_carry_their_official_codes_and_end_with_the_reform(demo):
    district = AdministrativeUnit.objects.get(code="904", level=2)
    codes = dict(district.children.values_list("name", "code"))
    assert codes["Tân Hiệp"] == "30850" and codes["Thạnh Đông A"] == "30874" and codes["Thạnh Trị"] == "30877"
    assert set(district.children.values_list("valid_to", flat=True)) == {dt.date(2025, 6, 30)}


def test_the_communes_merged_into_three_communes_of_an_giang(demo):
    an_giang = AdministrativeUnit.objects.get(code="91", level=1, valid_from=dt.date(2025, 7, 1))
    assert an_giang.name == "An Giang"
    successors = {
        unit.name: (unit.code, set(unit.predecessor_links.values_list("predecessor__name", flat=True)))
        for unit in an_giang.children.all()
    }
    assert successors == {
        "Tân Hiệp": ("30850", {"Tân Hiệp", "Tân Hiệp B", "Thạnh Đông B", "Thạnh Đông"}),
        "Tân Hội": ("30856", {"Tân Hội", "Tân Thành", "Tân Hòa", "Tân An"}),
        "Thạnh Đông": ("30874", {"Tân Hiệp A", "Thạnh Đông A", "Thạnh Trị"}),
    }


def test_the_official_register_finds_the_demo_units_in_place(demo):
    demo_units = dict(AdministrativeUnit.objects.values_list("pk", "name"))
    out = io.StringIO()
    call_command("import_units", stdout=out)
    assert "created 97 provinces, 696 districts, 13356 communes" not in out.getvalue()
    # Every demo unit is an official one: found, unchanged, never duplicated.
    assert "updated 0 units" in out.getvalue()
    assert AdministrativeUnit.objects.filter(code="904", level=2).count() == 1
    assert AdministrativeUnit.objects.filter(code="30874", level=3).count() == 2
    assert dict(AdministrativeUnit.objects.filter(pk__in=demo_units).values_list("pk", "name")) == demo_units
    assert AdministrativeUnit.objects.count() == 97 + 696 + 13356


def test_two_criteria_sets_of_seven_areas_adding_up_to_100(demo):
    for criteria_set in CriteriaSet.objects.all():
        assert criteria_set.areas.count() == 7
        assert criteria_set_problems(criteria_set=criteria_set) == []
        for area in criteria_set.areas.all():
            top = area.criteria.filter(parent__isnull=True)
            assert top.count() >= 3
            assert all(c.children.exists() for c in top)
        assert criteria_set.bands.count() >= 4


def test_the_2020_round_follows_the_article(demo):
    plan = InspectionPlan.objects.get(year=2020)
    assert (plan.round_start, plan.round_end) == (dt.date(2020, 10, 5), dt.date(2020, 10, 14))
    lead = plan.team.members.get(role="lead")
    assert lead.user.full_name == "Trần Minh Vũ" and lead.position == "Phó Chủ tịch UBND huyện"
    groups = plan.team.groups.prefetch_related("areas")
    assert groups.count() == 6
    assert {a.code for g in groups for a in g.areas.all()} == {a.code for a in plan.criteria_set.areas.all()}
    departments = {m.department.short_name for m in plan.team.members.exclude(department=None)}
    assert {
        "Nội vụ",
        "Tư pháp",
        "LĐ-TBXH",
        "Văn hóa và Thông tin",
        "Tài nguyên và Môi trường",
        "Công an huyện",
    } <= departments
    visits = plan.visits.all()
    assert visits.count() == 11
    assert all(dt.date(2020, 10, 5) <= v.scheduled_on <= dt.date(2020, 10, 14) for v in visits)
    # The round is over: every commune self-assessed, was appraised on every criterion and concluded.
    assert plan.status == InspectionPlan.Status.CONCLUDED
    assert set(visits.values_list("status", flat=True)) == {Visit.Status.CONCLUDED}
    leaves = leaf_criteria(plan.criteria_set).count()
    for visit in visits:
        assert visit.self_submitted_at is not None and visit.self_submitted_by is not None, visit
        assert visit.scores.filter(self_score__isnull=False, appraised_score__isnull=False).count() == leaves, visit
        assert closing.visit_unappraised_criteria(visit=visit) == [], visit


def test_every_2020_visit_is_signed_on_its_day_and_concluded_within_fifteen_working_days(demo):
    plan = InspectionPlan.objects.get(year=2020)
    lead = User.objects.get(username="lead")
    last_day = conclusion_deadline(dt.date(2020, 10, 14))
    for visit in plan.visits.select_related("minutes", "conclusion", "unit"):
        minutes, notice = visit.minutes, visit.conclusion
        assert minutes.held_on == visit.scheduled_on, visit
        assert minutes.opened_at < minutes.closed_at, visit
        assert minutes.signed_by == lead
        signed_at = timezone.localtime(minutes.signed_at)
        assert signed_at.date() == visit.scheduled_on and signed_at.time() == minutes.closed_at, visit
        # The signing service stored what was signed.
        assert minutes.result_snapshot["complete"] and minutes.result_snapshot["grade"], visit
        assert dt.date(2020, 10, 14) < notice.issued_on <= last_day, visit
        assert notice.signer == lead and notice.signer_name == "Trần Minh Vũ"
        assert notice.remedy_deadline >= notice.issued_on
    assert ConclusionNotice.objects.filter(visit__plan=plan).values("number").distinct().count() == 11


def test_2020_questions_were_answered_and_last_years_findings_rechecked_mostly_remedied(demo):
    questions = Finding.objects.filter(visit__plan__year=2020, kind=Finding.Kind.QUESTION)
    assert questions.count() >= 2
    assert set(questions.values_list("status", flat=True)) == {Finding.Status.ANSWERED}
    assert all(q.answer for q in questions)
    carried = Finding.objects.filter(visit__plan__year=2020, carried_from__isnull=False)
    assert carried.exists() and not carried.filter(rechecked_at__isnull=True).exists()
    remedied = carried.filter(status=Finding.Status.REMEDIED).count()
    assert remedied > carried.count() - remedied


def test_the_communes_people_have_names_and_the_opinion_its_unit_word(demo):
    placeholders = ("Đại diện", "Công chức chuyên môn", "Chủ tịch UBND", "Đảng ủy")
    for minutes in Minutes.objects.select_related("visit__unit"):
        unit = minutes.visit.unit
        names = [a["name"] for a in minutes.commune_attendees]
        assert len(set(names)) == len(names) >= 3, unit
        for attendee in minutes.commune_attendees:
            assert not attendee["name"].startswith(placeholders), attendee
            assert len(attendee["name"].split()) >= 3 and attendee["position"], attendee
        assert commune_signer(minutes.commune_attendees)["name"] == names[0]
        assert minutes.commune_attendees[0]["position"] == f"Chủ tịch UBND {unit.name_in_sentence}"
        word = "UBND thị trấn" if unit.kind == "township" else "UBND xã"
        assert minutes.commune_opinion.startswith(f"{word} {unit.name}"), minutes.commune_opinion
    chairmen = {m.commune_attendees[0]["name"] for m in Minutes.objects.filter(visit__plan__year=2020)}
    assert len(chairmen) == 11
    for unit in AdministrativeUnit.objects.filter(parent__code="904", level=3):
        roles = set(Membership.objects.filter(unit=unit).values_list("role", flat=True))
        assert roles >= {"commune_lead", "commune_staff"}, unit
        for membership in Membership.objects.filter(unit=unit).select_related("user"):
            assert len(membership.user.full_name.split()) >= 3, membership.user


def test_the_2021_round_is_made_from_2020_and_under_way_with_nothing_signed(demo):
    plan_2020 = InspectionPlan.objects.get(year=2020)
    plan = InspectionPlan.objects.get(year=2021)
    assert plan.previous == plan_2020 and plan.status == InspectionPlan.Status.IN_PROGRESS
    assert plan.criteria_set.copied_from == plan_2020.criteria_set
    assert plan.team.members.count() == plan_2020.team.members.count()
    visits = plan.visits.select_related("unit")
    assert visits.count() == 11
    statuses = set(visits.values_list("status", flat=True))
    assert {Visit.Status.SELF_ASSESSMENT, Visit.Status.SUBMITTED, Visit.Status.APPRAISING} <= statuses
    assert not statuses & set(Visit.LOCKED_STATUSES)
    assert not Minutes.objects.filter(visit__plan=plan, signed_at__isnull=False).exists()
    assert not ConclusionNotice.objects.filter(visit__plan=plan).exists()
    # Every 2020 finding left unresolved went into the commune's 2021 visit.
    carried = Finding.objects.filter(visit__plan=plan, carried_from__visit__plan=plan_2020)
    assert carried.count() >= 11
    left = Finding.objects.filter(
        visit__plan=plan_2020, kind__in=Finding.ACTIONABLE_KINDS, status__in=Finding.UNRESOLVED_STATUSES
    )
    assert not left.exists()
    for finding in carried.select_related("carried_from__visit"):
        assert finding.carried_from.visit.unit_id == finding.visit.unit_id
        assert finding.carried_from.status == Finding.Status.CARRIED_OVER


def test_every_demo_persona_has_live_work_in_2021(demo):
    plan = InspectionPlan.objects.get(year=2021)
    today = timezone.localdate()
    for name in ("Thạnh Đông A", "Tân Hội"):
        visit = plan.visits.get(unit__name=name)
        state = self_assessment_state(visit=visit)
        assert state.editable and not state.submitted, name
        assert visit.effective_deadline >= today + dt.timedelta(days=15), name
    commune_a_lead = User.objects.get(username="commune_a_lead")
    visit_a = plan.visits.get(unit__name="Thạnh Đông A")
    assert selectors.visit_list_for_user(commune_a_lead).filter(pk=visit_a.pk).exists()
    assert self_assessment_state(visit=visit_a).can_submit
    inspector = User.objects.get(username="inspector")
    submitted = plan.visits.filter(status=Visit.Status.SUBMITTED).first()
    area = plan.criteria_set.areas.get(code="procedures")
    permissions.check_appraise(inspector, submitted, area.pk)
    lead = User.objects.get(username="lead")
    ready = [
        v
        for v in plan.visits.filter(status=Visit.Status.APPRAISING, minutes__isnull=False)
        if not closing.visit_unappraised_criteria(visit=v)
    ]
    assert len(ready) == 1
    with transaction.atomic():
        minutes = closing.minutes_sign(visit=ready[0], user=lead)
        assert minutes.is_signed and minutes.result_snapshot
        transaction.set_rollback(True)


def test_2019_findings_were_mostly_remedied_and_the_rest_carried_into_2020(demo):
    old = Finding.objects.filter(visit__plan__year=2019, kind__in=Finding.ACTIONABLE_KINDS)
    remedied = old.filter(status=Finding.Status.REMEDIED).count()
    carried = old.filter(status=Finding.Status.CARRIED_OVER)
    assert remedied > carried.count() > 0
    for finding in carried:
        successor = finding.carried_to.get()
        assert successor.visit.plan.year == 2020 and successor.visit.unit == finding.visit.unit


def test_demo_accounts_and_what_they_see(demo):
    expected = {"admin", "secretariat", "lead", "inspector", "commune_a", "commune_b", "commune_a_lead"}
    for username in expected:
        assert User.objects.get(username=username).check_password("demo")
    assert User.objects.get(username="admin").is_superuser
    lead = User.objects.get(username="lead")
    assert selectors.plan_list_for_user(lead).filter(year=2020).exists()
    inspector = User.objects.get(username="inspector")
    group = inspector.team_memberships.get(team__plan__year=2020).group
    assert {a.code for a in group.areas.all()} == {"procedures", "modernization"}
    commune_a = User.objects.get(username="commune_a")
    assert {v.unit.name for v in selectors.visit_list_for_user(commune_a)} == {"Thạnh Đông A"}
    assert scope_for(User.objects.get(username="commune_a_lead")).has_role("commune_lead")
    commune_b = User.objects.get(username="commune_b")
    assert {v.unit.name for v in selectors.visit_list_for_user(commune_b)} == {"Tân Hội"}


def test_in_2021_one_criterion_is_contested_and_decided_and_the_history_keeps_both_rounds(demo):
    from inspections.models import CriterionScore, Evidence, ScoreContest
    from inspections.services.appeal import signing_blocked_reason

    contest = ScoreContest.objects.select_related("visit__unit", "criterion").get(visit__plan__year=2021)
    visit = contest.visit
    assert visit.unit.name == "Tân Hiệp" and visit.appraisal_published
    assert contest.status in ScoreContest.DECIDED_STATUSES and contest.decision_reason
    assert Evidence.objects.filter(contest=contest).count() == 1
    score = CriterionScore.objects.get(visit=visit, criterion=contest.criterion)
    assert score.appraised_score == contest.decided_score
    rounds = list(
        CriterionScore.history.filter(id=score.pk).order_by("history_date").values_list("appraised_score", flat=True)
    )
    assert rounds[0] == contest.first_score and rounds[-1] == contest.decided_score
    # The window closed in 2021 and the contest is decided: nothing of the appeal keeps the lead from signing.
    assert signing_blocked_reason(visit=visit) == ""


def test_the_2021_round_is_scored_with_the_provinces_method(demo):
    from decimal import Decimal

    from inspections.models import CriterionScore, SurveyResult
    from inspections.result_text import statement
    from inspections.scoring import visit_results

    plan = InspectionPlan.objects.get(year=2021)
    criteria_set = plan.criteria_set
    assert criteria_set_problems(criteria_set=criteria_set) == []
    assert (criteria_set.total_max, criteria_set.survey_weight) == (Decimal("110"), Decimal("10"))
    township = plan.visits.get(unit__name="Tân Hiệp")
    declared = CriterionScore.objects.get(visit=township, criterion__code="4.2.3")
    assert declared.not_applicable == CriterionScore.NotApplicable.ACCEPTED and declared.appraised_score is None
    assert "không có hồ sơ" in declared.not_applicable_reason
    penalised = plan.visits.get(unit__name="Tân Thành")
    assert penalised.adjustments.get().item.code == "D1"
    assert SurveyResult.objects.filter(visit__plan=plan).count() == 2 * plan.visits.count()

    results = visit_results(visits=[township, penalised], criteria_set=criteria_set)
    text = " ".join(statement(results[township.pk]))
    # 4.2.3 is worth 2 points: the township's criteria are converted from 98 applicable points to 100.
    assert "/98 " in text and "× 100" in text
    assert results[township.pk].is_complete and results[township.pk].grade is not None
    assert results[penalised.pk].penalty == Decimal("0.5")


def test_the_districts_chairman_alone_is_marked_chairman(demo):
    marked = list(Membership.objects.filter(is_chairman=True).values_list("user__username", flat=True))
    assert marked == ["viewer"]
