"""Each event of a campaign reaches the people the issue names, and only them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Membership
from accounts.notifications.kinds import Kind
from accounts.notifications.models import Notification
from accounts.tests.factories import MembershipFactory, UserFactory
from communes.tests.factories import CommuneFactory
from inspections import events
from inspections.models import ConclusionNotice, CriterionScore, Minutes, Remedy, Visit
from inspections.services.appraisal import score_appraise
from inspections.services.portal.remedies import remedy_return, remedy_verify
from inspections.services.portal.self_assessment import (
    score_save_self,
    self_assessment_submit,
    self_assessment_withdraw,
    visit_deadline_extend,
)
from inspections.services.setup import plan_save, visit_schedule
from reports.models import Report
from reports.services import _fail

pytestmark = pytest.mark.django_db


def told(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def open_self_assessment(world, days: int = 10):
    deadline = timezone.localdate() + dt.timedelta(days=days)
    Visit.objects.filter(pk=world.visit_a.pk).update(self_assessment_deadline=deadline)
    world.visit_a.refresh_from_db()
    return deadline


def test_scheduling_a_commune_tells_its_people_the_date_and_deadline(world):
    commune = CommuneFactory(name="Tân Hòa", parent=world.district)
    chairman = UserFactory(username="tan_hoa_lead")
    MembershipFactory(user=chairman, unit=commune, role=Membership.Role.COMMUNE_LEAD)
    world.plan.self_assessment_deadline = dt.date(2020, 9, 30)
    world.plan.save()
    visit = visit_schedule(
        plan=world.plan, user=world.users["secretariat"], unit=commune, scheduled_on=world.plan.round_start
    )
    assert told(Kind.VISIT_SCHEDULED) == {"tan_hoa_lead"}
    line = Notification.objects.get(kind=Kind.VISIT_SCHEDULED)
    assert line.title == "Tân Hòa: kiểm tra ngày 05/10/2020, hạn tự đánh giá 30/09/2020"
    assert line.link == f"/campaigns/visits/{visit.pk}/self-assessment/"


def test_withdrawing_and_submitting_tell_the_groups_and_the_secretariat(world):
    open_self_assessment(world)
    self_assessment_withdraw(visit=world.visit_a, user=world.users["commune_a_lead"])
    assert told(Kind.SELF_ASSESSMENT_SUBMITTED) == {"inspector", "secretariat"}
    assert Notification.objects.filter(user__username="inspector").get().title == (
        "Thạnh Đông A: bản tự đánh giá đã rút lại"
    )
    CriterionScore.objects.filter(visit=world.visit_a).update(self_explanation="Có văn bản")
    self_assessment_submit(visit=Visit.objects.get(pk=world.visit_a.pk), user=world.users["commune_a_lead"])
    assert Notification.objects.filter(kind=Kind.SELF_ASSESSMENT_SUBMITTED, user__username="secretariat").count() == 2


def test_an_extended_deadline_is_told_to_that_commune_only(world):
    open_self_assessment(world)
    new = timezone.localdate() + dt.timedelta(days=20)
    visit_deadline_extend(visit=world.visit_a, user=world.users["secretariat"], deadline=new)
    assert told(Kind.DEADLINE_EXTENDED) == {"commune_a", "commune_a_lead"}


def test_an_explanation_request_goes_to_the_commune_and_its_answer_to_the_group(world):
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SUBMITTED)
    open_self_assessment(world, days=-1)
    criterion = world.leaves[0]
    score = CriterionScore.objects.get(visit=world.visit_a, criterion=criterion)
    score_appraise(
        visit=world.visit_a,
        criterion=criterion,
        user=world.users["inspector"],
        appraised_score=Decimal("3"),
        explanation_requested=True,
        explanation_request="Thiếu quyết định ban hành.",
        expected_version=score.version,
    )
    assert told(Kind.EXPLANATION_REQUESTED) == {"commune_a", "commune_a_lead"}
    score.refresh_from_db()
    score_save_self(
        visit=Visit.objects.get(pk=world.visit_a.pk),
        criterion_id=criterion.pk,
        user=world.users["commune_a"],
        self_score=score.self_score,
        explanation="Quyết định số 12/QĐ-UBND.",
        version=score.version,
    )
    assert told(Kind.EXPLANATION_GIVEN) == {"inspector"}


@pytest.mark.parametrize("verified", [True, False])
def test_a_remedy_decision_is_told_to_the_commune_with_the_reason(world, verified):
    remedy = Remedy.objects.get(finding__visit=world.visit_a)
    Remedy.objects.filter(pk=remedy.pk).update(status=Remedy.Status.REPORTED, reported_at=timezone.now())
    remedy.refresh_from_db()
    if verified:
        remedy_verify(remedy=remedy, user=world.users["inspector"])
    else:
        remedy_return(remedy=remedy, user=world.users["inspector"], reason="Chưa có biên bản.")
    assert told(Kind.REMEDY_DECIDED) == {"commune_a", "commune_a_lead"}
    line = Notification.objects.filter(kind=Kind.REMEDY_DECIDED).first()
    assert line.title.endswith("được xác nhận đã khắc phục" if verified else "bị trả lại")
    assert verified or line.params["reason"] == "Chưa có biên bản."


def test_minutes_and_notice_go_to_the_commune_and_the_secretariat(world):
    minutes = Minutes(visit=world.visit_a, held_on=dt.date(2020, 10, 6))
    events.minutes_signed(world.visit_a, minutes)
    notice = ConclusionNotice(
        visit=world.visit_a, number="45/TB-UBND", issued_on=dt.date(2020, 10, 28), remedy_deadline=dt.date(2020, 12, 31)
    )
    events.notice_issued(world.visit_a, notice)
    assert told(Kind.MINUTES_SIGNED) == told(Kind.NOTICE_ISSUED) == {"commune_a", "commune_a_lead", "secretariat"}
    assert Notification.objects.filter(kind=Kind.NOTICE_ISSUED).first().title == (
        "Thạnh Đông A: đã ban hành thông báo kết luận 45/TB-UBND, hạn khắc phục 31/12/2020"
    )


def test_a_failed_document_is_told_to_who_asked_for_it(world):
    report = Report.objects.create(
        plan=world.plan,
        kind=Report.Kind.MINUTES,
        visit=world.visit_a,
        requested_by=world.users["lead"],
        status=Report.Status.RUNNING,
        attempts=1,
    )
    _fail(report.pk, 1, "no font")
    assert told(Kind.REPORT_FINISHED) == {"lead"}
    line = Notification.objects.get(kind=Kind.REPORT_FINISHED)
    assert line.title == f"biên bản kiểm tra, {world.plan.title} – Thạnh Đông A: không tạo được"
    assert line.link == f"/reports/visits/{world.visit_a.pk}/"


def test_a_new_deadline_in_the_plan_is_told_to_the_communes_still_self_assessing(world):
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SELF_ASSESSMENT)
    plan = world.plan
    plan_save(user=world.users["secretariat"], authority=world.district, plan=plan, criteria_set=plan.criteria_set)
    assert not Notification.objects.exists()
    plan_save(
        user=world.users["secretariat"],
        authority=world.district,
        plan=plan,
        criteria_set=plan.criteria_set,
        self_assessment_deadline=dt.date(2020, 10, 1),
    )
    # Commune B has submitted: only commune A is told.
    assert told(Kind.VISIT_SCHEDULED) == {"commune_a", "commune_a_lead"}
    assert Notification.objects.first().params["deadline"] == "01/10/2020"


def test_the_appeal_tells_the_commune_of_publication_and_decision_and_the_group_of_a_contest(world):
    from inspections.services import appeal
    from inspections.tests.test_appeal import contest, published

    visit = published(world)
    assert told(Kind.APPRAISAL_PUBLISHED) == {"commune_a", "commune_a_lead"}
    line = Notification.objects.get(kind=Kind.APPRAISAL_PUBLISHED, user__username="commune_a_lead")
    assert line.title.endswith(visit.appeal_deadline.strftime("%d/%m/%Y"))
    assert line.link == f"/campaigns/visits/{visit.pk}/appraisal/"

    filed = contest(world)
    # Criterion 1.1.1 belongs to the first area, which the inspector's group appraises.
    assert told(Kind.CONTEST_FILED) == {"inspector"}
    assert "1.1.1" in Notification.objects.get(kind=Kind.CONTEST_FILED).title

    appeal.score_contest_decide(
        contest=filed, user=world.users["inspector"], decided_score=Decimal("4.5"), reason="Đủ hồ sơ"
    )
    assert told(Kind.CONTEST_DECIDED) == {"commune_a", "commune_a_lead"}
    assert "4,5" in Notification.objects.get(kind=Kind.CONTEST_DECIDED, user__username="commune_a").title
    assert not Notification.objects.filter(user__username="commune_b").exists()


def test_a_decided_score_is_written_in_the_readers_language(world):
    from django.utils import translation

    from accounts.notifications.kinds import title

    with translation.override("vi"):
        assert title(Kind.CONTEST_DECIDED, {"commune": "Tân Hội", "criterion": "4.1.1", "score": "2.25"}).endswith(
            "2,25 điểm"
        )
    with translation.override("en"):
        assert title(Kind.CONTEST_DECIDED, {"commune": "Tân Hội", "criterion": "4.1.1", "score": "2.25"}).endswith(
            "2.25 points"
        )
