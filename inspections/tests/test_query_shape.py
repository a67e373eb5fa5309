"""Reads stay proportional to what a page shows: pagination, access filters without DISTINCT, fragment saves."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from inspections import selectors
from inspections.models import CriterionScore, TeamMember, Visit
from inspections.results import self_scored_visit_ids
from inspections.tests.factories import (
    CriteriaSetFactory,
    PlanFactory,
    TeamFactory,
    TeamMemberFactory,
    VisitFactory,
)
from inspections.views.campaigns import HOME_PAGE_SIZE


def _campaigns(world, count: int) -> list:
    """`count` more campaigns of the world's district, one a year back from 2019, each visiting both communes."""
    plans = []
    for index in range(count):
        year = 2019 - index
        plan = PlanFactory(
            criteria_set=CriteriaSetFactory(authority=world.district, year=year),
            round_start=dt.date(year, 10, 5),
            round_end=dt.date(year, 10, 14),
            title=f"Kiểm tra CCHC năm {year}",
        )
        for unit in (world.commune_a, world.commune_b):
            VisitFactory(plan=plan, unit=unit)
        plans.append(plan)
    return plans


def _home(client, query: str = ""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home") + query)
    assert response.status_code == 200
    return response, len(captured)


def test_home_shows_a_page_of_campaigns_and_the_next_page_the_rest(world, client):
    _campaigns(world, HOME_PAGE_SIZE + 2)
    client.force_login(world.users["secretariat"])
    first, _ = _home(client)
    body = first.content.decode()
    assert body.count('data-testid="campaign"') == HOME_PAGE_SIZE
    # Newest first: this year's campaign on page 1, the oldest ones on page 2.
    assert world.plan.title in body and "Kiểm tra CCHC năm 2008" not in body
    assert 'href="?page=2"' in body and 'data-testid="pagination"' in body
    second = client.get(reverse("home") + "?page=2").content.decode()
    assert second.count('data-testid="campaign"') == 3
    assert "Kiểm tra CCHC năm 2008" in second and world.plan.title not in second


@pytest.mark.parametrize("page", ["99", "0", "abc", "-1", "2.5"])
def test_a_page_number_out_of_range_or_not_a_number_shows_a_page_not_an_error(world, client, page):
    _campaigns(world, HOME_PAGE_SIZE + 2)
    client.force_login(world.users["lead"])
    response, _ = _home(client, f"?page={page}")
    assert response.content.decode().count('data-testid="campaign"') in {HOME_PAGE_SIZE, 3}


def test_page_links_keep_the_other_parameters_of_the_address(world, client):
    _campaigns(world, HOME_PAGE_SIZE + 2)
    client.force_login(world.users["lead"])
    body = client.get(reverse("home") + "?year=2019&page=1").content.decode()
    assert 'href="?year=2019&amp;page=2"' in body


def test_home_queries_and_campaigns_read_do_not_grow_with_the_campaigns(world, client):
    client.force_login(world.users["secretariat"])
    _campaigns(world, 3)
    _, few = _home(client)
    _campaigns(world, 25)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(captured) == few
    # The visits are read for the campaigns of the page only.
    (visits_query,) = [q["sql"] for q in captured if re.search(r'"inspections_visit"\."plan_id" = ANY\(', q["sql"])]
    plan_ids = re.search(r'"inspections_visit"\."plan_id" = ANY\(ARRAY\[([^\]]*)\]', visits_query).group(1).split(",")
    assert len(plan_ids) == HOME_PAGE_SIZE


def test_a_commune_sees_only_its_own_campaigns_on_every_page(world, client):
    _campaigns(world, HOME_PAGE_SIZE + 2)
    other = _campaigns_for_another_district(world)
    client.force_login(world.users["commune_a"])
    bodies = [client.get(reverse("home") + f"?page={n}").content.decode() for n in (1, 2)]
    assert other.title not in "".join(bodies)
    assert all(str(world.commune_b.name) not in body for body in bodies)


def _campaigns_for_another_district(world):
    from communes.tests.factories import CommuneFactory, DistrictFactory

    district = DistrictFactory(name="Giồng Riềng", parent=world.province)
    plan = PlanFactory(criteria_set=CriteriaSetFactory(authority=district, year=2020), title="Kiểm tra Giồng Riềng")
    VisitFactory(plan=plan, unit=CommuneFactory(name="Ngọc Chúc", parent=district))
    return plan


def test_reports_list_is_paginated_and_survives_a_bad_page(world, client):
    from reports.views import REPORT_INDEX_PAGE_SIZE

    _campaigns(world, REPORT_INDEX_PAGE_SIZE + 1)
    client.force_login(world.users["secretariat"])
    first = client.get(reverse("reports:index")).content.decode()
    assert first.count(reverse("reports:plan_reports", args=[world.plan.pk])) == 1
    assert 'href="?page=2"' in first
    last = client.get(reverse("reports:index") + "?page=2")
    assert last.status_code == 200 and "Kiểm tra CCHC năm 1999" in last.content.decode()
    assert client.get(reverse("reports:index") + "?page=zz").status_code == 200


# Access filters ---------------------------------------------------------------------------------


def _crowd_the_team(world, members: int = 8):
    for index in range(members):
        TeamMemberFactory(team=world.team, user=UserFactory(username=f"member-{index}"), role=TeamMember.Role.MEMBER)


@pytest.mark.parametrize("persona", ["lead", "inspector", "secretariat", "commune_a"])
def test_access_filters_read_each_row_once_without_distinct(world, persona):
    """A crowded team must not multiply the rows read: team membership is an EXISTS, not a join."""
    _crowd_the_team(world)
    user = world.users[persona]
    for queryset in (
        selectors.visit_list_for_user(user, plan=world.plan),
        selectors.score_list_for_user(user, visit=world.visit_a),
        selectors.evidence_list_for_user(user),
        selectors.finding_list_for_user(user),
        selectors.plan_list_for_user(user),
    ):
        sql = str(queryset.query)
        assert "DISTINCT" not in sql
        pks = list(queryset.values_list("pk", flat=True))
        assert len(pks) == len(set(pks))
    scores = selectors.score_list_for_user(user, visit=world.visit_a)
    assert scores.count() == len(world.leaves)


def test_an_inspector_of_another_team_sees_nothing_of_this_campaign(world):
    stranger = UserFactory(username="stranger")
    TeamMemberFactory(team=TeamFactory(plan=PlanFactory()), user=stranger)
    assert not selectors.visit_list_for_user(stranger, plan=world.plan).exists()
    assert not selectors.score_list_for_user(stranger, visit=world.visit_a).exists()
    assert selectors.plan_list_for_user(stranger).count() == 1


def test_self_scored_visits_are_read_one_row_per_visit(world):
    CriterionScore.objects.filter(visit=world.visit_b).update(self_score=None)
    with CaptureQueriesContext(connection) as captured:
        found = self_scored_visit_ids([world.visit_a.pk, world.visit_b.pk])
    assert found == {world.visit_a.pk}
    (query,) = captured
    assert "DISTINCT" not in query["sql"] and "EXISTS" in query["sql"]


def test_the_score_aggregate_joins_neither_visit_nor_plan_nor_unit(world):
    from inspections.scoring import visit_results

    with CaptureQueriesContext(connection) as captured:
        results = visit_results(visits=[world.visit_a, world.visit_b], criteria_set=world.criteria_set)
    assert results[world.visit_a.pk].self_score == sum((c.max_score / 2 for c in world.leaves), Decimal(0))
    aggregate = next(q["sql"] for q in captured if "SUM(" in q["sql"])
    assert '"inspections_visit"' not in aggregate and '"communes_administrativeunit"' not in aggregate


# The self-assessment sheet's htmx save ----------------------------------------------------------


def test_an_htmx_self_score_save_answers_with_its_criterion_and_the_progress_only(world, client):
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SELF_ASSESSMENT)
    criterion = world.leaves[2]
    client.force_login(world.users["commune_a"])
    score = CriterionScore.objects.get(visit=world.visit_a, criterion=criterion)
    response = client.post(
        reverse("inspections:self_score_save", args=[world.visit_a.pk, criterion.pk]),
        {
            f"c{criterion.pk}-self_score": "30",
            f"c{criterion.pk}-self_explanation": "Đã ban hành kế hoạch.",
            f"c{criterion.pk}-version": str(score.version),
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<article") == 1 and f'id="criterion-{criterion.pk}"' in body
    assert 'data-testid="saved"' in body and "hx-swap-oob" in body
    # The other criteria's forms are not built: no other criterion's fields in the answer.
    assert all(f"c{other.pk}-self_score" not in body for other in world.leaves if other != criterion)
    assert CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).self_score == Decimal("30")


def test_the_sheet_draws_every_upload_form_with_its_own_prefix(world, client):
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SELF_ASSESSMENT)
    client.force_login(world.users["commune_a"])
    body = client.get(reverse("inspections:self_assessment", args=[world.visit_a.pk])).content.decode()
    for criterion in world.leaves:
        assert f'name="e{criterion.pk}-file"' in body and f'id="id_e{criterion.pk}-document_date"' in body
        assert f'name="c{criterion.pk}-self_score"' in body
    assert "e-criterion-" not in body


# The workspace's latest changes -----------------------------------------------------------------


def test_the_latest_changes_are_those_of_the_whole_history_read_from_the_objects_changed_last(world):
    from inspections.audit import visit_history
    from inspections.services import appraisal

    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.APPRAISING)
    for round_number in range(1, 6):
        for criterion in world.leaves:
            appraisal.score_appraise(
                visit=world.visit_a,
                criterion=criterion,
                user=world.users["lead"],
                appraised_score=criterion.max_score * Decimal(round_number) / 10,
                comment=f"Lần {round_number}",
                expected_version=CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).version,
            )
    everything = visit_history(visit=world.visit_a)
    latest = visit_history(visit=world.visit_a, latest=6)
    assert len(everything) > 20
    assert [(e.when, e.subject, e.action, e.changes) for e in latest] == [
        (e.when, e.subject, e.action, e.changes) for e in everything[:6]
    ]
    with CaptureQueriesContext(connection) as captured:
        visit_history(visit=world.visit_a, latest=6)
    scores_query = next(q["sql"] for q in captured if "historicalcriterionscore" in q["sql"])
    assert "LIMIT 18" in scores_query


def _told(entries):
    return [(e.when, e.who, e.subject, e.action, e.changes) for e in entries]


def test_the_latest_changes_read_a_few_versions_of_a_score_saved_many_times(world, monkeypatch):
    from inspections import audit
    from inspections.services import appraisal

    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.APPRAISING)
    criterion = world.leaves[2]
    for n in range(1, 41):
        appraisal.score_appraise(
            visit=world.visit_a,
            criterion=criterion,
            user=world.users["lead"],
            appraised_score=Decimal(n % 40),
            comment=f"Lần {n}",
            expected_version=CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).version,
        )
    read = []
    original = audit._read
    monkeypatch.setattr(audit, "_read", lambda sources: read.append(rows := original(sources)) or rows)
    with CaptureQueriesContext(connection) as captured:
        latest = audit.visit_history(visit=world.visit_a, latest=4)
    # The version before is found by numbering the older versions once (a window), not by a subquery run
    # again for every version: that grew with the square of the saves (85 ms for a score saved 1,100 times).
    [versions] = [q["sql"] for q in captured if q["sql"].startswith('SELECT "inspections_historicalcriterionscore"')]
    assert "ROW_NUMBER()" in versions and "LIMIT 1)" not in versions
    # Twelve rows asked for (4 entries × 3) and the version before them: not the score's 41 versions.
    assert sum(len(rows) for rows in read[0].values()) <= 4 * audit.LATEST_ROWS_FACTOR + 1
    assert _told(latest) == _told(audit.visit_history(visit=world.visit_a)[:4])
    # The oldest entry shown is still told against the version before it.
    assert latest[-1].changes and all(change.old != "—" for change in latest[-1].changes)


def test_the_latest_changes_of_one_moment_are_the_first_of_the_whole_history(world):
    from django.utils import timezone

    from inspections.audit import visit_history

    CriterionScore.objects.filter(visit=world.visit_a).update(appraised_score=Decimal("1"))
    CriterionScore.objects.filter(visit=world.visit_a).update(appraised_comment="Đạt")
    # Changes of one moment, as a bulk update or an import writes them.
    CriterionScore.history.filter(visit_id=world.visit_a.pk).update(history_date=timezone.now())
    everything = visit_history(visit=world.visit_a)
    for latest in range(1, 8):
        assert _told(visit_history(visit=world.visit_a, latest=latest)) == _told(everything[:latest])


def test_a_seat_changed_last_is_among_the_latest_changes_with_its_group_by_name(world):
    from inspections.audit import visit_history
    from inspections.services import appraisal

    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.APPRAISING)
    for criterion in world.leaves:
        appraisal.score_appraise(
            visit=world.visit_a,
            criterion=criterion,
            user=world.users["lead"],
            appraised_score=criterion.max_score / 2,
            comment="Đạt",
            expected_version=CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).version,
        )
    seat = TeamMember.objects.get(team=world.team, user=world.users["inspector"])
    seat.group = world.groups[1]
    seat.save()
    with CaptureQueriesContext(connection) as captured:
        latest = visit_history(visit=world.visit_a, latest=3)
    assert _told(latest) == _told(visit_history(visit=world.visit_a)[:3])
    (group_change,) = [c for c in latest[0].changes if c.old == "Nhóm 1"]
    assert group_change.new == "Nhóm 2"
    # One query finds what changed last; the minutes, notice and contests, unchanged lately, are not read.
    assert not [q for q in captured if "historicalminutes" in q["sql"] and "UNION" not in q["sql"]]


# Query budgets of the self-assessment sheet -----------------------------------------------------


def _self_assessment_of(world, leaves: int):
    """A campaign for commune A whose criteria set has `leaves` scored criteria, each self-scored with a file."""
    from inspections.tests.factories import (
        CriterionFactory,
        EvidenceFactory,
        ReviewAreaFactory,
        ScoreFactory,
    )

    criteria_set = CriteriaSetFactory(authority=world.district, year=2021)
    areas = [
        ReviewAreaFactory(criteria_set=criteria_set, code=code, number=str(i + 1), title=code)
        for i, code in enumerate(["procedures", "modernization", "finance"])
    ]
    plan = PlanFactory(criteria_set=criteria_set, title="Kiểm tra CCHC năm 2021")
    visit = VisitFactory(plan=plan, unit=world.commune_a, status=Visit.Status.SELF_ASSESSMENT)
    for index in range(leaves):
        area = areas[index % len(areas)]
        criterion = CriterionFactory(area=area, code=f"{area.number}.{index}", max_score=Decimal("2"), order=index)
        ScoreFactory(visit=visit, criterion=criterion, self_score=Decimal("1"))
        EvidenceFactory(visit=visit, unit=world.commune_a, criterion=criterion)
    return visit


def _count(client, method, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url) if method == "get" else client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(captured)


def test_sheet_and_its_htmx_save_make_as_many_queries_for_40_criteria_as_for_4(world, client):
    client.force_login(world.users["commune_a"])
    counts = []
    for leaves in (4, 40):
        visit = _self_assessment_of(world, leaves)
        criterion = visit.scores.select_related("criterion").first().criterion
        page = _count(client, "get", reverse("inspections:self_assessment", args=[visit.pk]))
        save = _count(
            client,
            "post",
            reverse("inspections:self_score_save", args=[visit.pk, criterion.pk]),
            {
                f"c{criterion.pk}-self_score": "2",
                f"c{criterion.pk}-self_explanation": "Đủ hồ sơ.",
                f"c{criterion.pk}-version": "1",
            },
        )
        counts.append((page, save))
    assert counts[0] == counts[1]


# Query budgets of the htmx saves ----------------------------------------------------------------

# Counted in a test, where each transaction is a savepoint and its release (two statements more).
# The session and the user, the scope (the commune's roles with it), the visit and the criterion; the
# visit locked and reloaded in one read, the score locked, written, its history and the sums' version;
# then the card's files and the progress read as figures (scores, files, criteria). It was 25, then 19.
SHEET_SAVE_QUERIES = 17
# The session and the user, the scope (the conflict of interest with it), the visit with its criteria
# set and the team seat, the criterion with its parent, the group's areas; the contest, the score
# locked, written, its history, the sums' version and the visit entering appraisal; then the row's
# files and the visit's totals (no signed result asked of an open visit). It was 34, then 31.
WORKSPACE_SAVE_QUERIES = 24


def _save_queries(client, url, data) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_an_htmx_self_score_save_keeps_to_its_query_budget(world, client):
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SELF_ASSESSMENT)
    criterion = world.leaves[2]
    client.force_login(world.users["commune_a"])
    version = CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).version
    count, body = _save_queries(
        client,
        reverse("inspections:self_score_save", args=[world.visit_a.pk, criterion.pk]),
        {
            f"c{criterion.pk}-self_score": "30",
            f"c{criterion.pk}-self_explanation": "Đã ban hành kế hoạch.",
            f"c{criterion.pk}-version": str(version),
        },
    )
    assert 'data-testid="saved"' in body and 'id="sa-progress"' in body
    assert count <= SHEET_SAVE_QUERIES


def test_an_htmx_appraised_score_save_keeps_to_its_query_budget(world, client):
    client.force_login(world.users["inspector"])
    criterion = world.leaves[0]
    version = CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).version
    count, body = _save_queries(
        client,
        reverse("inspections:score_save", args=[world.visit_a.pk, criterion.pk]),
        {"appraised_score": "6", "appraised_comment": "Đạt.", "version": str(version)},
    )
    assert 'data-testid="saved"' in body and 'id="area-totals"' in body
    assert count <= WORKSPACE_SAVE_QUERIES


# Query budget of the workspace ------------------------------------------------------------------

# The workspace of a visit with scores, files, a finding, a contest and a history (48 before its reads were shared).
WORKSPACE_QUERIES = 40


def _workspace_of(world, leaves: int):
    """An appraised visit of commune A whose criteria set has `leaves` scored criteria under parents, in three areas.

    Each criterion is appraised (with its history) and has a file; a finding and a filed contest with a file
    are recorded; the lead and the inspector of group 1 sit on the team.
    """
    from inspections.models import ScoreContest
    from inspections.services import appraisal
    from inspections.tests.factories import (
        CriterionFactory,
        EvidenceFactory,
        FindingFactory,
        ReviewAreaFactory,
        ScoreContestFactory,
        ScoreFactory,
        TeamGroupFactory,
    )

    criteria_set = CriteriaSetFactory(authority=world.district, year=2021)
    areas = [
        ReviewAreaFactory(criteria_set=criteria_set, code=code, number=str(i + 1), title=code, order=i)
        for i, code in enumerate(["procedures", "modernization", "finance"])
    ]
    plan = PlanFactory(criteria_set=criteria_set, title="Kiểm tra CCHC năm 2021")
    team = TeamFactory(plan=plan)
    group = TeamGroupFactory(team=team, name="Nhóm 1")
    group.areas.set(areas[:1])
    TeamMemberFactory(team=team, user=world.users["lead"], role=TeamMember.Role.LEAD)
    TeamMemberFactory(team=team, user=world.users["inspector"], role=TeamMember.Role.MEMBER, group=group)
    visit = VisitFactory(plan=plan, unit=world.commune_a, status=Visit.Status.APPRAISING)
    parents = [CriterionFactory(area=area, code=f"{area.number}.0", max_score=Decimal("0"), order=0) for area in areas]
    for index in range(leaves):
        area = areas[index % len(areas)]
        parent = parents[index % len(areas)]
        criterion = CriterionFactory(
            area=area, parent=parent, code=f"{area.number}.0.{index}", max_score=Decimal("2"), order=index + 1
        )
        ScoreFactory(visit=visit, criterion=criterion, self_score=Decimal("1"))
        EvidenceFactory(visit=visit, unit=world.commune_a, criterion=criterion)
        appraisal.score_appraise(
            visit=visit,
            criterion=criterion,
            user=world.users["lead"],
            appraised_score=Decimal("1.5"),
            comment="Đủ hồ sơ.",
            expected_version=CriterionScore.objects.get(visit=visit, criterion=criterion).version,
        )
    first = visit.scores.order_by("criterion__order").first().criterion
    contest = ScoreContestFactory(visit=visit, criterion=first, status=ScoreContest.Status.PENDING)
    EvidenceFactory(visit=visit, unit=world.commune_a, criterion=first, contest=contest)
    FindingFactory(visit=visit, kind="shortcoming", area=areas[0], criterion=first, text="Chưa niêm yết.")
    return visit


@pytest.mark.parametrize("persona", ["lead", "inspector"])
def test_workspace_makes_no_more_queries_for_40_criteria_than_for_4_within_its_budget(world, client, persona):
    client.force_login(world.users[persona])
    counts = []
    for leaves in (4, 40):
        visit = _workspace_of(world, leaves)
        url = reverse("inspections:visit_workspace", args=[visit.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="contest-') >= 1
        counts.append(len(captured))
        # The visit is known to be seen: no read carries the list of the authority's units.
        assert not [q for q in captured if '"authority_id" IN' in q["sql"]]
    # The latest changes are asked for apart, when their section is shown (test_history_table).
    assert counts[1] <= counts[0] <= WORKSPACE_QUERIES
