"""Access rows of the commune portal: self-assessment, evidence, remedies and questions.

In the `world`, commune A's visit is submitted and has no deadline, its finding is open
with a draft remedy without proof. Commune people act (refusals of the rules still
answer 200 or 302); the district sees (200) but may not act (403), except the
secretariat extending a deadline and the team members of the finding's area judging
remedies; commune B never learns of commune A's objects (404), and the other way round.
"""

import datetime as dt

from django.utils import timezone

from inspections.models import Evidence, Remedy
from tests.access import Row, commune_a_only, expect

visit_a = lambda w: {"pk": w.visit_a.pk}  # noqa: E731
visit_b = lambda w: {"pk": w.visit_b.pk}  # noqa: E731
criterion_a = lambda w: {"pk": w.visit_a.pk, "criterion_pk": w.leaves[0].pk}  # noqa: E731
evidence_a = lambda w: {"pk": Evidence.objects.get(visit=w.visit_a).pk}  # noqa: E731
evidence_b = lambda w: {"pk": Evidence.objects.get(visit=w.visit_b).pk}  # noqa: E731
finding_a = lambda w: {"pk": w.visit_a.findings.first().pk}  # noqa: E731
finding_b = lambda w: {"pk": w.visit_b.findings.first().pk}  # noqa: E731
remedy_a = lambda w: {"pk": Remedy.objects.get(finding__visit=w.visit_a).pk}  # noqa: E731

commune_b_sees_only_b = expect(200, commune_a=404, commune_a_lead=404)
# Commune people may act; the district sees the object but may not.
commune_acts = lambda ok: expect(  # noqa: E731
    403, commune_a=ok, commune_a_lead=ok, commune_b=404
)
lead_acts = expect(403, commune_a_lead=302, commune_b=404)
# Remedies are judged by the team members who appraise the finding's area (not the team's secretary).
team_judges = lambda ok: expect(  # noqa: E731
    ok, secretariat=403, viewer=403, commune_a=403, commune_a_lead=403, commune_b=404
)
# An action's address opened with GET (a reload, the language switch) leads to its page.
leads_to_its_page = expect(302, commune_b=404)


def score_data(w):
    prefix = f"c{w.leaves[0].pk}"
    return {f"{prefix}-self_score": "2,5", f"{prefix}-self_explanation": "Đã thực hiện", f"{prefix}-version": "1"}


def next_week(w):
    return {"deadline": (timezone.localdate() + dt.timedelta(days=7)).isoformat(), "reason": "Công văn số 45/UBND"}


ACCESS_ROWS = [
    Row("inspections:portal_home", expect(200)),
    Row("inspections:self_assessment", commune_a_only(), kwargs=visit_a, label="commune A"),
    Row("inspections:self_assessment", commune_b_sees_only_b, kwargs=visit_b, label="commune B"),
    Row("inspections:self_score_save", commune_acts(200), kwargs=criterion_a, method="post", data=score_data),
    Row("inspections:evidence_upload", commune_acts(200), kwargs=criterion_a, method="post"),
    Row("inspections:self_assessment_submit", lead_acts, kwargs=visit_a, method="post"),
    Row("inspections:self_assessment_withdraw", lead_acts, kwargs=visit_a, method="post"),
    Row(
        "inspections:deadline_extend",
        expect(403, secretariat=302, commune_b=404),
        kwargs=visit_a,
        method="post",
        data=next_week,
    ),
    Row("inspections:evidence_download", commune_a_only(), kwargs=evidence_a, label="commune A"),
    Row("inspections:evidence_download", commune_b_sees_only_b, kwargs=evidence_b, label="commune B"),
    Row("inspections:evidence_delete", commune_acts(302), kwargs=evidence_a, method="post"),
    Row("inspections:remedy_list", expect(200)),
    Row("inspections:finding_remedy", commune_a_only(), kwargs=finding_a, label="commune A"),
    Row("inspections:finding_remedy", commune_b_sees_only_b, kwargs=finding_b, label="commune B"),
    Row(
        "inspections:finding_remedy",
        commune_acts(302),
        kwargs=finding_a,
        method="post",
        data=lambda w: {"description": "Đã niêm yết lại thủ tục hành chính"},
    ),
    Row("inspections:remedy_evidence_upload", commune_acts(200), kwargs=remedy_a, method="post"),
    Row("inspections:remedy_report", commune_acts(302), kwargs=remedy_a, method="post"),
    Row("inspections:remedy_verify", team_judges(302), kwargs=remedy_a, method="post"),
    Row(
        "inspections:remedy_return",
        team_judges(200),
        kwargs=remedy_a,
        method="post",
        data=lambda w: {"reason": "Chưa có biên bản"},
    ),
    Row("inspections:self_score_save", leads_to_its_page, kwargs=criterion_a),
    Row("inspections:evidence_upload", leads_to_its_page, kwargs=criterion_a),
    Row("inspections:self_assessment_submit", leads_to_its_page, kwargs=visit_a),
    Row("inspections:self_assessment_withdraw", leads_to_its_page, kwargs=visit_a),
    Row("inspections:deadline_extend", leads_to_its_page, kwargs=visit_a),
    Row("inspections:evidence_delete", leads_to_its_page, kwargs=evidence_a),
    Row("inspections:remedy_evidence_upload", leads_to_its_page, kwargs=remedy_a),
    Row("inspections:remedy_report", leads_to_its_page, kwargs=remedy_a),
    Row("inspections:remedy_verify", leads_to_its_page, kwargs=remedy_a),
    Row("inspections:remedy_return", leads_to_its_page, kwargs=remedy_a),
    Row("inspections:question_list", commune_a_only(), kwargs=visit_a, label="commune A"),
    Row("inspections:question_list", commune_b_sees_only_b, kwargs=visit_b, label="commune B"),
    Row(
        "inspections:question_list",
        commune_acts(302),
        kwargs=visit_a,
        method="post",
        data=lambda w: {"text": "Hồ sơ trễ hạn có phải xin lỗi không?"},
    ),
]


def other_group_remedy(w):
    """A reported remedy of a finding in area 2, which group 2 appraises (not the world's inspector)."""
    from inspections.models import Finding
    from inspections.tests.factories import FindingFactory, RemedyFactory

    finding = FindingFactory(
        visit=w.visit_a, kind=Finding.Kind.SHORTCOMING, area=w.areas[1], status=Finding.Status.REPORTED
    )
    return {"pk": RemedyFactory(finding=finding, status=Remedy.Status.REPORTED).pk}


# Only the lead (every area) judges it; commune B does not see commune A's remedy.
other_area = expect(403, lead=302, commune_b=404)

ACCESS_ROWS += [
    Row("inspections:remedy_verify", other_area, kwargs=other_group_remedy, method="post", label="other group's area"),
    Row(
        "inspections:remedy_return",
        other_area,
        kwargs=other_group_remedy,
        method="post",
        data=lambda w: {"reason": "Chưa có biên bản"},
        label="other group's area",
    ),
]
