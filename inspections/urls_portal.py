"""URLs of the commune portal: self-assessment, evidence, remedies and questions."""

from django.urls import path

from .views.portal import appeal, evidence, questions, remedies, self_assessment

urlpatterns = [
    path("portal/", self_assessment.portal_home, name="portal_home"),
    path("visits/<int:pk>/self-assessment/", self_assessment.self_assessment, name="self_assessment"),
    path(
        "visits/<int:pk>/self-assessment/<int:criterion_pk>/",
        self_assessment.self_score_save,
        name="self_score_save",
    ),
    path(
        "visits/<int:pk>/self-assessment/<int:criterion_pk>/evidence/",
        self_assessment.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "visits/<int:pk>/self-assessment/submit/", self_assessment.self_assessment_submit, name="self_assessment_submit"
    ),
    path(
        "visits/<int:pk>/self-assessment/withdraw/",
        self_assessment.self_assessment_withdraw,
        name="self_assessment_withdraw",
    ),
    path("visits/<int:pk>/deadline/", self_assessment.deadline_extend, name="deadline_extend"),
    path("evidence/<int:pk>/download/", evidence.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", evidence.evidence_delete, name="evidence_delete"),
    path("remedies/", remedies.remedy_list, name="remedy_list"),
    path("findings/<int:pk>/remedy/", remedies.finding_remedy, name="finding_remedy"),
    path("remedies/<int:pk>/evidence/", remedies.remedy_evidence_upload, name="remedy_evidence_upload"),
    path("remedies/<int:pk>/report/", remedies.remedy_report, name="remedy_report"),
    path("remedies/<int:pk>/verify/", remedies.remedy_verify, name="remedy_verify"),
    path("remedies/<int:pk>/return/", remedies.remedy_return, name="remedy_return"),
    path("visits/<int:pk>/questions/", questions.question_list, name="question_list"),
    path("visits/<int:pk>/appraisal/", appeal.appraisal_result, name="appraisal_result"),
    path("visits/<int:pk>/appraisal/<int:criterion_pk>/contest/", appeal.score_contest, name="score_contest"),
    path("visits/<int:pk>/appraisal/no-contest/", appeal.appeal_waive, name="appeal_waive"),
]
