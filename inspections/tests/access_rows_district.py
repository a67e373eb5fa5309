"""Access rows of the district workflow: set-up, appraisal workspace, closing, dashboard, new campaign."""

from tests.access import Row, expect

# The team (lead, secretary, inspector) works on commune A's visit; viewers read only (403 on the workspace);
# commune A sees the visit but may not work on it (403); commune B does not see it (404).
team = expect(200, viewer=403, commune_a=403, commune_a_lead=403, commune_b=404)
# The minutes, the notice and the change history are read by the team and the authority's viewers.
readers = expect(200, commune_a=403, commune_a_lead=403, commune_b=404)
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
    Row("inspections:visit_history", readers, kwargs=visit_a),
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
    Row("inspections:minutes_edit", readers, kwargs=visit_a),
    Row("inspections:minutes_sign", lead_only, kwargs=visit_a, method="post"),
    Row("inspections:minutes_reopen", lead_only, kwargs=visit_a, method="post", data=lambda w: {"reason": "Sửa điểm"}),
    Row("inspections:conclusion_edit", readers, kwargs=visit_a),
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


def draft_set(w):
    """A copy of the world's set that no plan uses: its editing pages open."""
    from inspections.models import CriteriaSet
    from inspections.services.setup import criteria_set_copy

    found = CriteriaSet.objects.filter(authority=w.district, name="Bản nháp 2021").first()
    return found or criteria_set_copy(
        source=w.criteria_set, user=w.users["secretariat"], year=2021, name="Bản nháp 2021"
    )


draft = lambda w: {"pk": draft_set(w).pk}  # noqa: E731
# A set no campaign uses is seen by the authority's overseers only: the team's inspector and communes do not know it.
draft_only_secretariat = lambda ok: expect(  # noqa: E731
    403, secretariat=ok, inspector=404, commune_a=404, commune_a_lead=404, commune_b=404
)
draft_area = lambda w: {"pk": draft_set(w).pk, "area_pk": draft_set(w).areas.order_by("order").first().pk}  # noqa: E731
draft_leaf = lambda w: draft_set(w).criteria.get(code="1.2")  # noqa: E731
# The world's set is used by its campaign, so it is frozen: the secretariat's editing pages and every
# write lead back to the set with the reason (302, nothing changes); others are refused (403).
frozen = expect(403, secretariat=302)
criterion_data = lambda w: {  # noqa: E731
    "area": w.areas[0].pk,
    "parent": "",
    "code": "1.2",
    "title": "Tiêu chí",
    "max_score": "45",
}

ACCESS_ROWS += [
    Row("inspections:criteria_set_list", district_readers),
    Row("inspections:criteria_set_import", secretariat_only),
    Row("inspections:criteria_sheet_example", district_readers),
    Row("inspections:criteria_set_detail", district_readers, kwargs=criteria_set),
    Row("inspections:criteria_set_copy", secretariat_only, kwargs=criteria_set),
    Row(
        "inspections:criteria_set_copy",
        secretariat_posts,
        kwargs=criteria_set,
        method="post",
        data=lambda w: {"year": "2021", "name": "Bộ tiêu chí 2021"},
    ),
    # A set no plan uses yet: its editing pages.
    Row("inspections:criteria_set_edit", draft_only_secretariat(200), kwargs=draft, label="draft"),
    Row("inspections:bands_edit", draft_only_secretariat(200), kwargs=draft, label="draft"),
    Row("inspections:area_add", draft_only_secretariat(200), kwargs=draft, label="draft"),
    Row("inspections:area_edit", draft_only_secretariat(200), kwargs=draft_area, label="draft"),
    Row("inspections:criterion_add", draft_only_secretariat(200), kwargs=draft, label="draft"),
    Row(
        "inspections:criterion_edit",
        draft_only_secretariat(200),
        kwargs=lambda w: {"pk": draft_set(w).pk, "criterion_pk": draft_leaf(w).pk},
        label="draft",
    ),
    Row(
        "inspections:criterion_move",
        draft_only_secretariat(302),
        kwargs=lambda w: {"pk": draft_leaf(w).pk},
        method="post",
        data=lambda w: {"direction": "up"},
        label="draft",
    ),
    Row(
        "inspections:criterion_delete",
        draft_only_secretariat(302),
        kwargs=lambda w: {"pk": draft_leaf(w).pk},
        method="post",
        label="draft",
    ),
    # The set in use: opened and written to.
    Row("inspections:criteria_set_edit", frozen, kwargs=criteria_set, label="in use"),
    Row(
        "inspections:criteria_set_edit",
        frozen,
        kwargs=criteria_set,
        method="post",
        data=lambda w: {"name": "x", "year": "2020", "total_max": "105", "status": "published"},
        label="in use",
    ),
    Row("inspections:bands_edit", frozen, kwargs=criteria_set, label="in use"),
    Row(
        "inspections:bands_edit",
        frozen,
        kwargs=criteria_set,
        method="post",
        data=lambda w: {"bands-TOTAL_FORMS": "0", "bands-INITIAL_FORMS": "0"},
        label="in use",
    ),
    Row("inspections:area_add", frozen, kwargs=criteria_set, label="in use"),
    Row(
        "inspections:area_add",
        frozen,
        kwargs=criteria_set,
        method="post",
        data=lambda w: {"number": "3", "code": "finance", "title": "Tài chính công"},
        label="in use",
    ),
    Row(
        "inspections:area_edit",
        frozen,
        kwargs=lambda w: {"pk": w.criteria_set.pk, "area_pk": w.areas[0].pk},
        label="in use",
    ),
    Row(
        "inspections:area_edit",
        frozen,
        kwargs=lambda w: {"pk": w.criteria_set.pk, "area_pk": w.areas[0].pk},
        method="post",
        data=lambda w: {"number": "1", "code": "procedures", "title": "Tên khác"},
        label="in use",
    ),
    Row("inspections:criterion_add", frozen, kwargs=criteria_set, label="in use"),
    Row(
        "inspections:criterion_add",
        frozen,
        kwargs=criteria_set,
        method="post",
        data=lambda w: {**criterion_data(w), "code": "1.3", "max_score": "5"},
        label="in use",
    ),
    Row(
        "inspections:criterion_edit",
        frozen,
        kwargs=lambda w: {"pk": w.criteria_set.pk, "criterion_pk": w.leaves[0].pk},
        label="in use",
    ),
    Row(
        "inspections:criterion_edit",
        frozen,
        kwargs=lambda w: {"pk": w.criteria_set.pk, "criterion_pk": w.leaves[2].pk},
        method="post",
        data=criterion_data,
        label="in use",
    ),
    Row(
        "inspections:criterion_move",
        frozen,
        kwargs=lambda w: {"pk": w.leaves[1].pk},
        method="post",
        data=lambda w: {"direction": "up"},
        label="in use",
    ),
    Row(
        "inspections:criterion_delete",
        frozen,
        kwargs=lambda w: {"pk": w.leaves[2].pk},
        method="post",
        label="in use",
    ),
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


def started(w):
    """The campaign has started (commune A's visit is being appraised): its team changes by the lead or chairman."""
    from inspections.models import Visit

    Visit.objects.filter(pk=w.visit_a.pk).update(status=Visit.Status.APPRAISING)
    return {"pk": w.plan.pk}


def started_seat(w):
    started(w)
    return w.team.members.get(user__username="inspector")


# The world's viewer is the authority's chairman (his viewer role is marked so).
team_changers = expect(403, lead=302, viewer=302)
seat_data = lambda w: {  # noqa: E731
    "user": w.users["inspector"].pk,
    "role": "member",
    "position": "Chuyên viên",
    "group": w.groups[1].pk,
    "department": "",
}

ACCESS_ROWS += [
    Row("inspections:team_edit", expect(403, secretariat=200, lead=200, viewer=200), kwargs=started, label="started"),
    Row(
        "inspections:team_edit",
        team_changers,
        kwargs=started,
        method="post",
        data=lambda w: {"name": "Đoàn kiểm tra"},
        label="started",
    ),
    Row(
        "inspections:group_add",
        team_changers,
        kwargs=started,
        method="post",
        data=lambda w: {"name": "Nhóm 3", "areas": [w.areas[1].pk]},
        label="started",
    ),
    Row(
        "inspections:group_delete",
        team_changers,
        kwargs=lambda w: {"pk": started(w) and w.groups[1].pk},
        method="post",
        label="started",
    ),
    Row(
        "inspections:member_edit",
        team_changers,
        kwargs=lambda w: {"pk": w.plan.pk, "member_pk": started_seat(w).pk},
        method="post",
        data=seat_data,
        label="started",
    ),
    Row(
        "inspections:member_delete",
        team_changers,
        kwargs=lambda w: {"pk": started_seat(w).pk},
        method="post",
        label="started",
    ),
]


def other_group_finding(w, **fields):
    """A finding of commune A's visit in area 2, which group 2 appraises (not the world's inspector)."""
    from inspections.models import Finding
    from inspections.tests.factories import FindingFactory

    defaults = {"kind": Finding.Kind.SHORTCOMING, "area": w.areas[1], "text": "Hạn chế lĩnh vực 2"}
    return FindingFactory(visit=w.visit_a, **{**defaults, **fields})


def other_group_carried(w):
    from inspections.models import Finding
    from inspections.tests.factories import FindingFactory

    old = FindingFactory(visit=w.visit_b, kind=Finding.Kind.SHORTCOMING, status=Finding.Status.CARRIED_OVER)
    return {"pk": other_group_finding(w, carried_from=old).pk}


def other_group_question(w):
    from inspections.models import Finding

    return {"pk": other_group_finding(w, kind=Finding.Kind.QUESTION, text="Câu hỏi lĩnh vực 2").pk}


# Another group's area: only the lead (every area) acts; the inspector of group 1, the team's secretary
# (no area), viewers and commune A are refused; commune B does not see commune A's finding.
other_area = expect(403, lead=302, commune_b=404)

ACCESS_ROWS += [
    Row(
        "inspections:finding_recheck",
        other_area,
        kwargs=other_group_carried,
        method="post",
        data=lambda w: {"remedied": "yes"},
        label="other group's area",
    ),
    Row(
        "inspections:finding_answer",
        other_area,
        kwargs=other_group_question,
        method="post",
        data=lambda w: {"answer": "Trả lời"},
        label="other group's area",
    ),
]


def recorded_penalty(w):
    """A penalty recorded at commune A's visit, for the row that removes it."""
    from decimal import Decimal

    from inspections.models import AdjustmentItem, VisitAdjustment

    item, _created = AdjustmentItem.objects.get_or_create(
        criteria_set=w.criteria_set,
        code="D1",
        defaults={"kind": AdjustmentItem.Kind.PENALTY, "title": "Báo cáo trễ hạn", "max_points": Decimal("1")},
    )
    adjustment = VisitAdjustment.objects.create(visit=w.visit_a, item=item, points=Decimal("0.5"), note="Trễ hạn")
    return {"pk": adjustment.pk}


# The scoring method at a visit: the team decides on "not applicable" in its areas, records bonus and penalty;
# the round's survey results are read with the dashboard and imported by the secretariat.
ACCESS_ROWS += [
    Row(
        "inspections:not_applicable_decide",
        appraisers,
        kwargs=lambda w: {"pk": w.visit_a.pk, "criterion_pk": w.leaves[0].pk},
        method="post",
        data=lambda w: {"decision": "accept"},
    ),
    Row(
        "inspections:adjustment_record",
        expect(302, viewer=403, commune_a=403, commune_a_lead=403, commune_b=404),
        kwargs=visit_a,
    ),
    Row(
        "inspections:adjustment_record", team, kwargs=visit_a, method="post", data=lambda w: {"adjustment-points": "x"}
    ),
    Row(
        "inspections:adjustment_delete",
        expect(302, viewer=403, commune_a=403, commune_a_lead=403, commune_b=404),
        kwargs=recorded_penalty,
        method="post",
    ),
    Row("inspections:survey_import", dashboard, kwargs=plan),
    Row("inspections:survey_import", expect(403, secretariat=200), kwargs=plan, method="post"),
    Row("inspections:survey_sheet_example", dashboard, kwargs=plan),
]

# The bonus, penalty and survey of a set: edited on a draft like its bands; a set in use leads back to it.
ACCESS_ROWS += [
    Row("inspections:scoring_method_edit", draft_only_secretariat(200), kwargs=draft, label="draft"),
    Row(
        "inspections:scoring_method_edit",
        draft_only_secretariat(302),
        kwargs=draft,
        method="post",
        data=lambda w: {
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-kind": "penalty",
            "items-0-code": "D1",
            "items-0-title": "Báo cáo trễ hạn",
            "items-0-max_points": "1",
            "indices-TOTAL_FORMS": "0",
            "indices-INITIAL_FORMS": "0",
        },
        label="draft",
    ),
    Row("inspections:scoring_method_edit", frozen, kwargs=criteria_set, label="in use"),
    Row(
        "inspections:scoring_method_edit",
        frozen,
        kwargs=criteria_set,
        method="post",
        data=lambda w: {"items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"},
        label="in use",
    ),
]
