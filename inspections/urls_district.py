"""URLs of the district workflow: setting up a round, appraisal, minutes, conclusions, dashboard."""

from django.urls import path

from .views.district import closing, dashboard, workspace

urlpatterns = [
    path("visits/<int:pk>/workspace/", workspace.visit_workspace, name="visit_workspace"),
    path("visits/<int:pk>/criteria/<int:criterion_pk>/score/", workspace.score_save, name="score_save"),
    path("visits/<int:pk>/findings/new/", workspace.finding_create, name="finding_create"),
    path("visits/<int:pk>/history/", workspace.visit_history_page, name="visit_history"),
    path("findings/<int:pk>/edit/", workspace.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/recheck/", workspace.finding_recheck, name="finding_recheck"),
    path("findings/<int:pk>/answer/", workspace.finding_answer, name="finding_answer"),
    path("visits/<int:pk>/minutes/", closing.minutes_edit, name="minutes_edit"),
    path("visits/<int:pk>/minutes/sign/", closing.minutes_sign, name="minutes_sign"),
    path("visits/<int:pk>/minutes/reopen/", closing.minutes_reopen, name="minutes_reopen"),
    path("visits/<int:pk>/conclusion/", closing.conclusion_edit, name="conclusion_edit"),
    path("<int:pk>/dashboard/", dashboard.plan_dashboard, name="plan_dashboard"),
    path("<int:pk>/dashboard.xlsx", dashboard.plan_dashboard_export, name="plan_dashboard_export"),
]
