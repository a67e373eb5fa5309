"""A campaign made in the application, walked through its screens as a new user would, outside any prepared rows."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspections.models import CriterionScore, Finding, InspectionPlan, Remedy, TeamMember, Visit
from inspections.tests.factories import FindingFactory, MinutesFactory
from tests.forms import form_with

pytestmark = pytest.mark.django_db


def signed_in(world, name):
    client = Client()
    client.force_login(world.users[name])
    return client


def next_year_through_its_screen(world):
    """The secretariat opens next year's campaign form and saves it as shown, with only the plan number typed."""
    client = signed_in(world, "secretariat")
    url = reverse("inspections:plan_next", args=[world.plan.pk])
    form = form_with(client.get(url).content.decode(), "criteria_set")
    data = dict(form["values"], number="15/KH-UBND")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    return InspectionPlan.objects.get(previous=world.plan), form


def test_next_years_form_as_first_shown_copies_last_years_criteria_set(world):
    plan, form = next_year_through_its_screen(world)
    assert form["values"]["criteria_set"] == ""
    # Last year's set would be refused for the new year, so it is not offered.
    assert str(world.criteria_set.pk) not in form["options"]["criteria_set"]
    assert plan.year == 2021 and plan.criteria_set.year == 2021
    assert plan.criteria_set.copied_from == world.criteria_set


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_commune_saves_its_first_score_in_next_years_campaign(world, javascript):
    plan, _form = next_year_through_its_screen(world)
    visit = plan.visits.get(unit=world.commune_b)
    assert not CriterionScore.objects.filter(visit=visit).exists()
    secretariat = signed_in(world, "secretariat")
    new_deadline = timezone.localdate() + dt.timedelta(days=10)
    response = secretariat.post(
        reverse("inspections:deadline_extend", args=[visit.pk]),
        {"deadline": new_deadline.strftime("%d/%m/%Y"), "reason": "Công văn số 45/UBND"},
    )
    assert response.status_code == 302

    commune = signed_in(world, "commune_b")
    page = commune.get(reverse("inspections:self_assessment", args=[visit.pk])).content.decode()
    first = plan.criteria_set.criteria.filter(children__isnull=True).order_by("order", "code").first()
    form = form_with(page, f"c{first.pk}-self_score")
    data = dict(form["values"], **{f"c{first.pk}-self_score": "1"})
    headers = {"HX-Request": "true"} if javascript else {}
    response = commune.post(form["action"], data, headers=headers)

    assert response.status_code == (200 if javascript else 302)
    score = CriterionScore.objects.get(visit=visit, criterion=first)
    assert score.self_score == Decimal("1") and score.self_by == world.users["commune_b"]
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SELF_ASSESSMENT
    # The next save from the page as it now stands is not taken for someone else's.
    page = commune.get(reverse("inspections:self_assessment", args=[visit.pk])).content.decode()
    form = form_with(page, f"c{first.pk}-self_score")
    response = commune.post(form["action"], dict(form["values"], **{f"c{first.pk}-self_score": "0,5"}))
    assert response.status_code == 302
    score.refresh_from_db()
    assert score.self_score == Decimal("0.5")


def self_assessing(visit, *, days_left):
    visit.status = Visit.Status.SELF_ASSESSMENT
    visit.self_assessment_deadline = timezone.localdate() + dt.timedelta(days=days_left)
    visit.save()
    return visit


def appraise_first_criterion(world, visit, value="3"):
    inspector = signed_in(world, "inspector")
    page = inspector.get(reverse("inspections:visit_workspace", args=[visit.pk])).content.decode()
    leaf = world.leaves[0]
    url = reverse("inspections:score_save", args=[visit.pk, leaf.pk])
    version = CriterionScore.objects.get(visit=visit, criterion=leaf).version
    response = inspector.post(url, {"appraised_score": value, "version": str(version)}, follow=True)
    return page, response


def test_inspector_cannot_appraise_before_the_commune_submits(world):
    visit = self_assessing(world.visit_a, days_left=5)
    page, response = appraise_first_criterion(world, visit)
    assert 'data-testid="appraisal-closed"' in page and "appraised_score" not in page
    assert "Việc thẩm định chỉ bắt đầu khi Chủ tịch UBND xã gửi kết quả tự đánh giá" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SELF_ASSESSMENT
    assert CriterionScore.objects.get(visit=visit, criterion=world.leaves[0]).appraised_score is None
    finding = signed_in(world, "inspector").post(
        reverse("inspections:finding_create", args=[visit.pk]),
        {"finding-kind": "shortcoming", "finding-area": world.areas[0].pk, "finding-text": "Quá sớm"},
    )
    assert finding.status_code == 302 and not visit.findings.filter(text="Quá sớm").exists()

    # The commune still works on its own self-assessment, then its lead submits it.
    commune = signed_in(world, "commune_a")
    sheet = commune.get(reverse("inspections:self_assessment", args=[visit.pk])).content.decode()
    leaf = world.leaves[0]
    form = form_with(sheet, f"c{leaf.pk}-self_score")
    assert commune.post(form["action"], dict(form["values"], **{f"c{leaf.pk}-self_score": "5"})).status_code == 302
    CriterionScore.objects.filter(visit=visit).update(self_explanation="Hồ sơ lưu tại Văn phòng UBND xã")
    lead = signed_in(world, "commune_a_lead")
    assert lead.post(reverse("inspections:self_assessment_submit", args=[visit.pk])).status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SUBMITTED

    page, response = appraise_first_criterion(world, visit)
    assert 'data-testid="appraisal-closed"' not in page and 'name="appraised_score"' in page
    assert CriterionScore.objects.get(visit=visit, criterion=world.leaves[0]).appraised_score == Decimal("3")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.APPRAISING


def test_appraisal_opens_when_the_deadline_has_passed_without_a_submission(world):
    visit = self_assessing(world.visit_a, days_left=-1)
    page, _response = appraise_first_criterion(world, visit, value="2")
    assert 'data-testid="appraisal-closed"' not in page
    assert CriterionScore.objects.get(visit=visit, criterion=world.leaves[0]).appraised_score == Decimal("2")


def finding_totals(client, plan):
    html = client.get(reverse("inspections:plan_dashboard", args=[plan.pk])).content.decode()
    totals = {}
    for name in ("open", "overdue"):
        match = re.search(rf'data-testid="findings-{name}">[^<]*<span>(\d+)</span>', html)
        totals[name] = int(match.group(1))
    carried = re.search(r'data-testid="carried-on">([^<]*)</span>', html)
    totals["carried_on"] = carried.group(1) if carried else ""
    return totals


def test_creating_next_years_campaign_keeps_this_years_dashboard(world):
    world.visit_a.findings.update(due_date=dt.date(2020, 12, 31))
    lead = signed_in(world, "lead")
    before = finding_totals(lead, world.plan)
    assert before == {"open": 2, "overdue": 1, "carried_on": ""}

    plan, _form = next_year_through_its_screen(world)

    after = finding_totals(lead, world.plan)
    assert after["open"] == 2 and after["overdue"] == 1
    assert "2021" in after["carried_on"] and after["carried_on"].rstrip().endswith("2")
    # The copies are followed up in the new year as well.
    assert finding_totals(lead, plan)["open"] == 2


def test_a_commune_person_on_the_team_never_judges_their_own_commune(world):
    secretariat = signed_in(world, "secretariat")
    khoa = world.users["commune_b"]
    response = secretariat.post(
        reverse("inspections:member_add", args=[world.plan.pk]),
        {"user": khoa.pk, "role": TeamMember.Role.MEMBER, "group": world.groups[0].pk, "position": "Công chức"},
        follow=True,
    )
    page = response.content.decode()
    assert 'data-testid="conflict-of-interest"' in page
    assert page.count("không thẩm định xã đó, không kiểm tra lại kết luận và không xác nhận khắc phục") >= 2

    own = world.visit_b
    finding = own.findings.get()
    remedy = finding.remedies.get()
    Remedy.objects.filter(pk=remedy.pk).update(status=Remedy.Status.REPORTED)
    Finding.objects.filter(pk=finding.pk).update(status=Finding.Status.REPORTED)
    carried = FindingFactory(visit=own, area=world.areas[0], carried_from=finding, text="Tồn tại năm trước")

    member = signed_in(world, "commune_b")
    workspace = member.get(reverse("inspections:visit_workspace", args=[own.pk])).content.decode()
    assert 'data-testid="appraisal-closed"' in workspace and 'name="appraised_score"' not in workspace
    leaf = world.leaves[0]
    version = CriterionScore.objects.get(visit=own, criterion=leaf).version
    member.post(reverse("inspections:score_save", args=[own.pk, leaf.pk]), {"appraised_score": "1", "version": version})
    member.post(
        reverse("inspections:finding_create", args=[own.pk]),
        {"finding-kind": "strength", "finding-area": world.areas[0].pk, "finding-text": "Tự khen"},
    )
    recheck = member.post(reverse("inspections:finding_recheck", args=[carried.pk]), {"remedied": "yes"})
    verify = member.post(reverse("inspections:remedy_verify", args=[remedy.pk]))
    giveback = member.post(reverse("inspections:remedy_return", args=[remedy.pk]), {"reason": "Chưa đủ"})
    assert (recheck.status_code, verify.status_code, giveback.status_code) == (403, 403, 403)
    assert CriterionScore.objects.get(visit=own, criterion=leaf).appraised_score is None
    assert not own.findings.filter(text="Tự khen").exists()
    carried.refresh_from_db()
    remedy.refresh_from_db()
    assert carried.status == Finding.Status.OPEN and remedy.status == Remedy.Status.REPORTED
    remedy_page = member.get(reverse("inspections:finding_remedy", args=[finding.pk])).content.decode()
    assert reverse("inspections:remedy_verify", args=[remedy.pk]) not in remedy_page

    # At the other commune he appraises as any member of his group.
    other = world.visit_a
    version = CriterionScore.objects.get(visit=other, criterion=leaf).version
    member.post(
        reverse("inspections:score_save", args=[other.pk, leaf.pk]), {"appraised_score": "4", "version": version}
    )
    assert CriterionScore.objects.get(visit=other, criterion=leaf).appraised_score == Decimal("4")


def test_findings_without_a_due_date_take_the_notices_remedy_deadline(world):
    visit = world.visit_a
    visit.status = Visit.Status.SIGNED
    visit.save()
    MinutesFactory(visit=visit, signed_by=world.users["lead"])
    undated = visit.findings.get()
    Finding.objects.filter(pk=undated.pk).update(status=Finding.Status.OPEN)
    dated = FindingFactory(visit=visit, area=world.areas[0], due_date=dt.date(2021, 3, 31), text="Có hạn riêng")
    strength = FindingFactory(visit=visit, kind=Finding.Kind.STRENGTH, status=Finding.Status.NOTED)

    lead = signed_in(world, "lead")
    url = reverse("inspections:conclusion_edit", args=[visit.pk])
    form = form_with(lead.get(url).content.decode(), "remedy_deadline")
    data = dict(
        form["values"],
        number="25/TB-ĐKT",
        issued_on="30/10/2020",
        remedy_deadline="31/12/2020",
        summary="Xã cần khắc phục các tồn tại đã nêu.",
        recipients="UBND xã Thạnh Đông A",
    )
    response = lead.post(url, data)
    assert response.status_code == 302, response.content.decode()

    for finding in (undated, dated, strength):
        finding.refresh_from_db()
    assert undated.due_date == dt.date(2020, 12, 31)
    assert dated.due_date == dt.date(2021, 3, 31) and strength.due_date is None
    commune = signed_in(world, "commune_a")
    page = commune.get(reverse("inspections:remedy_list")).content.decode()
    assert "31/12/2020" in page and 'data-testid="overdue"' in page

    # An issued notice is final: a second form moves no deadline.
    lead.post(url, dict(data, remedy_deadline="15/01/2021"))
    undated.refresh_from_db()
    dated.refresh_from_db()
    assert undated.due_date == dt.date(2020, 12, 31) and dated.due_date == dt.date(2021, 3, 31)
