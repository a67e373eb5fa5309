from .appeals import ScoreContest
from .criteria import ClassificationBand, CriteriaSet, Criterion, ReviewArea
from .findings import ConclusionNotice, Finding, Minutes, Remedy
from .plans import InspectionPlan, InspectionTeam, TeamGroup, TeamMember, Visit
from .scores import CriterionScore, Evidence

__all__ = [
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
]
