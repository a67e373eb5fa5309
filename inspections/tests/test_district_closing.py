"""Closing a visit: sign-off locks scores and findings, reopening needs a reason, the notice's deadline."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from inspections.models import CriterionScore, Finding, Minutes, Visit
from inspections.services import appraisal, closing
from inspections.workdays import add_working_days, conclusion_deadline, is_working_day

ATTENDEES = [{"name": "Trần Minh Vũ", "position": "Trưởng đoàn"}]


@pytest.fixture(autouse=True)
def _vietnamese():
    """Messages built outside a request are read in the product's language, whatever a previous test activated."""
    with translation.override("vi"):
        yield


def _appraise_all(world, visit=None):
    """Give every scored criterion of the visit an appraised score, as a finished appraisal has."""
    for score in CriterionScore.objects.filter(visit=visit or world.visit_a):
        score.appraised_score = score.max_score
        score.save(update_fields=["appraised_score"])


def _minutes(world, user=None, appraised=True):
    if appraised:
        _appraise_all(world)
    return closing.minutes_save(
        visit=world.visit_a,
        user=user or world.users["lead"],
        held_on=dt.date(2020, 10, 13),
        place="Trụ sở UBND xã",
        team_attendees=ATTENDEES,
        commune_attendees=[{"name": "Huỳnh Văn Tâm", "position": "Chủ tịch UBND xã"}],
        summary="Tóm tắt",
    )


def test_deadline_skips_weekends_and_tet():
    # Round ends Friday 5 February 2021; Tết holidays run from 10 to 16 February.
    assert not is_working_day(dt.date(2021, 2, 12))
    assert conclusion_deadline(dt.date(2021, 2, 5)) == dt.date(2021, 3, 5)
    # Without Tết the same count would end on 26 February.
    assert add_working_days(dt.date(2021, 2, 5), 15) != dt.date(2021, 2, 26)


def test_deadline_of_the_demo_round():
    assert conclusion_deadline(dt.date(2020, 10, 14)) == dt.date(2020, 11, 4)


def test_lead_signs_and_scores_and_findings_lock(world):
    _minutes(world)
    minutes = closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])
    assert minutes.signed_by == world.users["lead"] and minutes.signed_at is not None
    world.visit_a.refresh_from_db()
    assert world.visit_a.status == Visit.Status.SIGNED
    with pytest.raises(PermissionDenied):
        appraisal.score_appraise(
            visit=world.visit_a,
            criterion=world.leaves[0],
            user=world.users["inspector"],
            appraised_score=Decimal("1"),
            expected_version=1,
        )
    with pytest.raises(PermissionDenied):
        appraisal.finding_record(
            visit=world.visit_a, user=world.users["inspector"], kind=Finding.Kind.STRENGTH, text="x"
        )


def test_sign_is_refused_while_criteria_are_unappraised(world):
    _minutes(world, appraised=False)
    CriterionScore.objects.filter(visit=world.visit_a, criterion=world.leaves[0]).update(appraised_score=Decimal("3"))
    with pytest.raises(ValidationError) as refused:
        closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])
    message = " ".join(refused.value.messages)
    assert "3 tiêu chí" in message
    assert "1. Thủ tục hành chính" in message and "2. Hiện đại hóa" in message
    world.visit_a.refresh_from_db()
    assert not world.visit_a.is_locked
    # An appraised score of 0 counts as appraised.
    CriterionScore.objects.filter(visit=world.visit_a).update(appraised_score=Decimal("0"))
    closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])


def test_sign_is_refused_when_a_criterion_has_no_score_row(world):
    _minutes(world)
    CriterionScore.objects.filter(visit=world.visit_a, criterion=world.leaves[3]).delete()
    with pytest.raises(ValidationError) as refused:
        closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])
    assert "2. Hiện đại hóa" in " ".join(refused.value.messages)


def test_minutes_page_says_what_is_unappraised_before_signing(world, client):
    _minutes(world, appraised=False)
    client.force_login(world.users["lead"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    body = client.get(reverse("inspections:minutes_edit", args=[world.visit_a.pk])).content.decode()
    assert 'data-testid="unappraised-notice"' in body
    assert "4 tiêu chí" in body
    assert "disabled" in body.split('data-testid="sign-minutes"')[1].split(">")[0]
    response = client.post(reverse("inspections:minutes_sign", args=[world.visit_a.pk]), follow=True)
    assert "4 tiêu chí" in response.content.decode()
    world.visit_a.refresh_from_db()
    assert not world.visit_a.is_locked


def test_only_the_lead_signs(world):
    _minutes(world, world.users["secretariat"])
    with pytest.raises(PermissionDenied):
        closing.minutes_sign(visit=world.visit_a, user=world.users["secretariat"])


def test_sign_needs_attendees_of_both_sides(world):
    _appraise_all(world)
    closing.minutes_save(
        visit=world.visit_a,
        user=world.users["lead"],
        held_on=dt.date(2020, 10, 13),
        team_attendees=ATTENDEES,
        commune_attendees=[],
    )
    with pytest.raises(ValidationError):
        closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])


def test_minutes_dated_in_the_future_are_drafted_but_not_signed(world, client):
    from django.utils import timezone

    _minutes(world)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    Minutes.objects.filter(visit=world.visit_a).update(held_on=tomorrow)
    client.force_login(world.users["lead"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = client.post(reverse("inspections:minutes_sign", args=[world.visit_a.pk]), follow=True)
    assert response.status_code == 200
    assert f"Biên bản ghi ngày {tomorrow:%d/%m/%Y}, ngày này chưa đến" in response.content.decode()
    world.visit_a.refresh_from_db()
    assert not world.visit_a.is_locked and not Minutes.objects.get(visit=world.visit_a).is_signed
    Minutes.objects.filter(visit=world.visit_a).update(held_on=timezone.localdate())
    assert closing.minutes_sign(visit=world.visit_a, user=world.users["lead"]).is_signed


def test_reopen_needs_a_reason_and_unlocks(world):
    _minutes(world)
    closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])
    with pytest.raises(ValidationError):
        closing.minutes_reopen(visit=world.visit_a, user=world.users["lead"], reason=" ")
    with pytest.raises(PermissionDenied):
        closing.minutes_reopen(visit=world.visit_a, user=world.users["inspector"], reason="Sửa")
    minutes = closing.minutes_reopen(visit=world.visit_a, user=world.users["lead"], reason="Chấm lại tiêu chí 1.1.1")
    assert minutes.signed_at is None and minutes.reopen_reason == "Chấm lại tiêu chí 1.1.1"
    world.visit_a.refresh_from_db()
    assert not world.visit_a.is_locked
    score = appraisal.score_appraise(
        visit=world.visit_a,
        criterion=world.leaves[0],
        user=world.users["inspector"],
        appraised_score=Decimal("1"),
        expected_version=1,
    )
    assert score.appraised_score == Decimal("1")


def test_notice_within_fifteen_working_days(world):
    _minutes(world)
    with pytest.raises(ValidationError):
        closing.conclusion_issue(
            visit=world.visit_a, user=world.users["lead"], number="1/TB", issued_on=dt.date(2020, 10, 30)
        )
    closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])
    with pytest.raises(ValidationError) as late:
        closing.conclusion_issue(
            visit=world.visit_a, user=world.users["lead"], number="1/TB", issued_on=dt.date(2020, 11, 5)
        )
    assert "issued_on" in late.value.message_dict
    notice = closing.conclusion_issue(
        visit=world.visit_a,
        user=world.users["lead"],
        number="1/TB",
        issued_on=dt.date(2020, 11, 4),
        remedy_deadline=dt.date(2020, 12, 31),
    )
    assert notice.signer == world.users["lead"]
    world.visit_a.refresh_from_db()
    assert world.visit_a.status == Visit.Status.CONCLUDED
    with pytest.raises(ValidationError):
        closing.minutes_reopen(visit=world.visit_a, user=world.users["lead"], reason="x")
    # An issued notice is an official document: it is not issued a second time.
    with pytest.raises(ValidationError):
        closing.conclusion_issue(
            visit=world.visit_a, user=world.users["lead"], number="2/TB", issued_on=dt.date(2020, 11, 4)
        )
    notice.refresh_from_db()
    assert notice.number == "1/TB"


def test_conclusion_page_shows_the_deadline(world, client):
    client.force_login(world.users["lead"])
    body = client.get(reverse("inspections:conclusion_edit", args=[world.visit_a.pk])).content.decode()
    assert "04/11/2020" in body


def test_new_notice_lists_the_commune_and_the_archive_with_the_drafting_unit_in_vietnamese(world, client):
    _minutes(world)
    closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])
    client.force_login(world.users["lead"])
    body = client.get(reverse("inspections:conclusion_edit", args=[world.visit_a.pk])).content.decode()
    assert "UBND xã Thạnh Đông A;" in body
    assert "Lưu: VT, NV." in body
    assert "Archive" not in body


def test_drafting_unit_code_of_the_authority_goes_into_the_archive_line(world, client):
    world.district.drafting_unit_code = "VP"
    world.district.save(update_fields=["drafting_unit_code"])
    _minutes(world)
    closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])
    client.force_login(world.users["lead"])
    body = client.get(reverse("inspections:conclusion_edit", args=[world.visit_a.pk])).content.decode()
    assert "Lưu: VT, VP." in body


def test_minutes_page_prefills_the_communes_people_chairman_first(world, client):
    client.force_login(world.users["lead"])
    body = client.get(reverse("inspections:minutes_edit", args=[world.visit_a.pk])).content.decode()
    commune_field = body.split('name="commune_attendees"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    names = [line.split(" – ")[0] for line in commune_field.splitlines()]
    assert names == [world.users["commune_a_lead"].get_full_name(), world.users["commune_a"].get_full_name()]
    assert "Chủ tịch UBND xã Thạnh Đông A" in commune_field


def test_minutes_page_prefills_attendees_and_summary_from_findings(world, client):
    client.force_login(world.users["lead"])
    body = client.get(reverse("inspections:minutes_edit", args=[world.visit_a.pk])).content.decode()
    assert "Hạn chế của xã a" in body
    assert "Lead" in body


def test_sign_through_the_view_then_history_shows_who_and_what(world, client):
    _minutes(world)
    client.force_login(world.users["lead"])
    response = client.post(reverse("inspections:minutes_sign", args=[world.visit_a.pk]))
    assert response.status_code == 302
    body = client.get(reverse("inspections:visit_history", args=[world.visit_a.pk])).content.decode()
    assert "Lead" in body
    assert 'data-testid="history-table"' in body


def test_minutes_form_keeps_input_on_error(world, client):
    client.force_login(world.users["lead"])
    response = client.post(
        reverse("inspections:minutes_edit", args=[world.visit_a.pk]),
        {
            "held_on": "not a date",
            "team_attendees": "Trần Văn A – Trưởng đoàn",
            "commune_attendees": "",
            "summary": "Giữ lại",
        },
    )
    assert response.status_code == 200
    assert "Giữ lại" in response.content.decode()


def test_issuing_the_notice_and_signing_ask_for_confirmation(world, client):
    _minutes(world)
    client.force_login(world.users["lead"])
    minutes_page = client.get(reverse("inspections:minutes_edit", args=[world.visit_a.pk])).content.decode()
    sign = reverse("inspections:minutes_sign", args=[world.visit_a.pk])
    assert "data-confirm=" in minutes_page.split(f'action="{sign}"')[1].split(">")[0]
    closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])
    body = client.get(reverse("inspections:conclusion_edit", args=[world.visit_a.pk])).content.decode()
    assert 'data-confirm="Ban hành thông báo kết luận?' in body
    assert "js/district.js" in body


def test_demo_signed_visits_are_fully_appraised(db):
    from inspections.demo.build import load_demo

    load_demo()
    signed = Visit.objects.filter(status__in=Visit.LOCKED_STATUSES).select_related("plan__criteria_set")
    assert signed.exists()
    for visit in signed:
        assert closing.visit_unappraised_criteria(visit=visit) == [], visit


@pytest.mark.parametrize(
    ("opened", "closed", "message"),
    [
        ("8:00", "7:30", "Giờ kết thúc phải sau giờ bắt đầu."),
        ("25:99", "", "Nhập giờ, ví dụ 8:30 hoặc 14:00."),
        ("tám giờ", "", "Nhập giờ, ví dụ 8:30 hoặc 14:00."),
    ],
)
def test_minutes_times_that_cannot_be_get_a_message_and_nothing_is_lost(world, client, opened, closed, message):
    client.force_login(world.users["lead"])
    response = client.post(
        reverse("inspections:minutes_edit", args=[world.visit_a.pk]),
        {
            "held_on": "05/10/2020",
            "opened_at": opened,
            "closed_at": closed,
            "team_attendees": "Trần Văn A – Trưởng đoàn",
            "commune_attendees": "Lê Văn B – Chủ tịch UBND xã",
            "summary": "Giữ lại",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "Giữ lại" in body and f'value="{opened}"' in body
    assert not Minutes.objects.filter(visit=world.visit_a).exists()


def test_minutes_times_typed_as_officials_write_them_are_kept(world, client):
    client.force_login(world.users["lead"])
    response = client.post(
        reverse("inspections:minutes_edit", args=[world.visit_a.pk]),
        {
            "held_on": "05/10/2020",
            "opened_at": "7h30",
            "closed_at": "11.15",
            "team_attendees": "Trần Văn A – Trưởng đoàn",
            "commune_attendees": "Lê Văn B – Chủ tịch UBND xã",
        },
    )
    assert response.status_code == 302
    minutes = Minutes.objects.get(visit=world.visit_a)
    assert (minutes.opened_at, minutes.closed_at) == (dt.time(7, 30), dt.time(11, 15))
    body = client.get(reverse("inspections:minutes_edit", args=[world.visit_a.pk])).content.decode()
    assert 'value="07:30"' in body and 'value="11:15"' in body
