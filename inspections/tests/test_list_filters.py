"""Filters of the findings-to-remedy list and of a campaign's visits: in the URL, scoped, never an error page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communes.tests.factories import CommuneFactory
from inspections import scoring
from inspections.models import CriterionScore, Finding, Visit
from inspections.tests.factories import (
    CriteriaSetFactory,
    EvidenceFactory,
    FindingFactory,
    PlanFactory,
    ReviewAreaFactory,
    VisitFactory,
)


def _texts(response) -> set[str]:
    assert response.status_code == 200
    return {f.text for f in response.context["findings"]}


@pytest.fixture
def findings(world):
    """Commune A: an overdue open finding in area 1, a reported one in area 2; commune B one of 2021."""
    past = timezone.localdate() - dt.timedelta(days=10)
    FindingFactory(visit=world.visit_a, area=world.areas[0], text="Quá hạn", due_date=past)
    FindingFactory(visit=world.visit_a, area=world.areas[1], text="Đã báo cáo", status=Finding.Status.REPORTED)
    set_2021 = CriteriaSetFactory(authority=world.district, year=2021)
    area_2021 = ReviewAreaFactory(criteria_set=set_2021, code="procedures", title="Thủ tục hành chính 2021")
    visit_2021 = VisitFactory(plan=PlanFactory(criteria_set=set_2021), unit=world.commune_b)
    FindingFactory(visit=visit_2021, area=area_2021, text="Năm 2021")
    return world


def test_findings_filter_by_commune_area_status_overdue_and_year(findings, client):
    w = findings
    client.force_login(w.users["lead"])
    url = reverse("inspections:remedy_list")
    everything = {"Hạn chế của xã a", "Hạn chế của xã b", "Quá hạn", "Đã báo cáo", "Năm 2021"}
    assert _texts(client.get(url)) == everything
    assert _texts(client.get(url, {"commune": w.commune_b.pk})) == {"Hạn chế của xã b", "Năm 2021"}
    # The area is matched by its code, so the same area of another year's set comes too.
    assert _texts(client.get(url, {"area": "procedures"})) == {
        "Hạn chế của xã a",
        "Hạn chế của xã b",
        "Quá hạn",
        "Năm 2021",
    }
    assert _texts(client.get(url, {"status": "reported"})) == {"Đã báo cáo"}
    assert _texts(client.get(url, {"overdue": "on"})) == {"Quá hạn"}
    assert _texts(client.get(url, {"year": "2021"})) == {"Năm 2021"}
    both = client.get(url, {"commune": w.commune_a.pk, "area": "modernization", "year": "2020"})
    assert _texts(both) == {"Đã báo cáo"}
    body = both.content.decode()
    assert 'data-testid="clear-filters"' in body
    assert f'<option value="{w.commune_a.pk}" selected>' in body


def test_bad_filter_values_are_ignored_with_a_message(findings, client):
    client.force_login(findings.users["lead"])
    url = reverse("inspections:remedy_list")
    for params in ({"commune": "abc"}, {"year": "1900"}, {"status": "deleted"}, {"area": "x" * 500}):
        response = client.get(url, params)
        assert len(_texts(response)) == 5, params
        assert "alert alert-warning" in response.content.decode(), params
    response = client.get(url, {"commune": "\x00", "status": "open", "page": "7"})
    assert _texts(response) == {"Hạn chế của xã a", "Hạn chế của xã b", "Quá hạn", "Năm 2021"}


def test_a_commune_cannot_filter_its_way_to_another_commune(findings, client):
    w = findings
    client.force_login(w.users["commune_a"])
    url = reverse("inspections:remedy_list")
    response = client.get(url, {"commune": w.commune_b.pk})
    assert _texts(response) == {"Hạn chế của xã a", "Quá hạn", "Đã báo cáo"}
    body = response.content.decode()
    assert "Tân Hội" not in body and "2021" not in body.split('data-testid="list-filters"')[1].split("</form>")[0]


def test_findings_list_queries_do_not_grow_with_findings(findings, client):
    client.force_login(findings.users["lead"])
    url = reverse("inspections:remedy_list") + "?overdue=on&year=2020"
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(20):
        unit = CommuneFactory(parent=findings.district, name=f"Xã {n}")
        visit = VisitFactory(plan=findings.plan, unit=unit)
        FindingFactory(visit=visit, area=findings.areas[n % 2], due_date=timezone.localdate() - dt.timedelta(days=1))
    with CaptureQueriesContext(connection) as second:
        assert len(_texts(client.get(url))) == 21
    assert len(second) == len(first)


def _visits(response):
    assert response.status_code == 200
    return [visit for visit, _result, _self in response.context["rows"]]


def test_visits_filter_by_status_and_group_work(world, client):
    client.force_login(world.users["inspector"])
    url = reverse("inspections:plan_detail", args=[world.plan.pk])
    Visit.objects.filter(pk=world.visit_b.pk).update(status=Visit.Status.APPRAISING)
    assert _visits(client.get(url, {"status": "appraising"})) == [world.visit_b]
    # Group 1 appraises area 1 (three criteria): commune A in full, commune B one of three.
    area_1 = [c for c in world.leaves if c.area_id == world.areas[0].pk]
    CriterionScore.objects.filter(visit=world.visit_a, criterion__in=area_1).update(appraised_score=Decimal("1"))
    CriterionScore.objects.filter(visit=world.visit_b, criterion=area_1[0]).update(appraised_score=Decimal("1"))
    group = world.groups[0].pk
    assert _visits(client.get(url, {"group": group, "work": "todo"})) == [world.visit_b]
    assert _visits(client.get(url, {"group": group, "work": "done"})) == [world.visit_a]
    response = client.get(url, {"group": group})
    assert len(_visits(response)) == 2
    progress = response.content.decode().split('data-testid="group-progress"')
    assert progress[1].startswith(">3/3") or progress[2].startswith(">3/3")
    response = client.get(url, {"status": "nope", "group": "999"})
    assert len(_visits(response)) == 2
    assert response.content.decode().count("alert alert-warning") == 2


def test_a_filtered_visit_list_is_an_address_to_share(world, client):
    client.force_login(world.users["viewer"])
    url = reverse("inspections:plan_detail", args=[world.plan.pk])
    body = client.get(url, {"status": "submitted"}).content.decode()
    form = body.split('data-testid="list-filters"')[1].split("</form>")[0]
    assert 'method="get"' in body.split('data-testid="list-filters"')[0].rsplit("<form", 1)[1]
    assert '<option value="submitted" selected>' in form


def test_visit_evidence_filters_by_criterion_and_stays_in_the_commune(world, client):
    other = EvidenceFactory(
        visit=world.visit_a, unit=world.commune_a, criterion=world.leaves[2], original_name="QĐ.pdf"
    )
    url = reverse("inspections:visit_evidence", args=[world.visit_a.pk])
    client.force_login(world.users["commune_a"])
    body = client.get(reverse("inspections:visit_detail", args=[world.visit_a.pk])).content.decode()
    assert url in body
    response = client.get(url)
    assert [e.criterion_id for e in response.context["files"]] == [world.leaves[0].pk, world.leaves[2].pk]
    response = client.get(url, {"criterion": world.leaves[2].pk})
    assert [e.pk for e in response.context["files"]] == [other.pk]
    assert f'<option value="{world.leaves[2].pk}" selected>' in response.content.decode()
    # A criterion without files here, or not a number: ignored with a message.
    for value in (world.leaves[3].pk, "x"):
        response = client.get(url, {"criterion": value})
        assert len(response.context["files"]) == 2 and "alert alert-warning" in response.content.decode()
    client.force_login(world.users["commune_b"])
    assert client.get(url, {"criterion": world.leaves[0].pk}).status_code == 404


def test_visit_evidence_queries_do_not_grow_with_files(world, client):
    client.force_login(world.users["inspector"])
    url = reverse("inspections:visit_evidence", args=[world.visit_a.pk])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(15):
        EvidenceFactory(visit=world.visit_a, unit=world.commune_a, criterion=world.leaves[n % 4])
    with CaptureQueriesContext(connection) as second:
        assert len(client.get(url).context["files"]) == 16
    assert len(second) == len(first)


def test_filtered_visit_list_queries_do_not_grow_with_communes(world, client):
    client.force_login(world.users["lead"])
    url = reverse("inspections:plan_detail", args=[world.plan.pk])
    params = {"status": "submitted", "group": world.groups[0].pk, "work": "todo"}
    scoring._method(world.criteria_set)  # Kept from now on: both counts below read it warm.
    with CaptureQueriesContext(connection) as first:
        client.get(url, params)
    for n in range(20):
        visit = VisitFactory(plan=world.plan, unit=CommuneFactory(parent=world.district, name=f"Xã {n}"))
        CriterionScore.objects.bulk_create(
            CriterionScore(visit=visit, criterion=c, max_score=c.max_score, self_score=c.max_score)
            for c in world.leaves
        )
    with CaptureQueriesContext(connection) as second:
        assert len(_visits(client.get(url, params))) == 22
    assert len(second) == len(first)
