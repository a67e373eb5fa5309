"""Access rows of the appeal: the appraisal result page, contests, the declaration, publishing, deciding.

In the `world` commune A's visit is submitted and not yet appraised: the lead's publishing
is refused with a message (302), as is the commune lead's contest before publication.
Commune B never learns of commune A's visit (404).
"""

from decimal import Decimal

from tests.access import Row, commune_a_only, expect

visit_a = lambda w: {"pk": w.visit_a.pk}  # noqa: E731
visit_b = lambda w: {"pk": w.visit_b.pk}  # noqa: E731
criterion_a = lambda w: {"pk": w.visit_a.pk, "criterion_pk": w.leaves[0].pk}  # noqa: E731


def contest_a(w):
    """A contest of criterion 1.1.1 at commune A, awaiting the team's decision (area 1: the inspector's group)."""
    from inspections.tests.factories import ScoreContestFactory

    return {"pk": ScoreContestFactory(visit=w.visit_a, criterion=w.leaves[0], first_score=Decimal("3")).pk}


# Commune staff prepare a contest, its lead files it; only the lead declares; the district sees but may not (403).
commune_acts = expect(403, commune_a=302, commune_a_lead=302, commune_b=404)
commune_lead_acts = expect(403, commune_a_lead=302, commune_b=404)
# An action's address opened with GET leads to its page.
leads_to_its_page = expect(302, commune_b=404)

ACCESS_ROWS = [
    Row("inspections:appraisal_result", commune_a_only(), kwargs=visit_a, label="commune A"),
    Row(
        "inspections:appraisal_result",
        expect(200, commune_a=404, commune_a_lead=404),
        kwargs=visit_b,
        label="commune B",
    ),
    Row(
        "inspections:score_contest",
        commune_acts,
        kwargs=criterion_a,
        method="post",
        data=lambda w: {f"k{w.leaves[0].pk}-explanation": "Đã có quyết định ban hành đúng hạn"},
    ),
    Row("inspections:score_contest", leads_to_its_page, kwargs=criterion_a),
    Row("inspections:appeal_waive", commune_lead_acts, kwargs=visit_a, method="post"),
    Row("inspections:appeal_waive", leads_to_its_page, kwargs=visit_a),
    # Only who appraises every area (the lead) publishes; the secretary and a group's inspector may not.
    Row(
        "inspections:appraisal_publish",
        expect(403, lead=302, commune_b=404),
        kwargs=visit_a,
        method="post",
    ),
    # Decided by those who appraise the criterion's area: the lead and the inspector of group 1.
    Row(
        "inspections:contest_decide",
        expect(302, secretariat=403, viewer=403, commune_a=403, commune_a_lead=403, commune_b=404),
        kwargs=contest_a,
        method="post",
        data=lambda w: {
            f"d{w.visit_a.contests.get().pk}-decided_score": "4",
            f"d{w.visit_a.contests.get().pk}-reason": "Đủ hồ sơ",
        },
    ),
]
