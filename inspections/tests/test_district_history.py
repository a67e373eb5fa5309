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
