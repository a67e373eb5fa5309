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
