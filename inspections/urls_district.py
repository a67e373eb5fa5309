"""URLs of the district workflow: setting up a round, appraisal, minutes, conclusions, dashboard."""

from django.urls import path

from .views.district import appeal, closing, criteria, dashboard, departments, rounds, scoring_methods, workspace

urlpatterns = [
    # Appraisal at a visit
    path("visits/<int:pk>/workspace/", workspace.visit_workspace, name="visit_workspace"),
    path("visits/<int:pk>/criteria/<int:criterion_pk>/score/", workspace.score_save, name="score_save"),
    path("visits/<int:pk>/findings/new/", workspace.finding_create, name="finding_create"),
    path("visits/<int:pk>/history/", workspace.visit_history_page, name="visit_history"),
    path("findings/<int:pk>/edit/", workspace.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/recheck/", workspace.finding_recheck, name="finding_recheck"),
    path("findings/<int:pk>/answer/", workspace.finding_answer, name="finding_answer"),
    # Two appraisal rounds and an appeal
    path("visits/<int:pk>/appraisal/publish/", appeal.appraisal_publish, name="appraisal_publish"),
    path("contests/<int:pk>/decide/", appeal.contest_decide, name="contest_decide"),
    # Closing a visit
    path("visits/<int:pk>/minutes/", closing.minutes_edit, name="minutes_edit"),
    path("visits/<int:pk>/minutes/sign/", closing.minutes_sign, name="minutes_sign"),
    path("visits/<int:pk>/minutes/reopen/", closing.minutes_reopen, name="minutes_reopen"),
    path("visits/<int:pk>/conclusion/", closing.conclusion_edit, name="conclusion_edit"),
    # Dashboard
    path("<int:pk>/dashboard/", dashboard.plan_dashboard, name="plan_dashboard"),
    path("<int:pk>/dashboard.xlsx", dashboard.plan_dashboard_export, name="plan_dashboard_export"),
    path("<int:pk>/gaps/", dashboard.plan_gaps, name="plan_gaps"),
    # Criteria sets
    path("criteria/", criteria.criteria_set_list, name="criteria_set_list"),
    path("criteria/import/", criteria.criteria_set_import, name="criteria_set_import"),
    path("criteria/example.xlsx", criteria.criteria_sheet_example, name="criteria_sheet_example"),
    path("criteria/<int:pk>/", criteria.criteria_set_detail, name="criteria_set_detail"),
    path("criteria/<int:pk>/edit/", criteria.criteria_set_edit, name="criteria_set_edit"),
    path("criteria/<int:pk>/copy/", criteria.criteria_set_copy, name="criteria_set_copy"),
    path("criteria/<int:pk>/bands/", criteria.bands_edit, name="bands_edit"),
    path("criteria/<int:pk>/method/", criteria.scoring_method_edit, name="scoring_method_edit"),
    path("criteria/<int:pk>/areas/new/", criteria.area_edit, name="area_add"),
    path("criteria/<int:pk>/areas/<int:area_pk>/", criteria.area_edit, name="area_edit"),
    path("criteria/<int:pk>/criteria/new/", criteria.criterion_edit, name="criterion_add"),
    path("criteria/<int:pk>/criteria/<int:criterion_pk>/", criteria.criterion_edit, name="criterion_edit"),
    path("criteria/criterion/<int:pk>/move/", criteria.criterion_move, name="criterion_move"),
    path("criteria/criterion/<int:pk>/delete/", criteria.criterion_delete, name="criterion_delete"),
    # Plan, team, schedule, next year
    path("new/", rounds.plan_create, name="plan_create"),
    path("<int:pk>/edit/", rounds.plan_edit, name="plan_edit"),
    path("<int:pk>/team/", rounds.team_edit, name="team_edit"),
    path("<int:pk>/team/groups/new/", rounds.group_edit, name="group_add"),
    path("<int:pk>/team/groups/<int:group_pk>/", rounds.group_edit, name="group_edit"),
    path("team/groups/<int:pk>/delete/", rounds.group_delete, name="group_delete"),
    path("<int:pk>/team/members/new/", rounds.member_edit, name="member_add"),
    path("<int:pk>/team/members/<int:member_pk>/", rounds.member_edit, name="member_edit"),
    path("team/members/<int:pk>/delete/", rounds.member_delete, name="member_delete"),
    path("<int:pk>/schedule/", rounds.schedule, name="schedule"),
    path("visits/<int:pk>/schedule/", rounds.visit_schedule_edit, name="visit_schedule_edit"),
    path("visits/<int:pk>/unschedule/", rounds.visit_unschedule, name="visit_unschedule"),
    path("<int:pk>/next/", rounds.plan_next, name="plan_next"),
]

# Scoring method: not applicable, bonus and penalty, survey
urlpatterns += [
    path(
        "visits/<int:pk>/criteria/<int:criterion_pk>/not-applicable/",
        scoring_methods.not_applicable_decide,
        name="not_applicable_decide",
    ),
    path("visits/<int:pk>/adjustments/", scoring_methods.adjustment_record, name="adjustment_record"),
    path("adjustments/<int:pk>/delete/", scoring_methods.adjustment_delete, name="adjustment_delete"),
    path("<int:pk>/survey/", scoring_methods.survey_import, name="survey_import"),
    path("<int:pk>/survey/example.xlsx", scoring_methods.survey_sheet_example, name="survey_sheet_example"),
]

# The authority's departments (Phòng, ban), which team members belong to
urlpatterns += [
    path("departments/", departments.department_list, name="department_list"),
    path("departments/new/", departments.department_add, name="department_add"),
    path("departments/<int:pk>/", departments.department_edit, name="department_edit"),
    path("departments/<int:pk>/delete/", departments.department_delete, name="department_delete"),
]
