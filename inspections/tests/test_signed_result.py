"""Signed minutes keep their result: no later change to anything alters what was signed.

The visit is signed through the screens at 68,50/100 "Trung bình"; then each object
the result rests on is changed behind the rules' back (as an administrator or a data
fix would), and the visit page, the dashboard and the minutes read the same figures.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from inspections.models import ClassificationBand, Criterion, CriterionScore, Minutes, TeamMember, Visit
from inspections.services import closing
from inspections.tests.factories import BandFactory, CriterionFactory
from reports.models import Report
from reports.rendering.documents import document_html, render_document
from reports.tests import pdf_text

pytestmark = pytest.mark.django_db

# 6 + 2,5 + 30 + 30 = 68,5 of 100: "Trung bình" (50 % to 70 %).
APPRAISED = {"1.1.1": Decimal("6"), "1.1.2": Decimal("2.5"), "1.2": Decimal("30"), "2.1": Decimal("30")}


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _sign(world, client):
    for score in CriterionScore.objects.filter(visit=world.visit_a).select_related("criterion"):
        score.appraised_score = APPRAISED[score.criterion.code]
        score.save(update_fields=["appraised_score"])
    closing.minutes_save(
        visit=world.visit_a,
        user=world.users["lead"],
        held_on=dt.date(2020, 10, 13),
        team_attendees=[{"name": "Trần Minh Vũ", "position": "Trưởng đoàn"}],
        commune_attendees=[{"name": "Huỳnh Văn Tâm", "position": "Chủ tịch UBND xã"}],
    )
    client.force_login(world.users["lead"])
    response = client.post(reverse("inspections:minutes_sign", args=[world.visit_a.pk]))
    assert response.status_code == 302
    assert Visit.objects.get(pk=world.visit_a.pk).status == Visit.Status.SIGNED


def _figures(result):
    grade = result.grade.label if result.grade else None
    areas = [(a.number, a.title, a.max_score, a.appraised_score, a.percent) for a in result.ordered_areas]
    return (result.max_score, result.appraised_score, result.percent, grade, result.is_complete, areas)


def _results_section(html: str) -> str:
    """The minutes' table of results and the sentence under it (non-breaking spaces read as spaces)."""
    section = html[html.index('<table class="data small keep">') :]
    return section[: section.index("</p>")].replace("\xa0", " ")


def _read_everything(world, client):
    """The signed figures as the visit page, the dashboard and the minutes show them."""
    client.force_login(world.users["lead"])
    page = client.get(reverse("inspections:visit_detail", args=[world.visit_a.pk]))
    dashboard = client.get(reverse("inspections:plan_dashboard", args=[world.plan.pk]))
    row = next(r for r in dashboard.context["results"].rows if r.visit.pk == world.visit_a.pk)
    html, _name = document_html(kind=Report.Kind.MINUTES, plan=world.plan, visit=Visit.objects.get(pk=world.visit_a.pk))
    criteria = [(s.criterion.code, s.max_score, s.appraised_score) for s in page.context["scores"]]
    return {
        "page": _figures(page.context["result"]),
        "page_criteria": criteria,
        "page_shows_grade": "Trung bình" in page.content.decode(),
        "dashboard": (_figures(row.result), row.rank),
        "dashboard_shows_grade": "Trung bình" in dashboard.content.decode(),
        "minutes": _results_section(html),
    }


def add_criterion(world):
    CriterionFactory(area=world.areas[0], code="1.3", max_score=Decimal("5"), order=9)


def add_children_to_a_scored_criterion(world):
    CriterionFactory(area=world.areas[0], parent=world.leaves[2], code="1.2.1", max_score=Decimal("40"), order=10)


def move_a_criterion_to_another_area(world):
    Criterion.objects.filter(pk=world.leaves[3].pk).update(area=world.areas[0])


def delete_a_criterion(world):
    CriterionScore.objects.filter(criterion=world.leaves[1]).delete()
    Criterion.objects.filter(pk=world.leaves[1].pk).delete()


def change_a_maximum(world):
    Criterion.objects.filter(pk=world.leaves[2].pk).update(max_score=Decimal("45"))


def change_the_bands(world):
    world.criteria_set.bands.all().delete()
    BandFactory(criteria_set=world.criteria_set, label="Đạt", min_percent=Decimal("60"))
    BandFactory(criteria_set=world.criteria_set, label="Không đạt", min_percent=Decimal("0"))


def change_the_set_total(world):
    type(world.criteria_set).objects.filter(pk=world.criteria_set.pk).update(total_max=Decimal("105"))


def change_a_score(world):
    CriterionScore.objects.filter(visit=world.visit_a, criterion=world.leaves[3]).update(appraised_score=Decimal("50"))


def rename_an_area(world):
    type(world.areas[0]).objects.filter(pk=world.areas[0].pk).update(title="Lĩnh vực khác", number="9")


def change_the_team(world):
    TeamMember.objects.filter(team=world.team, user=world.users["inspector"]).delete()
    TeamMember.objects.filter(team=world.team, role=TeamMember.Role.LEAD).update(role=TeamMember.Role.MEMBER)
    world.groups[1].areas.clear()


def rename_the_commune(world):
    type(world.commune_a).objects.filter(pk=world.commune_a.pk).update(name="Thạnh Đông Mới")


CHANGES = [
    add_criterion,
    add_children_to_a_scored_criterion,
    move_a_criterion_to_another_area,
    delete_a_criterion,
    change_a_maximum,
    change_the_bands,
    change_the_set_total,
    change_a_score,
    rename_an_area,
    change_the_team,
    rename_the_commune,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_no_later_change_alters_the_signed_figures(world, client, change):
    _sign(world, client)
    before = _read_everything(world, client)
    assert before["page"][2] == Decimal("68.50") and before["page"][3] == "Trung bình"
    assert before["page_shows_grade"] and before["dashboard_shows_grade"]
    assert "68,5" in before["minutes"] and "Trung bình" in before["minutes"]
    change(world)
    assert _read_everything(world, client) == before


def test_signed_minutes_pdf_keeps_its_figures(world, client):
    _sign(world, client)
    change_a_maximum(world)
    change_the_bands(world)
    add_criterion(world)
    visit = Visit.objects.get(pk=world.visit_a.pk)
    text = pdf_text.text(render_document(kind=Report.Kind.MINUTES, plan=world.plan, visit=visit).content)
    assert "Tổng cộng 100 50 68,5 68,5" in text and "68,5/100 điểm" in text and "Trung bình" in text
    # 105 as a figure (the set's new total), not inside a document number such as 105/KH-UBND that a factory made.
    assert not re.search(r"(?<![\d/,.])105(?![\d/])", text) and "Đạt" not in text


def test_reopening_discards_the_signed_result_history_keeps_it_and_signing_again_takes_a_new_one(world, client):
    _sign(world, client)
    change_the_bands(world)
    client.force_login(world.users["lead"])
    response = client.post(reverse("inspections:minutes_reopen", args=[world.visit_a.pk]), {"reason": "Sửa khung"})
    assert response.status_code == 302
    minutes = Minutes.objects.get(visit=world.visit_a)
    assert minutes.result_snapshot is None and not minutes.is_signed
    signed_versions = [h.result_snapshot for h in minutes.history.all() if h.result_snapshot]
    assert signed_versions and signed_versions[0]["grade"]["label"] == "Trung bình"
    client.post(reverse("inspections:minutes_sign", args=[world.visit_a.pk]))
    minutes.refresh_from_db()
    assert minutes.is_signed and minutes.result_snapshot["grade"]["label"] == "Đạt"
    assert ClassificationBand.objects.filter(criteria_set=world.criteria_set, label="Đạt").exists()
    page = client.get(reverse("inspections:visit_detail", args=[world.visit_a.pk]))
    assert page.context["result"].grade.label == "Đạt"


def test_the_admin_changes_neither_the_scores_nor_the_minutes_of_a_signed_visit(world, client):
    from accounts.tests.factories import UserFactory

    _sign(world, client)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    score = CriterionScore.objects.get(visit=world.visit_a, criterion=world.leaves[3])
    url = reverse("admin:inspections_criterionscore_change", args=[score.pk])
    assert client.post(url, {"appraised_score": "50", "version": "9"}).status_code == 403
    minutes = Minutes.objects.get(visit=world.visit_a)
    assert client.post(reverse("admin:inspections_minutes_change", args=[minutes.pk]), {}).status_code == 403
    score.refresh_from_db()
    assert score.appraised_score == Decimal("30")


def test_a_campaign_with_scores_keeps_its_criteria_set(world, client):
    from inspections.services.setup import criteria_set_copy

    other = criteria_set_copy(source=world.criteria_set, user=world.users["secretariat"], year=2020, name="Bộ khác")
    client.force_login(world.users["secretariat"])
    data = {
        "year": "2020",
        "number": world.plan.number,
        "issued_on": "15/09/2020",
        "title": world.plan.title,
        "criteria_set": other.pk,
        "forms": ["on_site"],
        "round_start": "05/10/2020",
        "round_end": "14/10/2020",
        "status": "approved",
    }
    response = client.post(reverse("inspections:plan_edit", args=[world.plan.pk]), data)
    assert response.status_code == 200
    assert "không thể thay" in response.content.decode()
    world.plan.refresh_from_db()
    assert world.plan.criteria_set_id == world.criteria_set.pk


def test_minutes_signed_before_results_were_stored_get_theirs_once(world, client):
    import io

    from django.core.management import call_command

    _sign(world, client)
    Minutes.objects.filter(visit=world.visit_a).update(result_snapshot=None)
    out = io.StringIO()
    call_command("snapshot_signed_minutes", stdout=out)
    assert "1 minutes" in out.getvalue()
    stored = Minutes.objects.get(visit=world.visit_a).result_snapshot
    assert stored["percent"] == "68.50" and stored["grade"]["label"] == "Trung bình"
    call_command("snapshot_signed_minutes", stdout=out)
    assert "0 minutes" in out.getvalue()


def test_the_notice_and_the_district_report_keep_the_signed_figures(world, client):
    _sign(world, client)
    closing.conclusion_issue(
        visit=world.visit_a, user=world.users["lead"], number="12/TB-ĐKT", issued_on=dt.date(2020, 10, 20)
    )
    visit = Visit.objects.get(pk=world.visit_a.pk)
    notice_before = _results_section(document_html(kind=Report.Kind.NOTICE, plan=world.plan, visit=visit)[0])
    district_before = document_html(kind=Report.Kind.DISTRICT, plan=world.plan, visit=None)[0]
    assert "68,5" in notice_before and "Trung bình" in notice_before
    assert "68,5" in district_before and "Trung bình" in district_before
    change_a_maximum(world)
    change_the_bands(world)
    notice_after = _results_section(document_html(kind=Report.Kind.NOTICE, plan=world.plan, visit=visit)[0])
    district_after = document_html(kind=Report.Kind.DISTRICT, plan=world.plan, visit=None)[0]
    assert notice_after == notice_before
    assert "68,5" in district_after and "Trung bình" in district_after and "Đạt" not in district_after


def test_a_list_reads_the_signed_totals_without_the_criteria_lines(world, client):
    from inspections import scoring

    _sign(world, client)
    visits = [world.visit_a, world.visit_b]
    full = scoring.visit_results(visits=visits, criteria_set=world.criteria_set)
    totals = scoring.visit_results(visits=visits, criteria_set=world.criteria_set, criteria_lines=False)
    assert full[world.visit_a.pk].is_signed and totals[world.visit_a.pk].is_signed
    assert _figures(totals[world.visit_a.pk]) == _figures(full[world.visit_a.pk])
    assert totals[world.visit_a.pk].total_score == full[world.visit_a.pk].total_score == Decimal("68.5")
    assert len(full[world.visit_a.pk].criteria) == 4 and totals[world.visit_a.pk].criteria == []
    # The stored result itself keeps its lines.
    assert len(Minutes.objects.get(visit=world.visit_a).result_snapshot["criteria"]) == 4
