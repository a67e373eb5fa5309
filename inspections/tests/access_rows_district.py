"""Access rows of the district workflow: set-up, appraisal workspace, closing, dashboard, new campaign."""

from tests.access import Row, expect

# The team (lead, secretary, inspector) works on commune A's visit; viewers read only;
# commune A sees the visit but may not work on it (403); commune B does not see it (404).
team = expect(200, viewer=403, commune_a=403, commune_a_lead=403, commune_b=404)
appraisers = expect(302, secretariat=403, viewer=403, commune_a=403, commune_a_lead=403, commune_b=404)
lead_only = expect(302, secretariat=403, inspector=403, viewer=403, commune_a=403, commune_a_lead=403, commune_b=404)
visit_a = lambda w: {"pk": w.visit_a.pk}  # noqa: E731
finding_a = lambda w: {"pk": w.visit_a.findings.first().pk}  # noqa: E731

ACCESS_ROWS = [
    Row("inspections:visit_workspace", team, kwargs=visit_a),
    Row(
        "inspections:score_save",
        appraisers,
        kwargs=lambda w: {"pk": w.visit_a.pk, "criterion_pk": w.leaves[0].pk},
        method="post",
        data=lambda w: {"appraised_score": "5,5", "version": "1"},
    ),
    Row(
        "inspections:finding_create",
        appraisers,
        kwargs=visit_a,
        method="post",
        data=lambda w: {"finding-kind": "strength", "finding-area": w.areas[0].pk, "finding-text": "Ưu điểm"},
    ),
    Row("inspections:visit_history", team, kwargs=visit_a),
    Row(
        "inspections:finding_edit",
        expect(200, secretariat=403, viewer=403, commune_a=403, commune_a_lead=403, commune_b=404),
        kwargs=finding_a,
    ),
    Row("inspections:finding_recheck", appraisers, kwargs=finding_a, method="post", data=lambda w: {"remedied": "yes"}),
    Row(
        "inspections:finding_answer",
        # The secretary of the team appraises no area: he answers no question, as he edits no finding.
        expect(302, secretariat=403, viewer=403, commune_a=403, commune_a_lead=403, commune_b=404),
        kwargs=finding_a,
        method="post",
        data=lambda w: {"answer": "Trả lời"},
    ),
    Row("inspections:minutes_edit", team, kwargs=visit_a),
    Row("inspections:minutes_sign", lead_only, kwargs=visit_a, method="post"),
    Row("inspections:minutes_reopen", lead_only, kwargs=visit_a, method="post", data=lambda w: {"reason": "Sửa điểm"}),
    Row("inspections:conclusion_edit", team, kwargs=visit_a),
]

# Dashboards: the lead, the secretariat, viewers and the team read them; communes see the campaign but not this.
dashboard = expect(200, commune_a=403, commune_a_lead=403, commune_b=403)
plan = lambda w: {"pk": w.plan.pk}  # noqa: E731

ACCESS_ROWS += [
    Row("inspections:plan_dashboard", dashboard, kwargs=plan),
    Row("inspections:plan_dashboard_export", dashboard, kwargs=plan),
]

# Set-up screens: the secretariat changes; other district people read the criteria and the schedule;
# communes see the campaign (and so its criteria set) but are refused these pages.
district_readers = expect(200, commune_a=403, commune_a_lead=403, commune_b=403)
secretariat_only = expect(403, secretariat=200)
secretariat_posts = expect(403, secretariat=302)
criteria_set = lambda w: {"pk": w.criteria_set.pk}  # noqa: E731

ACCESS_ROWS += [
    Row("inspections:criteria_set_list", district_readers),
    Row("inspections:criteria_set_import", secretariat_only),
    Row("inspections:criteria_sheet_example", district_readers),
    Row("inspections:criteria_set_detail", district_readers, kwargs=criteria_set),
    Row("inspections:criteria_set_edit", secretariat_only, kwargs=criteria_set),
    Row("inspections:criteria_set_copy", secretariat_only, kwargs=criteria_set),
    Row("inspections:bands_edit", secretariat_only, kwargs=criteria_set),
    Row("inspections:area_add", secretariat_only, kwargs=criteria_set),
    Row(
        "inspections:area_edit",
        secretariat_only,
        kwargs=lambda w: {"pk": w.criteria_set.pk, "area_pk": w.areas[0].pk},
    ),
    Row("inspections:criterion_add", secretariat_only, kwargs=criteria_set),
    Row(
        "inspections:criterion_edit",
        secretariat_only,
        kwargs=lambda w: {"pk": w.criteria_set.pk, "criterion_pk": w.leaves[0].pk},
    ),
    Row(
        "inspections:criterion_move",
        secretariat_posts,
        kwargs=lambda w: {"pk": w.leaves[1].pk},
        method="post",
        data=lambda w: {"direction": "up"},
    ),
    Row("inspections:criterion_delete", secretariat_posts, kwargs=lambda w: {"pk": w.leaves[2].pk}, method="post"),
    Row("inspections:plan_create", secretariat_only),
    Row("inspections:plan_edit", secretariat_only, kwargs=plan),
    Row("inspections:team_edit", secretariat_only, kwargs=plan),
    Row("inspections:group_add", secretariat_only, kwargs=plan),
    Row("inspections:group_edit", secretariat_only, kwargs=lambda w: {"pk": w.plan.pk, "group_pk": w.groups[0].pk}),
    Row("inspections:group_delete", secretariat_posts, kwargs=lambda w: {"pk": w.groups[1].pk}, method="post"),
    Row("inspections:member_add", secretariat_only, kwargs=plan),
    Row(
        "inspections:member_edit",
        secretariat_only,
        kwargs=lambda w: {"pk": w.plan.pk, "member_pk": w.team.members.get(user__username="inspector").pk},
    ),
    Row(
        "inspections:member_delete",
        secretariat_posts,
        kwargs=lambda w: {"pk": w.team.members.get(user__username="inspector").pk},
        method="post",
    ),
    Row("inspections:schedule", district_readers, kwargs=plan),
    Row("inspections:visit_schedule_edit", expect(403, secretariat=200, commune_b=404), kwargs=visit_a),
    Row("inspections:visit_unschedule", expect(403, secretariat=302, commune_b=404), kwargs=visit_a, method="post"),
    Row("inspections:plan_next", secretariat_only, kwargs=plan),
]
