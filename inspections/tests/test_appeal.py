"""Two appraisal rounds and an appeal (phúc tra), from an empty database: services and screens."""

import datetime as dt
from decimal import Decimal

import holidays
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from inspections.demo.portal import sample_pdf
from inspections.models import CriterionScore, Evidence, Minutes, ScoreContest, Visit
from inspections.services import appeal, appraisal, closing
from inspections.tests.factories import MinutesFactory

pytestmark = pytest.mark.django_db

# Round 1 of the world's four criteria (maxima 6, 4, 40, 50).
ROUND_1 = ["3", "2", "30", "40"]


def appraise_all(world, visit=None):
    visit = visit or world.visit_a
    for criterion, value in zip(world.leaves, ROUND_1, strict=True):
        current = CriterionScore.objects.get(visit=visit, criterion=criterion)
        appraisal.score_appraise(
            visit=visit,
            criterion=criterion,
            user=world.users["lead"],
            appraised_score=Decimal(value),
            comment=f"Nhận xét vòng 1 tiêu chí {criterion.code}",
            expected_version=current.version,
        )
    visit.refresh_from_db()
    return visit


def published(world):
    visit = appraise_all(world)
    return appeal.appraisal_publish(visit=visit, user=world.users["lead"])


def contest(world, criterion=None, **kwargs):
    return appeal.score_contest_file(
        visit=Visit.objects.get(pk=world.visit_a.pk),
        criterion_id=(criterion or world.leaves[0]).pk,
        user=world.users["commune_a_lead"],
        explanation=kwargs.pop("explanation", "Xã đã ban hành kế hoạch đúng hạn"),
        **kwargs,
    )


def pdf_upload(name="Quyết định 12-QĐ-UBND.pdf"):
    return SimpleUploadedFile(name, sample_pdf(title="Quyết định", lines=["Số 12/QĐ-UBND"]), "application/pdf")


def working_days_after(start: dt.date, count: int) -> dt.date:
    """Counted by hand here: Monday to Friday, Vietnam's public holidays skipped."""
    vn = holidays.country_holidays("VN", years=[start.year, start.year + 1])
    day = start
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in vn:
            count -= 1
    return day


# Publishing ---------------------------------------------------------------------------


def test_the_appraisal_is_published_only_once_every_criterion_is_appraised(world):
    visit = world.visit_a
    lead = world.users["lead"]
    appraisal.score_appraise(
        visit=visit, criterion=world.leaves[0], user=lead, appraised_score=Decimal("3"), expected_version=1
    )
    with pytest.raises(ValidationError) as refused:
        appeal.appraisal_publish(visit=visit, user=lead)
    assert "1.1.2, 1.2, 2.1" in refused.value.messages[0]
    assert not Visit.objects.get(pk=visit.pk).appraisal_published


def test_the_lead_publishes_and_the_window_runs_the_plans_working_days(world):
    world.plan.appeal_working_days = 3
    world.plan.save()
    visit = published(world)
    assert visit.appraisal_published_by == world.users["lead"]
    assert visit.appeal_deadline == working_days_after(timezone.localdate(), 3)
    assert appeal.appeal_window(visit=visit, today=visit.appeal_deadline).is_open
    after = appeal.appeal_window(visit=visit, today=visit.appeal_deadline + dt.timedelta(days=1))
    assert not after.is_open and date_format(visit.appeal_deadline, "SHORT_DATE_FORMAT") in after.reason
    with pytest.raises(ValidationError):
        appeal.appraisal_publish(visit=visit, user=world.users["lead"])


def test_a_group_inspector_and_the_secretary_do_not_publish(world):
    visit = appraise_all(world)
    for name in ("inspector", "secretariat"):
        with pytest.raises(PermissionDenied):
            appeal.appraisal_publish(visit=visit, user=world.users[name])


# What the commune sees ----------------------------------------------------------------


def test_the_commune_sees_the_teams_scores_only_once_published(world, persona_client):
    visit = appraise_all(world)
    commune = persona_client("commune_a")
    result_url = reverse("inspections:appraisal_result", args=[visit.pk])
    detail_url = reverse("inspections:visit_detail", args=[visit.pk])
    page = commune.get(result_url).content.decode()
    assert 'data-testid="not-published"' in page and "Nhận xét vòng 1" not in page
    assert 'data-testid="team-score"' not in page
    detail = commune.get(detail_url)
    assert all(score.appraised_score is None for score in detail.context["scores"])
    assert detail.context["result"].appraised_count == 0 and detail.context["result"].grade is None
    plan_page = commune.get(reverse("inspections:plan_detail", args=[world.plan.pk]))
    assert all(result.appraised_count == 0 for _visit, result, _scored in plan_page.context["rows"])
    # The team sees its draft all along.
    assert persona_client("viewer").get(detail_url).context["scores"][0].appraised_score == Decimal("3")

    appeal.appraisal_publish(visit=visit, user=world.users["lead"])
    page = commune.get(result_url).content.decode()
    assert "Nhận xét vòng 1 tiêu chí 1.1.1" in page and 'data-testid="appeal-open"' in page
    assert commune.get(detail_url).context["scores"][0].appraised_score == Decimal("3")


def test_another_commune_neither_sees_nor_contests(world, persona_client):
    visit = published(world)
    other = persona_client("commune_b")
    assert other.get(reverse("inspections:appraisal_result", args=[visit.pk])).status_code == 404
    url = reverse("inspections:score_contest", args=[visit.pk, world.leaves[0].pk])
    assert other.post(url, {f"k{world.leaves[0].pk}-explanation": "Xin phúc tra"}).status_code == 404
    assert not ScoreContest.objects.exists()


# Contesting ---------------------------------------------------------------------------


def test_the_commune_lead_contests_in_time_with_new_evidence_through_the_page(world, persona_client):
    visit = published(world)
    criterion = world.leaves[0]
    prefix = f"k{criterion.pk}"
    response = persona_client("commune_a_lead").post(
        reverse("inspections:score_contest", args=[visit.pk, criterion.pk]),
        {
            f"{prefix}-explanation": "Kế hoạch ban hành ngày 10/01, kèm quyết định",
            f"{prefix}-file": pdf_upload(),
            f"{prefix}-document_number": "12/QĐ-UBND",
        },
        follow=True,
    )
    assert response.status_code == 200
    filed = ScoreContest.objects.get(visit=visit, criterion=criterion)
    assert filed.first_score == Decimal("3") and filed.first_comment.startswith("Nhận xét vòng 1")
    assert filed.contested_by == world.users["commune_a_lead"] and filed.is_pending
    evidence = Evidence.objects.get(contest=filed)
    assert evidence.criterion == criterion and evidence.document_number == "12/QĐ-UBND"
    assert evidence.unit == world.commune_a
    page = response.content.decode()
    assert "Kế hoạch ban hành ngày 10/01" in page and "Quyết định 12-QĐ-UBND.pdf" in page


def test_a_refused_file_files_no_contest_and_keeps_the_explanation(world, persona_client):
    visit = published(world)
    criterion = world.leaves[0]
    prefix = f"k{criterion.pk}"
    response = persona_client("commune_a_lead").post(
        reverse("inspections:score_contest", args=[visit.pk, criterion.pk]),
        {
            f"{prefix}-explanation": "Giải thích của xã",
            f"{prefix}-file": SimpleUploadedFile("bien-ban.html", b"<html><script>x</script></html>", "text/html"),
        },
    )
    assert response.status_code == 200
    assert not ScoreContest.objects.exists() and not Evidence.objects.filter(contest__isnull=False).exists()
    page = response.content.decode()
    assert "Giải thích của xã" in page and "is-invalid" in page


def test_a_contest_after_the_window_is_refused_with_the_date(world, persona_client):
    visit = published(world)
    ended = timezone.localdate() - dt.timedelta(days=1)
    Visit.objects.filter(pk=visit.pk).update(appeal_deadline=ended)
    with pytest.raises(ValidationError) as refused:
        contest(world)
    assert date_format(ended, "SHORT_DATE_FORMAT") in refused.value.messages[0]
    response = persona_client("commune_a_lead").post(
        reverse("inspections:score_contest", args=[visit.pk, world.leaves[0].pk]),
        {f"k{world.leaves[0].pk}-explanation": "Xin phúc tra"},
        follow=True,
    )
    # The page speaks Vietnamese: dd/mm/yyyy.
    assert ended.strftime("%d/%m/%Y") in response.content.decode()
    assert not ScoreContest.objects.exists()


def test_no_contest_before_publishing_nor_by_commune_staff(world):
    appraise_all(world)
    with pytest.raises(ValidationError) as refused:
        contest(world)
    assert refused.value.code == "window"
    appeal.appraisal_publish(visit=world.visit_a, user=world.users["lead"])
    with pytest.raises(PermissionDenied):
        appeal.score_contest_file(
            visit=world.visit_a, criterion_id=world.leaves[0].pk, user=world.users["commune_a"], explanation="x"
        )


def test_an_explanation_is_required(world):
    published(world)
    with pytest.raises(ValidationError) as refused:
        contest(world, explanation="   ")
    assert "explanation" in refused.value.message_dict


# Deciding -----------------------------------------------------------------------------


def test_the_second_appraisal_changes_the_score_and_history_keeps_both_rounds(world):
    published(world)
    filed = contest(world)
    decided = appeal.score_contest_decide(
        contest=filed, user=world.users["inspector"], decided_score=Decimal("4.5"), reason="Đủ hồ sơ"
    )
    assert decided.status == ScoreContest.Status.CHANGED and decided.decided_by == world.users["inspector"]
    score = CriterionScore.objects.get(visit=world.visit_a, criterion=world.leaves[0])
    assert score.appraised_score == Decimal("4.5") and score.appraised_comment == "Đủ hồ sơ"
    rounds = list(
        CriterionScore.history.filter(id=score.pk)
        .order_by("history_date", "history_id")
        .values_list("appraised_score", flat=True)
    )
    assert rounds[-2:] == [Decimal("3"), Decimal("4.5")]
    # Totals read the decided score: 4,5 + 2 + 30 + 40 of 100.
    from inspections.scoring import visit_results

    result = visit_results(visits=[world.visit_a], criteria_set=world.criteria_set)[world.visit_a.pk]
    assert result.appraised_score == Decimal("76.5")


def test_the_second_appraisal_may_keep_the_score(world):
    published(world)
    decided = appeal.score_contest_decide(
        contest=contest(world), user=world.users["lead"], decided_score=Decimal("3"), reason="Chưa đủ căn cứ"
    )
    assert decided.status == ScoreContest.Status.KEPT
    assert CriterionScore.objects.get(visit=world.visit_a, criterion=world.leaves[0]).appraised_score == 3


def test_the_decision_is_final_no_second_contest_nor_second_decision(world):
    published(world)
    filed = contest(world)
    with pytest.raises(ValidationError) as twice:
        contest(world)
    assert twice.value.code == "twice"
    appeal.score_contest_decide(contest=filed, user=world.users["lead"], decided_score=Decimal("5"), reason="Đủ")
    with pytest.raises(ValidationError):
        contest(world)
    with pytest.raises(ValidationError):
        appeal.score_contest_decide(contest=filed, user=world.users["lead"], decided_score=Decimal("6"), reason="x")
    with pytest.raises(ValidationError) as direct:
        appraisal.score_appraise(
            visit=world.visit_a,
            criterion=world.leaves[0],
            user=world.users["lead"],
            appraised_score=Decimal("6"),
            expected_version=CriterionScore.objects.get(visit=world.visit_a, criterion=world.leaves[0]).version,
        )
    assert direct.value.code == "contested"


def test_only_who_appraises_the_area_decides_and_the_score_stays_in_range(world):
    published(world)
    filed = contest(world, criterion=world.leaves[3])  # area 2: group 2, not the world's inspector
    with pytest.raises(PermissionDenied):
        appeal.score_contest_decide(
            contest=filed, user=world.users["inspector"], decided_score=Decimal("45"), reason="x"
        )
    with pytest.raises(ValidationError) as refused:
        appeal.score_contest_decide(contest=filed, user=world.users["lead"], decided_score=Decimal("51"), reason="")
    assert set(refused.value.message_dict) == {"decided_score", "reason"}


def test_the_decision_form_in_the_workspace_keeps_what_was_typed_when_refused(world, persona_client):
    published(world)
    filed = contest(world)
    lead = persona_client("lead")
    url = reverse("inspections:contest_decide", args=[filed.pk])
    refused = lead.post(url, {f"d{filed.pk}-decided_score": "9", f"d{filed.pk}-reason": "Lý do đã gõ"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Lý do đã gõ" in page and "is-invalid" in page
    ok = lead.post(url, {f"d{filed.pk}-decided_score": "5,5", f"d{filed.pk}-reason": "Đủ hồ sơ"})
    assert ok.status_code == 302 and ok["Location"].endswith(f"#contest-{filed.pk}")
    assert ScoreContest.objects.get(pk=filed.pk).decided_score == Decimal("5.5")


# Signing ------------------------------------------------------------------------------


def minutes_ready(world):
    return MinutesFactory(
        visit=world.visit_a,
        team_attendees=[{"name": "Lead", "position": "Trưởng đoàn"}],
        commune_attendees=[{"name": "Chủ tịch", "position": "Chủ tịch UBND xã"}],
    )


def test_signing_waits_for_every_contest_to_be_decided_and_for_the_window(world, persona_client):
    minutes_ready(world)
    published(world)
    first = contest(world)
    contest(world, criterion=world.leaves[2])
    lead = world.users["lead"]
    with pytest.raises(ValidationError) as blocked:
        closing.minutes_sign(visit=world.visit_a, user=lead)
    assert "1.1.1, 1.2" in blocked.value.messages[0]
    page = persona_client("lead").get(reverse("inspections:minutes_edit", args=[world.visit_a.pk])).content.decode()
    assert "1.1.1, 1.2" in page and 'data-testid="sign-minutes" disabled' in page

    appeal.score_contest_decide(contest=first, user=lead, decided_score=Decimal("4"), reason="Đủ")
    appeal.score_contest_decide(
        contest=ScoreContest.objects.get(criterion=world.leaves[2]),
        user=lead,
        decided_score=Decimal("30"),
        reason="Giữ",
    )
    # Every contest decided, but the commune may still contest another criterion until the window ends.
    with pytest.raises(ValidationError) as window:
        closing.minutes_sign(visit=world.visit_a, user=lead)
    deadline = Visit.objects.get(pk=world.visit_a.pk).appeal_deadline
    assert date_format(deadline, "SHORT_DATE_FORMAT") in window.value.messages[0]

    appeal.appeal_waive(visit=world.visit_a, user=world.users["commune_a_lead"])
    minutes = closing.minutes_sign(visit=world.visit_a, user=lead)
    assert minutes.is_signed
    signed = {line["code"]: line for line in Minutes.objects.get(pk=minutes.pk).result_snapshot["criteria"]}
    assert Decimal(str(signed["1.1.1"]["appraised_score"])) == Decimal("4")


def test_after_the_window_the_minutes_are_signed_without_a_declaration(world):
    minutes_ready(world)
    published(world)
    Visit.objects.filter(pk=world.visit_a.pk).update(appeal_deadline=timezone.localdate() - dt.timedelta(days=1))
    assert closing.minutes_sign(visit=world.visit_a, user=world.users["lead"]).is_signed


def test_after_declaring_no_contest_none_is_accepted(world, persona_client):
    published(world)
    response = persona_client("commune_a_lead").post(
        reverse("inspections:appeal_waive", args=[world.visit_a.pk]), follow=True
    )
    assert 'data-testid="appeal-closed"' in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        contest(world)
    assert refused.value.code == "window"
    assert (
        persona_client("commune_a").post(reverse("inspections:appeal_waive", args=[world.visit_a.pk])).status_code
        == 403
    )


# The team's screens -------------------------------------------------------------------


def test_the_dashboard_and_workspace_list_contests_until_decided(world, persona_client):
    published(world)
    filed = contest(world)
    dashboard_url = reverse("inspections:plan_dashboard", args=[world.plan.pk])
    page = persona_client("viewer").get(dashboard_url).content.decode()
    assert 'data-testid="dashboard-contests"' in page and f"{world.commune_a.name}: 1" in page
    assert reverse("inspections:appraisal_result", args=[world.visit_a.pk]) in page
    workspace = persona_client("inspector").get(reverse("inspections:visit_workspace", args=[world.visit_a.pk]))
    content = workspace.content.decode()
    assert 'data-testid="contest-1.1.1"' in content and 'data-testid="decide-contest"' in content
    appeal.score_contest_decide(contest=filed, user=world.users["lead"], decided_score=Decimal("4"), reason="Đủ")
    assert 'data-testid="dashboard-contests"' not in persona_client("viewer").get(dashboard_url).content.decode()


def test_the_visit_history_shows_round_one_the_contest_and_round_two(world, persona_client):
    published(world)
    filed = contest(world)
    appeal.score_contest_decide(
        contest=filed, user=world.users["lead"], decided_score=Decimal("4.5"), reason="Lý do vòng 2"
    )
    response = persona_client("viewer").get(reverse("inspections:visit_history", args=[world.visit_a.pk]))
    subjects = [(entry.subject, [(c.old, c.new) for c in entry.changes]) for entry in response.context["entries"]]
    contest_entries = [changes for subject, changes in subjects if subject.endswith("1.1.1") and "ĐK" not in subject]
    flat = [pair for changes in contest_entries for pair in changes]
    assert ("3", "4,5") in flat  # the score row: round 1 → round 2
    page = response.content.decode()
    assert "Xã đã ban hành kế hoạch đúng hạn" in page and "Lý do vòng 2" in page


def test_the_plan_form_sets_the_number_of_working_days(world, persona_client):
    from inspections.forms.setup import PlanForm

    form = PlanForm(instance=world.plan, criteria_sets=world.criteria_set.__class__.objects.all())
    assert "appeal_working_days" in form.fields
    bad = PlanForm(
        {"appeal_working_days": "0"}, instance=world.plan, criteria_sets=world.criteria_set.__class__.objects.all()
    )
    bad.is_valid()
    assert "appeal_working_days" in bad.errors
    kept = PlanForm({}, instance=world.plan, criteria_sets=world.criteria_set.__class__.objects.all())
    kept.is_valid()
    assert "appeal_working_days" not in kept.errors and kept.cleaned_data["appeal_working_days"] == 5


def test_published_scores_change_only_through_contests_until_signed_minutes_are_reopened(world, persona_client):
    published(world)
    lead = world.users["lead"]
    criterion = world.leaves[1]

    def change(value):
        current = CriterionScore.objects.get(visit=world.visit_a, criterion=criterion)
        return appraisal.score_appraise(
            visit=world.visit_a,
            criterion=criterion,
            user=lead,
            appraised_score=Decimal(value),
            expected_version=current.version,
        )

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        change("1")
    assert "published to the commune" in refused.value.messages[0]
    page = persona_client("lead").get(reverse("inspections:visit_workspace", args=[world.visit_a.pk]))
    assert 'data-testid="appraised-input"' not in page.content.decode()

    minutes_ready(world)
    Visit.objects.filter(pk=world.visit_a.pk).update(appeal_deadline=timezone.localdate() - dt.timedelta(days=1))
    closing.minutes_sign(visit=world.visit_a, user=lead)
    closing.minutes_reopen(visit=world.visit_a, user=lead, reason="Sửa sai sót điểm 1.1.2")
    assert change("1").appraised_score == Decimal("1")


def test_staff_prepare_a_draft_the_team_does_not_see_and_the_commune_lead_files_it(world, persona_client):
    visit = published(world)
    criterion = world.leaves[2]
    prefix = f"k{criterion.pk}"
    url = reverse("inspections:score_contest", args=[visit.pk, criterion.pk])
    staff = persona_client("commune_a")
    response = staff.post(
        url, {f"{prefix}-explanation": "Bản giải trình do công chức soạn", f"{prefix}-file": pdf_upload()}, follow=True
    )
    draft = ScoreContest.objects.get(visit=visit, criterion=criterion)
    assert draft.is_draft and draft.prepared_by == world.users["commune_a"] and draft.contested_at is None
    assert 'data-testid="draft"' in response.content.decode()
    # Not yet the team's business: no decision form, no dashboard count, nothing in the history, no signing block.
    workspace = persona_client("lead").get(reverse("inspections:visit_workspace", args=[visit.pk])).content.decode()
    assert f'data-testid="contest-{criterion.code}"' not in workspace and "Quyết định 12-QĐ-UBND.pdf" not in workspace
    dashboard = persona_client("viewer").get(reverse("inspections:plan_dashboard", args=[world.plan.pk]))
    assert 'data-testid="dashboard-contests"' not in dashboard.content.decode()
    decide = persona_client("lead").post(
        reverse("inspections:contest_decide", args=[draft.pk]),
        {f"d{draft.pk}-decided_score": "35", f"d{draft.pk}-reason": "x"},
    )
    assert decide.status_code == 404
    assert appeal.pending_contests(visit=visit) == []
    # Nor can the team find the draft's file by searching or open it by its address.
    draft_file = draft.evidence.get()
    found = persona_client("lead").get(reverse("inspections:search"), {"q": "Quyết định 12"}).content.decode()
    assert "Quyết định 12-QĐ-UBND.pdf" not in found
    download = reverse("inspections:evidence_download", args=[draft_file.pk])
    assert persona_client("lead").get(download).status_code == 404
    assert persona_client("commune_a_lead").get(download).status_code == 200

    # The commune lead finds the draft, its explanation and document, and files it.
    lead_page = persona_client("commune_a_lead").get(reverse("inspections:appraisal_result", args=[visit.pk]))
    assert "Bản giải trình do công chức soạn" in lead_page.content.decode()
    persona_client("commune_a_lead").post(url, {f"{prefix}-explanation": "Bản giải trình do công chức soạn, đã duyệt"})
    filed = ScoreContest.objects.get(pk=draft.pk)
    assert filed.is_pending and filed.contested_by == world.users["commune_a_lead"]
    assert filed.explanation.endswith("đã duyệt") and filed.evidence.count() == 1
    with pytest.raises(ValidationError) as twice:
        appeal.score_contest_prepare(
            visit=visit, criterion_id=criterion.pk, user=world.users["commune_a"], explanation="Lần nữa"
        )
    assert twice.value.code == "twice"
