from .appeals import ScoreContest
from .criteria import AdjustmentItem, ClassificationBand, CriteriaSet, Criterion, ReviewArea, SurveyIndex
from .findings import ConclusionNotice, Finding, Minutes, Remedy
from .plans import InspectionPlan, InspectionTeam, TeamGroup, TeamMember, Visit
from .scores import CriterionScore, Evidence, SurveyResult, VisitAdjustment, VisitTally, scores_changed

__all__ = [
    "AdjustmentItem",
    "SurveyIndex",
    "SurveyResult",
    "VisitAdjustment",
    "ClassificationBand",
    "ConclusionNotice",
    "CriteriaSet",
    "Criterion",
    "CriterionScore",
    "Evidence",
    "Finding",
    "InspectionPlan",
    "InspectionTeam",
    "Minutes",
    "Remedy",
    "ReviewArea",
    "ScoreContest",
    "TeamGroup",
    "TeamMember",
    "Visit",
    "VisitTally",
    "scores_changed",
]
