"""The campaign dashboard and its export; its queries and the workspace's do not grow with the communes."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from communes.tests.factories import CommuneFactory
from inspections.models import CriterionScore, Finding, Visit
from inspections.services import appraisal
from inspections.tests.factories import FindingFactory, VisitFactory


def _grow(world, communes: int):
    """Add communes to the world's campaign until it has `communes` visits, each fully self-scored and appraised."""
    scores = []
    visits = []
    for index in range(communes - 2):
        unit = CommuneFactory(parent=world.district, name=f"Xã {index:03d}")
        visit = VisitFactory(plan=world.plan, unit=unit, status=Visit.Status.SIGNED)
        visits.append(visit)
        for criterion in world.leaves:
            value = criterion.max_score * Decimal("0.8")
            scores.append(
                CriterionScore(
                    visit=visit,
                    criterion=criterion,
                    max_score=criterion.max_score,
                    self_score=value,
                    appraised_score=value,
                )
            )
    CriterionScore.objects.bulk_create(scores)
    for visit in visits[:5]:
        FindingFactory(visit=visit, kind=Finding.Kind.SHORTCOMING)


def _queries(client, url) -> int:
    # A page read once before: the visits' kept score sums (VisitTally) are in place, as on every later read.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_dashboard_shows_percentages_grades_and_links(world, client):
    for criterion, value in zip(world.leaves, ["6", "4", "40", "45"], strict=True):
        appraisal.score_appraise(
            visit=world.visit_a,
            criterion=criterion,
            user=world.users["lead"],
            appraised_score=Decimal(value),
            expected_version=1,
        )
    client.force_login(world.users["viewer"])
    body = client.get(reverse("inspections:plan_dashboard", args=[world.plan.pk])).content.decode()
    assert 'data-testid="dashboard-table"' in body
    assert "95" in body and "Tốt" in body
    assert reverse("inspections:visit_detail", args=[world.visit_a.pk]) in body
    assert "<svg" in body


def test_dashboard_export_is_an_xlsx_with_one_row_per_commune(world, client):
    client.force_login(world.users["secretariat"])
    response = client.get(reverse("inspections:plan_dashboard_export", args=[world.plan.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    communes = [sheet.cell(row=r, column=2).value for r in range(3, sheet.max_row + 1)]
    assert sorted(communes) == sorted([str(world.commune_a), str(world.commune_b)])


@pytest.mark.parametrize("url_name", ["inspections:plan_dashboard", "inspections:plan_dashboard_export"])
def test_dashboard_queries_do_not_grow_with_communes(world, client, url_name):
    client.force_login(world.users["lead"])
    url = reverse(url_name, args=[world.plan.pk])
    _grow(world, 11)
    small = _queries(client, url)
    _grow(world, 150 - 9)
    assert Visit.objects.filter(plan=world.plan).count() == 150
    assert _queries(client, url) == small


def test_workspace_queries_do_not_grow_with_communes(world, client):
    client.force_login(world.users["inspector"])
    url = reverse("inspections:visit_workspace", args=[world.visit_a.pk])
    _grow(world, 11)
    small = _queries(client, url)
    _grow(world, 150 - 9)
    assert _queries(client, url) == small


def test_workspace_queries_do_not_grow_with_findings_or_evidence(world, client):
    client.force_login(world.users["lead"])
    url = reverse("inspections:visit_workspace", args=[world.visit_a.pk])
    first = _queries(client, url)
    for _ in range(5):
        FindingFactory(visit=world.visit_a, kind=Finding.Kind.QUESTION)
        old = FindingFactory(visit=world.visit_b, kind=Finding.Kind.SHORTCOMING)
        FindingFactory(visit=world.visit_a, kind=Finding.Kind.SHORTCOMING, carried_from=old)
    assert _queries(client, url) == first


def test_commune_without_self_scores_shows_a_dash_not_zero(world, client):
    CriterionScore.objects.filter(visit=world.visit_b).update(self_score=None)
    client.force_login(world.users["lead"])
    for url in (
        reverse("inspections:plan_dashboard", args=[world.plan.pk]),
        reverse("inspections:plan_detail", args=[world.plan.pk]),
    ):
        body = client.get(url).content.decode()
        rows = body.split(str(world.commune_b))[1:]
        cell_b = next(r for r in rows if 'data-testid="self-score"' in r).split('data-testid="self-score"')[1]
        assert cell_b.split("</td>")[0].endswith(">—"), (url, cell_b[:200])
        cell_a = body.split(str(world.commune_a))[1].split('data-testid="self-score"')[1].split("</td>")[0]
        assert "50" in cell_a


def test_export_marks_partial_totals_provisional_and_leaves_missing_self_scores_blank(world, client):
    CriterionScore.objects.filter(visit=world.visit_b).update(self_score=None)
    appraisal.score_appraise(
        visit=world.visit_a,
        criterion=world.leaves[0],
        user=world.users["lead"],
        appraised_score=Decimal("6"),
        expected_version=1,
    )
    client.force_login(world.users["secretariat"])
    response = client.get(reverse("inspections:plan_dashboard_export", args=[world.plan.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[2]]
    rows = {sheet.cell(row=r, column=2).value: [c.value for c in sheet[r]] for r in range(3, sheet.max_row + 1)}
    note = headers.index("Ghi chú")
    self_col = headers.index("Điểm tự chấm")
    assert rows[str(world.commune_a)][note] == "tạm tính"
    assert rows[str(world.commune_b)][note] is None
    assert rows[str(world.commune_b)][self_col] is None
    assert rows[str(world.commune_a)][self_col] == 50


@pytest.mark.django_db
def test_a_phone_asks_for_the_narrow_drawing_of_each_chart_and_only_who_may_see_the_dashboard_gets_it(
    world, persona_client
):
    url = reverse("inspections:plan_dashboard", args=[world.plan.pk])
    page = persona_client("lead").get(url).content.decode()
    # The page carries the wide drawings and asks for the narrow ones where they are shown.
    assert page.count('viewBox="0 0 520 ') == 2 and 'viewBox="0 0 320 ' not in page
    assert 'hx-get="' + url + '?chart=area"' in page and 'hx-get="' + url + '?chart=ranking"' in page
    for chart, title in (("area", "Kết quả bình quân theo lĩnh vực"), ("ranking", "Xếp hạng các xã")):
        response = persona_client("lead").get(url, {"chart": chart}, headers={"HX-Request": "true"})
        svg = response.content.decode()
        assert response.status_code == 200 and svg.startswith("<svg") and 'viewBox="0 0 320 ' in svg
        assert title in svg and "<script" not in svg
    # An unknown chart, or a request that is not htmx, gets the page.
    assert "<html" in persona_client("lead").get(url, {"chart": "pie"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in persona_client("lead").get(url, {"chart": "area"}).content.decode()
    for persona in ("commune_a", "anonymous"):
        refused = persona_client(persona).get(url, {"chart": "area"}, headers={"HX-Request": "true"})
        assert refused.status_code == persona_client(persona).get(url).status_code != 200
        assert b'viewBox="0 0 320 ' not in refused.content and b"ranking" not in refused.content


def test_the_provisional_footnote_shows_only_while_a_total_in_the_table_is_provisional(world, client):
    url = reverse("inspections:plan_dashboard", args=[world.plan.pk])
    client.force_login(world.users["lead"])
    # Nothing appraised yet: no total, no asterisk, no footnote.
    assert 'data-testid="provisional-note"' not in client.get(url).content.decode()
    first, *rest = world.leaves
    appraisal.score_appraise(
        visit=world.visit_a, criterion=first, user=world.users["lead"], appraised_score=Decimal("1"), expected_version=1
    )
    body = client.get(url).content.decode()
    assert 'data-testid="provisional-note"' in body and 'title="tạm tính">*</span>' in body
    for criterion in rest:
        appraisal.score_appraise(
            visit=world.visit_a,
            criterion=criterion,
            user=world.users["lead"],
            appraised_score=Decimal("1"),
            expected_version=1,
        )
    body = client.get(url).content.decode()
    assert 'data-testid="provisional-note"' not in body and 'title="tạm tính">*</span>' not in body


def test_unranked_communes_are_listed_in_dictionary_order_not_by_code_point(world, client):
    # By code point "Thạnh" sorts before "Tân" ("h" < "â"); a Vietnamese reader looks for Tân first.
    for name in ("Thạnh Trị", "Tân An", "An Bình"):
        VisitFactory(plan=world.plan, unit=CommuneFactory(name=name, parent=world.commune_a.parent))
    client.force_login(world.users["lead"])
    body = client.get(reverse("inspections:plan_dashboard", args=[world.plan.pk])).content.decode()
    positions = [body.index(f'data-commune="{name}"') for name in ("An Bình", "Tân An", "Thạnh Trị")]
    assert positions == sorted(positions)


def test_a_campaign_with_no_visit_yet_says_so_in_its_table(world, persona_client):
    from inspections.tests.factories import PlanFactory

    plan = PlanFactory(criteria_set=world.criteria_set, authority=world.district, year=world.plan.year + 1)
    response = persona_client("secretariat").get(reverse("inspections:plan_dashboard", args=[plan.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Không có cuộc kiểm tra nào." in body and 'data-testid="dashboard-row"' not in body


def _appraise_first_criterion(world):
    """The team appraises 1.1.1 alone (6 points), where the commune gave itself half of every maximum."""
    appraisal.score_appraise(
        visit=world.visit_a,
        criterion=world.leaves[0],
        user=world.users["lead"],
        appraised_score=Decimal("6"),
        expected_version=1,
    )


def test_the_gap_compares_the_appraised_criteria_with_the_communes_own_score_of_them(world, client):
    # The commune scored every criterion at half its maximum (50 points); the team has appraised 1.1.1 alone.
    _appraise_first_criterion(world)
    client.force_login(world.users["secretariat"])
    url = reverse("inspections:plan_dashboard_export", args=[world.plan.pk])
    for _read in range(2):  # added up, then read from the kept sums
        sheet = load_workbook(io.BytesIO(client.get(url).content)).active
        headers = [c.value for c in sheet[2]]
        rows = {sheet.cell(row=r, column=2).value: [c.value for c in sheet[r]] for r in range(3, sheet.max_row + 1)}
        # 6 appraised against the commune's 3 for that criterion, not against its 50 for all four.
        assert rows[str(world.commune_a)][headers.index("Chênh lệch")] == 3


def test_sums_kept_in_an_earlier_shape_are_added_up_again_not_misread(world, client):
    import hashlib

    from inspections import scoring
    from inspections.models import Criterion, VisitTally

    _appraise_first_criterion(world)
    client.force_login(world.users["secretariat"])
    url = reverse("inspections:plan_dashboard", args=[world.plan.pk])
    client.get(url)
    tally = VisitTally.objects.get(visit=world.visit_a)
    assert all(len(values) == 6 for values in tally.sums.values())
    # As an earlier version kept them: five values per area, under the digest of the criteria alone.
    rows = sorted(
        Criterion.objects.filter(criteria_set=world.criteria_set).values_list("pk", "area_id", "parent_id", "max_score")
    )
    earlier_key = hashlib.sha256(repr([(pk, a, p, str(m)) for pk, a, p, m in rows]).encode()).hexdigest()
    assert earlier_key != tally.criteria_key
    VisitTally.objects.filter(pk=tally.pk).update(
        sums={k: v[:5] for k, v in tally.sums.items()}, criteria_key=earlier_key
    )
    scoring._RESULTS.clear()
    assert client.get(url).status_code == 200
    tally.refresh_from_db()
    assert tally.criteria_key != earlier_key and all(len(values) == 6 for values in tally.sums.values())
    result = scoring.visit_results(visits=[world.visit_a, world.visit_b], criteria_set=world.criteria_set)
    assert result[world.visit_a.pk].gap == Decimal("3")
