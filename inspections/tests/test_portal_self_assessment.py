"""Self-assessment services: per-criterion saves, the deadline lock, submit, withdraw and resubmit, extension."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inspections.models import CriterionScore, Visit
from inspections.services.portal import self_assessment as service

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def open_visit(world, *, days_left=7, status=Visit.Status.SELF_ASSESSMENT):
    visit = world.visit_a
    visit.status = status
    visit.self_assessment_deadline = TODAY() + dt.timedelta(days=days_left)
    visit.save()
    return visit


def explain_all(visit, text="Hồ sơ lưu tại Văn phòng UBND xã"):
    CriterionScore.objects.filter(visit=visit).update(self_explanation=text)


def save(world, *, criterion=None, user="commune_a", score="3", explanation="", version=None):
    criterion = criterion or world.leaves[0]
    return service.score_save_self(
        visit=Visit.objects.get(pk=world.visit_a.pk),
        criterion_id=criterion.pk,
        user=world.users[user],
        self_score=None if score is None else Decimal(score),
        explanation=explanation,
        version=version,
    )


def code_of(excinfo) -> str:
    return excinfo.value.error_list[0].code


def test_commune_staff_saves_one_criterion_with_who_and_when(world):
    open_visit(world)
    before = CriterionScore.objects.get(visit=world.visit_a, criterion=world.leaves[0])
    score = save(world, score="5.5", explanation="Đã ban hành quyết định", version=before.version)
    assert score.self_score == Decimal("5.5") and score.self_explanation == "Đã ban hành quyết định"
    assert score.self_by == world.users["commune_a"] and score.self_at is not None
    assert score.version == before.version + 1


def test_a_missing_score_row_is_made_on_first_save(world):
    open_visit(world)
    CriterionScore.objects.filter(visit=world.visit_a, criterion=world.leaves[3]).delete()
    score = save(world, criterion=world.leaves[3], score="40")
    assert score.max_score == world.leaves[3].max_score and score.self_score == Decimal("40")


def test_score_outside_zero_to_maximum_is_refused(world):
    open_visit(world)
    with pytest.raises(ValidationError) as excinfo:
        save(world, score="6.25")
    assert code_of(excinfo) == "range"


def test_a_fixed_scoring_option_must_be_chosen(world):
    open_visit(world)
    criterion = world.leaves[1]
    criterion.scoring_options = [{"label": "Đúng hạn", "score": "4"}, {"label": "Chậm", "score": "2"}]
    criterion.save()
    with pytest.raises(ValidationError) as excinfo:
        save(world, criterion=criterion, score="3")
    assert code_of(excinfo) == "option"
    assert save(world, criterion=criterion, score="2").self_score == Decimal("2")


def test_first_save_opens_a_scheduled_self_assessment(world):
    open_visit(world, status=Visit.Status.SCHEDULED)
    save(world, score="4")
    assert Visit.objects.get(pk=world.visit_a.pk).status == Visit.Status.SELF_ASSESSMENT


def test_the_deadline_day_itself_is_still_open(world):
    open_visit(world, days_left=0)
    assert save(world, score="1").self_score == Decimal("1")


def test_after_the_deadline_the_server_refuses_changes_and_says_why(world):
    open_visit(world, days_left=-1)
    with pytest.raises(ValidationError) as excinfo:
        save(world, score="1")
    assert code_of(excinfo) == "locked"
    message = excinfo.value.messages[0]
    assert (TODAY() - dt.timedelta(days=1)).strftime("%d/%m/%Y") in message
    assert CriterionScore.objects.get(visit=world.visit_a, criterion=world.leaves[0]).self_score == Decimal("3")


def test_nobody_outside_the_commune_self_scores(world):
    open_visit(world)
    for persona in ("secretariat", "lead", "inspector", "viewer", "commune_b"):
        with pytest.raises(PermissionDenied):
            save(world, user=persona)


def test_an_edit_made_meanwhile_is_detected_and_the_second_save_can_replace_it(world):
    open_visit(world)
    version = CriterionScore.objects.get(visit=world.visit_a, criterion=world.leaves[0]).version
    save(world, user="commune_a", score="4", version=version)
    with pytest.raises(ValidationError) as excinfo:
        save(world, user="commune_a_lead", score="5", version=version)
    assert code_of(excinfo) == "conflict"
    assert "Commune A" in excinfo.value.messages[0]
    assert save(world, user="commune_a_lead", score="5", version=version + 1).self_score == Decimal("5")


def test_saving_the_same_values_again_is_not_a_conflict(world):
    open_visit(world)
    version = CriterionScore.objects.get(visit=world.visit_a, criterion=world.leaves[0]).version
    save(world, score="4", version=version)
    assert save(world, score="4", version=version).version == version + 1


def test_only_the_commune_lead_submits(world):
    open_visit(world)
    explain_all(world.visit_a)
    with pytest.raises(PermissionDenied):
        service.self_assessment_submit(visit=world.visit_a, user=world.users["commune_a"])
    with pytest.raises(PermissionDenied):
        service.self_assessment_submit(visit=world.visit_a, user=world.users["secretariat"])


def test_submission_needs_every_criterion_scored_and_evidenced_or_explained(world):
    open_visit(world)
    CriterionScore.objects.filter(visit=world.visit_a, criterion=world.leaves[3]).update(self_score=None)
    with pytest.raises(ValidationError) as excinfo:
        service.self_assessment_submit(visit=world.visit_a, user=world.users["commune_a_lead"])
    text = " ".join(excinfo.value.messages)
    assert "2.1" in text  # not scored
    assert "1.1.2" in text and "1.2" in text  # scored, neither evidence nor explanation
    assert "1.1.1" not in text  # has evidence
    gaps = service.self_assessment_gaps(visit=world.visit_a)
    assert gaps.unscored == ["2.1"] and gaps.unexplained == ["1.1.2", "1.2"]


def test_lead_submits_withdraws_and_resubmits_before_the_deadline(world):
    visit = open_visit(world)
    explain_all(visit)
    lead = world.users["commune_a_lead"]
    service.self_assessment_submit(visit=visit, user=lead)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SUBMITTED
    assert visit.self_submitted_by == lead and visit.self_submitted_at is not None
    with pytest.raises(ValidationError):
        save(world, score="1")
    service.self_assessment_withdraw(visit=visit, user=lead)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SELF_ASSESSMENT and visit.self_submitted_at is None
    save(world, score="1", explanation="Sửa lại")
    service.self_assessment_submit(visit=visit, user=lead)
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.SUBMITTED
    assert visit.history.filter(status=Visit.Status.SUBMITTED, self_submitted_by=lead).count() == 2


def test_after_the_deadline_neither_submit_nor_withdraw(world):
    visit = open_visit(world, days_left=-2)
    explain_all(visit)
    lead = world.users["commune_a_lead"]
    with pytest.raises(ValidationError):
        service.self_assessment_submit(visit=visit, user=lead)
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.SUBMITTED)
    visit.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        service.self_assessment_withdraw(visit=visit, user=lead)
    assert code_of(excinfo) == "locked"


def test_once_the_team_appraises_the_lead_cannot_withdraw(world):
    visit = open_visit(world, status=Visit.Status.APPRAISING)
    with pytest.raises(ValidationError):
        service.self_assessment_withdraw(visit=visit, user=world.users["commune_a_lead"])


def test_secretariat_extends_one_communes_deadline_and_the_commune_can_work_again(world):
    visit = open_visit(world, days_left=-3)
    with pytest.raises(ValidationError):
        save(world, score="1")
    new_deadline = TODAY() + dt.timedelta(days=5)
    service.visit_deadline_extend(
        visit=visit, user=world.users["secretariat"], deadline=new_deadline, reason="Công văn 45/UBND"
    )
    visit.refresh_from_db()
    assert visit.effective_deadline == new_deadline
    assert visit.history.first().history_change_reason == "Công văn 45/UBND"
    assert world.visit_b.effective_deadline != new_deadline
    assert save(world, score="1").self_score == Decimal("1")
    state = service.self_assessment_state(visit=visit)
    assert state.extended and state.editable and state.days_left == 5


def test_only_the_secretariat_extends_and_never_into_the_past_or_once_appraising(world):
    visit = open_visit(world, days_left=-3)
    later = TODAY() + dt.timedelta(days=5)
    for persona in ("lead", "inspector", "viewer", "commune_a_lead"):
        with pytest.raises(PermissionDenied):
            service.visit_deadline_extend(visit=visit, user=world.users[persona], deadline=later)
    with pytest.raises(ValidationError):
        service.visit_deadline_extend(
            visit=visit, user=world.users["secretariat"], deadline=TODAY() - dt.timedelta(days=1)
        )
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.APPRAISING)
    visit.refresh_from_db()
    with pytest.raises(ValidationError):
        service.visit_deadline_extend(visit=visit, user=world.users["secretariat"], deadline=later)


def test_after_submission_the_commune_may_answer_the_teams_request_for_explanation(world):
    visit = open_visit(world, days_left=-1, status=Visit.Status.APPRAISING)
    score = CriterionScore.objects.get(visit=visit, criterion=world.leaves[1])
    score.explanation_requested = True
    score.explanation_request = "Đề nghị giải trình việc phân cấp"
    score.save()
    answered = save(world, criterion=world.leaves[1], score=str(score.self_score), explanation="Đã phân cấp theo QĐ 5")
    assert answered.self_explanation == "Đã phân cấp theo QĐ 5"
    with pytest.raises(ValidationError):
        save(world, criterion=world.leaves[1], score="0", explanation="Đổi điểm")
    with pytest.raises(ValidationError):
        save(world, criterion=world.leaves[2], score=str(world.leaves[2].max_score / 2), explanation="Không được hỏi")
