"""The gap between self and appraised scores: on the workspace, the visit page and the campaign's largest gaps."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.tests.factories import CommuneFactory
from inspections import gaps, scoring
from inspections.models import CriterionScore, Visit
from inspections.services import appraisal, closing
from inspections.tests.factories import VisitFactory


def test_gap_is_appraised_minus_self_and_large_from_half_the_maximum():
    assert gaps.criterion_gap(Decimal("5"), Decimal("3")) == Decimal("-2")
    assert gaps.criterion_gap(None, Decimal("3")) is None and gaps.criterion_gap(Decimal("1"), None) is None
    assert gaps.is_large_gap(Decimal("-2"), Decimal("4"))
    assert gaps.is_large_gap(Decimal("0.5"), Decimal("1"))
    assert not gaps.is_large_gap(Decimal("-1.99"), Decimal("4"))
    assert not gaps.is_large_gap(Decimal("1"), Decimal("0")) and not gaps.is_large_gap(None, Decimal("4"))


def _appraise(world, visit, values):
    """The lead appraises the world's criteria of a visit, in order, with these values (as text)."""
    for criterion, value in zip(world.leaves, values, strict=True):
        score = CriterionScore.objects.get(visit=visit, criterion=criterion)
        appraisal.score_appraise(
            visit=visit,
            criterion=criterion,
            user=world.users["lead"],
            appraised_score=Decimal(value),
            expected_version=score.version,
        )


@pytest.fixture
def appraised(world):
    """Self scores are half of each maximum (3, 2, 20, 25); commune A's appraisal parts from them."""
    _appraise(world, world.visit_a, ["0", "2", "19", "50"])  # gaps −3 (large), 0, −1, +25 (large)
    _appraise(world, world.visit_b, ["2", "1", "20", "25"])  # gaps −1, −1, 0, 0
    return world


def test_workspace_shows_each_criterions_gap_and_marks_the_large_ones(appraised, client):
    client.force_login(appraised.users["lead"])
    body = client.get(reverse("inspections:visit_workspace", args=[appraised.visit_a.pk])).content.decode()
    row = body.split('data-testid="score-row-1.1.1"')[1].split('data-testid="score-row-')[0]
    assert 'data-testid="gap"' in row and "-3" in row.split('data-testid="gap"')[1][:80] and "gap-large" in row
    row = body.split('data-testid="score-row-1.2"')[1].split('data-testid="score-row-')[0]
    assert "gap-large" not in row and ">-1<" in row


def test_saving_a_score_answers_with_the_new_gap(appraised, client):
    client.force_login(appraised.users["lead"])
    criterion = appraised.leaves[2]
    score = CriterionScore.objects.get(visit=appraised.visit_a, criterion=criterion)
    url = reverse("inspections:score_save", args=[appraised.visit_a.pk, criterion.pk])
    response = client.post(url, {"appraised_score": "5", "version": score.version}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    # 40 points at most: −15 is not large, −20 is.
    assert response.status_code == 200 and ">-15<" in body and "gap-large" not in body
    response = client.post(url, {"appraised_score": "0", "version": score.version + 1}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert ">-20<" in body and "gap-large" in body


def test_visit_page_has_a_gap_column_also_once_signed(appraised, client):
    url = reverse("inspections:visit_detail", args=[appraised.visit_a.pk])
    client.force_login(appraised.users["lead"])
    body = client.get(url).content.decode()
    assert body.count('data-testid="gap"') == 4 and body.count("gap-large") == 2 and ">+25<" in body
    # The commune sees no gap while the team's appraisal is unpublished: it sees its own scores only.
    client.force_login(appraised.users["commune_a"])
    body = client.get(url).content.decode()
    assert 'data-testid="gap"' not in body
    closing.minutes_save(
        visit=appraised.visit_a,
        user=appraised.users["lead"],
        held_on=dt.date(2020, 10, 13),
        team_attendees=[{"name": "Trần Minh Vũ", "position": "Trưởng đoàn"}],
        commune_attendees=[{"name": "Huỳnh Văn Tâm", "position": "Chủ tịch UBND xã"}],
    )
    closing.minutes_sign(visit=appraised.visit_a, user=appraised.users["lead"])
    assert Visit.objects.get(pk=appraised.visit_a.pk).status == Visit.Status.SIGNED
    # Later changes to the rows do not reach the signed figures.
    CriterionScore.objects.filter(visit=appraised.visit_a).update(self_score=0)
    body = client.get(url).content.decode()
    assert ">+25<" in body and body.count("gap-large") == 2


def test_largest_gaps_page_lists_large_gaps_first_and_sums_by_criterion(appraised, client):
    client.force_login(appraised.users["viewer"])
    response = client.get(reverse("inspections:plan_gaps", args=[appraised.plan.pk]))
    assert response.status_code == 200
    lines = response.context["lines"]
    # Ranked by the gap's share of the maximum (both half here), then by its size.
    assert [(line.visit.pk, line.code, line.gap) for line in lines[:2]] == [
        (appraised.visit_a.pk, "2.1", Decimal("25")),
        (appraised.visit_a.pk, "1.1.1", Decimal("-3")),
    ]
    assert {line.code for line in lines} == {"1.1.1", "2.1", "1.2", "1.1.2"}
    assert response.context["large_count"] == 2 and response.context["line_count"] == 5
    summary = {entry.code: entry for entry in response.context["criteria"]}
    assert summary["1.1.1"].lines == 2 and summary["1.1.1"].large == 1 and summary["1.1.1"].mean_gap == Decimal("-2")
    body = response.content.decode()
    assert body.count("table-warning") == 2
    assert reverse("inspections:visit_detail", args=[appraised.visit_b.pk]) in body


def test_gaps_page_is_linked_from_the_dashboard_and_campaign_but_not_for_communes(appraised, client):
    url = reverse("inspections:plan_gaps", args=[appraised.plan.pk])
    client.force_login(appraised.users["secretariat"])
    assert url in client.get(reverse("inspections:plan_dashboard", args=[appraised.plan.pk])).content.decode()
    assert url in client.get(reverse("inspections:plan_detail", args=[appraised.plan.pk])).content.decode()
    client.force_login(appraised.users["commune_a"])
    assert url not in client.get(reverse("inspections:plan_detail", args=[appraised.plan.pk])).content.decode()
    assert client.get(url).status_code == 403


def test_gaps_page_without_appraisal_says_so(world, client):
    client.force_login(world.users["lead"])
    body = client.get(reverse("inspections:plan_gaps", args=[world.plan.pk])).content.decode()
    assert 'data-testid="no-gaps"' in body


def test_gaps_page_queries_do_not_grow_with_communes(appraised, client):
    client.force_login(appraised.users["lead"])
    url = reverse("inspections:plan_gaps", args=[appraised.plan.pk])
    scoring._method(appraised.criteria_set)  # Kept from now on: both counts below read it warm.
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    rows = []
    for n in range(30):
        visit = VisitFactory(plan=appraised.plan, unit=CommuneFactory(parent=appraised.district, name=f"Xã {n}"))
        for criterion in appraised.leaves:
            rows.append(
                CriterionScore(
                    visit=visit,
                    criterion=criterion,
                    max_score=criterion.max_score,
                    self_score=criterion.max_score,
                    appraised_score=Decimal(n % 3),
                )
            )
    CriterionScore.objects.bulk_create(rows)
    with CaptureQueriesContext(connection) as second:
        response = client.get(url)
    assert response.context["line_count"] == 5 + 30 * 4
    assert len(second) == len(first)
