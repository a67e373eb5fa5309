"""Appraisal at a visit: scores in range, comma or point, conflicts, group areas, findings, re-checks, answers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from inspections.forms.appraisal import ScoreForm
from inspections.models import CriterionScore, Finding, Visit
from inspections.services import appraisal
from inspections.tests.factories import FindingFactory


@pytest.fixture(autouse=True)
def _vietnamese():
    """Messages built outside a request are read in the product's language, whatever a previous test activated."""
    with translation.override("vi"):
        yield


def _appraise(world, user, criterion, value, version=1, **extra):
    return appraisal.score_appraise(
        visit=world.visit_a,
        criterion=criterion,
        user=user,
        appraised_score=value,
        expected_version=version,
        **extra,
    )


@pytest.mark.parametrize("typed", ["5,5", "5.5", " 5,5 "])
def test_score_form_accepts_comma_and_point(world, typed, settings):
    form = ScoreForm({"appraised_score": typed, "version": "1"}, criterion=world.leaves[0])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["appraised_score"] == Decimal("5.5")


@pytest.mark.parametrize("typed", ["7", "-1", "abc", "1,234"])
def test_score_form_rejects_out_of_range_or_garbage_with_a_message(world, typed):
    form = ScoreForm({"appraised_score": typed, "version": "1"}, criterion=world.leaves[0])
    assert not form.is_valid()
    assert form.errors["appraised_score"]


def test_score_out_of_range_message_names_the_maximum(world):
    form = ScoreForm({"appraised_score": "7", "version": "1"}, criterion=world.leaves[0])
    form.is_valid()
    assert "6" in form.errors["appraised_score"][0]


def test_service_refuses_a_score_above_the_maximum(world):
    with pytest.raises(ValidationError):
        _appraise(world, world.users["inspector"], world.leaves[0], Decimal("6.5"))


def test_inspector_saves_a_score_of_his_group_and_the_visit_enters_appraisal(world):
    score = _appraise(world, world.users["inspector"], world.leaves[0], Decimal("5.5"), comment="Đủ hồ sơ")
    assert score.appraised_score == Decimal("5.5")
    assert score.version == 2
    assert score.appraised_by == world.users["inspector"]
    world.visit_a.refresh_from_db()
    assert world.visit_a.status == Visit.Status.APPRAISING


def test_inspector_cannot_appraise_another_groups_area(world):
    with pytest.raises(PermissionDenied):
        _appraise(world, world.users["inspector"], world.leaves[3], Decimal("10"))


def test_second_save_from_a_stale_form_is_a_conflict_showing_the_other_value(world):
    inspector, lead = world.users["inspector"], world.users["lead"]
    _appraise(world, inspector, world.leaves[0], Decimal("5"), version=1)
    with pytest.raises(appraisal.ScoreConflict) as caught:
        _appraise(world, lead, world.leaves[0], Decimal("3"), version=1)
    assert caught.value.current.appraised_score == Decimal("5")
    assert "5" in caught.value.messages[0]
    assert CriterionScore.objects.get(visit=world.visit_a, criterion=world.leaves[0]).appraised_score == Decimal("5")


def test_conflict_through_the_view_keeps_the_typed_value_and_shows_the_other(world, client):
    url = reverse("inspections:score_save", args=[world.visit_a.pk, world.leaves[0].pk])
    client.force_login(world.users["inspector"])
    client.post(url, {"appraised_score": "5", "version": "1"}, HTTP_HX_REQUEST="true")
    client.force_login(world.users["lead"])
    response = client.post(url, {"appraised_score": "3,25", "version": "1"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="conflict"' in body
    assert 'value="3,25"' in body
    assert 'name="version" value="2"' in body


def test_htmx_save_returns_the_row_and_out_of_band_totals(world, client):
    client.force_login(world.users["inspector"])
    url = reverse("inspections:score_save", args=[world.visit_a.pk, world.leaves[0].pk])
    response = client.post(url, {"appraised_score": "6", "version": "1"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="score-row-' in body
    assert 'hx-swap-oob="true"' in body
    assert 'data-testid="saved"' in body


def test_out_of_range_through_the_view_is_a_message_not_an_error(world, client):
    client.force_login(world.users["inspector"])
    url = reverse("inspections:score_save", args=[world.visit_a.pk, world.leaves[0].pk])
    response = client.post(url, {"appraised_score": "9", "version": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-testid="score-error"' in response.content.decode()
    assert CriterionScore.objects.get(visit=world.visit_a, criterion=world.leaves[0]).appraised_score is None


def test_workspace_shows_only_the_inspectors_group_criteria(world, client):
    client.force_login(world.users["inspector"])
    body = client.get(reverse("inspections:visit_workspace", args=[world.visit_a.pk])).content.decode()
    assert 'data-testid="score-row-1.1.1"' in body
    assert 'data-testid="score-row-2.1"' not in body


def test_explanation_request_needs_a_question(world):
    with pytest.raises(ValidationError):
        _appraise(world, world.users["inspector"], world.leaves[0], None, explanation_requested=True)
    score = _appraise(
        world,
        world.users["inspector"],
        world.leaves[0],
        None,
        explanation_requested=True,
        explanation_request="Bổ sung quyết định?",
    )
    assert score.explanation_requested and score.explanation_request == "Bổ sung quyết định?"


def test_finding_recorded_in_the_inspectors_area_only(world):
    inspector = world.users["inspector"]
    finding = appraisal.finding_record(
        visit=world.visit_a,
        user=inspector,
        kind=Finding.Kind.SHORTCOMING,
        area=world.areas[0],
        criterion=world.leaves[0],
        text="Niêm yết chưa đầy đủ",
        recommendation="Niêm yết lại",
    )
    assert finding.status == Finding.Status.OPEN and finding.created_by == inspector
    with pytest.raises(PermissionDenied):
        appraisal.finding_record(
            visit=world.visit_a, user=inspector, kind=Finding.Kind.STRENGTH, area=world.areas[1], text="x"
        )


def test_finding_criterion_must_be_in_its_area(world):
    with pytest.raises(ValidationError):
        appraisal.finding_record(
            visit=world.visit_a,
            user=world.users["lead"],
            kind=Finding.Kind.STRENGTH,
            area=world.areas[1],
            criterion=world.leaves[0],
            text="x",
        )


def test_recheck_of_a_carried_finding(world):
    old = FindingFactory(visit=world.visit_b, kind=Finding.Kind.SHORTCOMING, status=Finding.Status.CARRIED_OVER)
    carried = FindingFactory(visit=world.visit_a, kind=Finding.Kind.SHORTCOMING, carried_from=old)
    appraisal.finding_recheck(finding=carried, user=world.users["inspector"], remedied=True)
    carried.refresh_from_db()
    assert carried.status == Finding.Status.REMEDIED and carried.rechecked_by == world.users["inspector"]
    appraisal.finding_recheck(finding=carried, user=world.users["inspector"], remedied=False)
    carried.refresh_from_db()
    assert carried.status == Finding.Status.OPEN and carried.resolved_at is None


def test_commune_question_answered_by_the_team(world):
    question = FindingFactory(visit=world.visit_a, kind=Finding.Kind.QUESTION, text="Xin lỗi thế nào?")
    appraisal.finding_answer(finding=question, user=world.users["lead"], answer="Theo quy định.")
    question.refresh_from_db()
    assert question.status == Finding.Status.ANSWERED and question.answered_by == world.users["lead"]


def test_workspace_links_evidence_files_and_shows_latest_changes(world, client):
    from inspections.models import Evidence
    from inspections.views.district.common import evidence_url

    evidence = Evidence.objects.get(visit=world.visit_a)
    client.force_login(world.users["inspector"])
    body = client.get(reverse("inspections:visit_workspace", args=[world.visit_a.pk])).content.decode()
    url = evidence_url(evidence)
    assert (url and f'href="{url}"' in body) or (url is None and evidence.original_name in body)
    # The latest changes come when their section is shown (htmx), from the history page's address.
    assert 'data-testid="latest-changes"' in body
    latest = reverse("inspections:visit_history", args=[world.visit_a.pk]) + "?part=latest"
    assert 'data-testid="history-table"' in client.get(latest, HTTP_HX_REQUEST="true").content.decode()


@pytest.mark.parametrize("due", [dt.date(1900, 1, 1), dt.date(2020, 10, 4), dt.date(2099, 12, 31)])
def test_finding_due_date_before_the_visit_or_absurdly_far_is_refused(world, due):
    with pytest.raises(ValidationError) as refused:
        appraisal.finding_record(
            visit=world.visit_a,
            user=world.users["inspector"],
            kind=Finding.Kind.SHORTCOMING,
            area=world.areas[0],
            text="Niêm yết chưa đầy đủ",
            due_date=due,
        )
    assert "05/10/2020" in refused.value.message_dict["due_date"][0]


def test_finding_due_date_after_the_visit_is_kept(world):
    finding = appraisal.finding_record(
        visit=world.visit_a,
        user=world.users["inspector"],
        kind=Finding.Kind.SHORTCOMING,
        area=world.areas[0],
        text="Niêm yết chưa đầy đủ",
        due_date=dt.date(2020, 12, 31),
    )
    assert finding.due_date == dt.date(2020, 12, 31)


def test_finding_form_due_date_1900_shows_the_message_on_the_field(world, client):
    client.force_login(world.users["inspector"])
    response = client.post(
        reverse("inspections:finding_create", args=[world.visit_a.pk]),
        {
            "finding-kind": "shortcoming",
            "finding-area": world.areas[0].pk,
            "finding-text": "Hạn chế",
            "finding-due_date": "01/01/1900",
        },
    )
    assert response.status_code == 200
    assert "Hạn khắc phục phải trong khoảng từ 05/10/2020" in response.content.decode()
    assert not Finding.objects.filter(text="Hạn chế").exists()


def test_comment_longer_than_the_limit_is_refused_with_a_message(world):
    form = ScoreForm(
        {"appraised_score": "5", "appraised_comment": "x" * 5001, "version": "1"}, criterion=world.leaves[0]
    )
    assert not form.is_valid()
    assert "5000" in form.errors["appraised_comment"][0] and "5001" in form.errors["appraised_comment"][0]
    form = ScoreForm(
        {"appraised_score": "5", "appraised_comment": "x" * 5000, "version": "1"}, criterion=world.leaves[0]
    )
    assert form.is_valid(), form.errors


def test_negative_score_gets_the_range_message(world):
    form = ScoreForm({"appraised_score": "-1", "version": "1"}, criterion=world.leaves[0])
    assert not form.is_valid()
    assert form.errors["appraised_score"][0].startswith("Điểm phải")


@pytest.mark.parametrize(("typed", "value"), [("2.50000", "2.5"), ("2,500", "2.5"), ("3.00", "3")])
def test_score_with_trailing_zeros_is_accepted(world, typed, value):
    form = ScoreForm({"appraised_score": typed, "version": "1"}, criterion=world.leaves[0])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["appraised_score"] == Decimal(value)


def test_score_with_three_real_decimals_is_refused(world):
    form = ScoreForm({"appraised_score": "2.505", "version": "1"}, criterion=world.leaves[0])
    assert not form.is_valid()


def test_score_error_without_javascript_names_the_field_by_its_label(world, client):
    client.force_login(world.users["inspector"])
    url = reverse("inspections:score_save", args=[world.visit_a.pk, world.leaves[0].pk])
    response = client.post(url, {"appraised_score": "9", "version": "1"}, follow=True)
    body = response.content.decode()
    assert "appraised_score" not in body.split("<main")[-1].split("score-row")[0]
    assert "Điểm thẩm định: Điểm phải" in body


def test_the_first_appraisal_sends_the_visits_new_status_and_later_ones_do_not(world, client):
    assert world.visit_a.status == Visit.Status.SUBMITTED
    client.force_login(world.users["lead"])
    first = reverse("inspections:score_save", args=[world.visit_a.pk, world.leaves[0].pk])
    body = client.post(first, {"appraised_score": "6", "version": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="visit-status" data-testid="visit-status" hx-swap-oob="true">Đang thẩm định</span>' in body
    second = reverse("inspections:score_save", args=[world.visit_a.pk, world.leaves[1].pk])
    body = client.post(second, {"appraised_score": "4", "version": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="visit-status"' not in body
    # The page itself carries the badge the answer replaces.
    page = client.get(reverse("inspections:visit_workspace", args=[world.visit_a.pk])).content.decode()
    assert 'id="visit-status" data-testid="visit-status">Đang thẩm định</span>' in page
