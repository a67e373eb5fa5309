"""The audit trail: every change to a score, finding, sign-off or conclusion leaves a history row."""

from decimal import Decimal

from inspections.models import CriterionScore, Finding


def test_queryset_update_writes_one_history_row_per_changed_score(world):
    scores = CriterionScore.objects.filter(visit=world.visit_a)
    before = CriterionScore.history.filter(visit_id=world.visit_a.pk).count()
    changed = scores.update(appraised_score=Decimal("1"))
    after = CriterionScore.history.filter(visit_id=world.visit_a.pk)
    assert after.count() == before + changed
    newest = after.order_by("-history_id").first()
    assert newest.history_type == "~"
    assert newest.appraised_score == Decimal("1")


def test_bulk_update_writes_history(world):
    findings = list(Finding.objects.filter(visit=world.visit_a))
    for finding in findings:
        finding.text = "Đã sửa"
    Finding.objects.bulk_update(findings, ["text"])
    newest = Finding.history.filter(id=findings[0].pk).order_by("-history_id").first()
    assert newest.text == "Đã sửa"
    assert newest.history_type == "~"


def test_history_page_shows_old_and_new_score_with_who(world, client):
    from django.urls import reverse

    from inspections.services import appraisal

    inspector = world.users["inspector"]
    appraisal.score_appraise(
        visit=world.visit_a, criterion=world.leaves[0], user=inspector, appraised_score=Decimal("4"), expected_version=1
    )
    client.force_login(world.users["lead"])
    url = reverse("inspections:score_save", args=[world.visit_a.pk, world.leaves[0].pk])
    client.post(url, {"appraised_score": "5,5", "version": "2"})
    body = client.get(reverse("inspections:visit_history", args=[world.visit_a.pk])).content.decode()
    assert "Điểm tiêu chí 1.1.1" in body
    assert "5,5" in body and "4" in body
    assert "Lead" in body


def test_bulk_update_is_visible_on_the_history_page(world, client):
    from django.urls import reverse

    Finding.objects.filter(visit=world.visit_a).update(text="Nội dung sau cập nhật hàng loạt")
    client.force_login(world.users["lead"])
    body = client.get(reverse("inspections:visit_history", args=[world.visit_a.pk])).content.decode()
    assert "Nội dung sau cập nhật hàng loạt" in body


def test_a_first_score_reads_as_entered_with_the_score_as_pages_write_it(world, client):
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Membership
    from accounts.tests.factories import MembershipFactory, UserFactory
    from communes.tests.factories import CommuneFactory
    from inspections.models import Visit
    from inspections.services.portal import self_assessment
    from inspections.tests.factories import VisitFactory

    commune = CommuneFactory(name="Thạnh Trị", parent=world.district)
    visit = VisitFactory(
        plan=world.plan,
        unit=commune,
        status=Visit.Status.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.localdate() + dt.timedelta(days=7),
    )
    clerk = UserFactory(username="thanhtri")
    MembershipFactory(user=clerk, unit=commune, role=Membership.Role.COMMUNE_STAFF)
    self_assessment.score_save_self(
        visit=visit,
        criterion_id=world.leaves[0].pk,
        user=clerk,
        self_score=Decimal("2"),
        explanation="Đủ hồ sơ",
        version=0,
    )
    client.force_login(world.users["lead"])
    body = client.get(reverse("inspections:visit_history", args=[visit.pk])).content.decode()
    assert "Điểm tiêu chí 1.1.1" in body
    assert "tạo mới" in body and "sửa đổi" not in body
    assert "2,00" not in body and ">2<" in body.replace(" ", "")
