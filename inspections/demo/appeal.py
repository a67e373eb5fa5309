"""The demo's appeal (phúc tra) in the 2021 round.

After its visit the team publishes Tân Hiệp's first-round appraisal; the township's chairman
contests one criterion of the one-stop shop with a new document, and the team's second
appraisal raises the score. The window has long closed, so the minutes may be signed.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from ..models import CriterionScore, Evidence, ScoreContest, Visit
from ..uploads import inspect_upload
from ..workdays import add_working_days
from .portal import sample_pdf

EXPLANATION = (
    "Thị trấn đã niêm yết công khai đầy đủ thủ tục hành chính tại Bộ phận một cửa từ tháng 3/2021; "
    "biên bản kiểm tra niêm yết của Văn phòng HĐND-UBND huyện kèm theo chưa được nộp cùng bản tự đánh giá."
)
DECISION = (
    "Phúc tra: biên bản kiểm tra niêm yết số 15/BB-VP ngày 22/3/2021 chứng minh việc niêm yết; "
    "điểm được điều chỉnh, phần còn lại chưa có sổ theo dõi tiếp nhận hồ sơ."
)
DOCUMENT = "Biên bản kiểm tra niêm yết thủ tục hành chính - 15-BB-VP.pdf"


def _contested_criterion(visit: Visit, leaves):
    """The first one-stop-shop criterion the team scored below its maximum in round 1."""
    contest = ScoreContest.objects.filter(visit=visit).select_related("criterion").first()
    if contest is not None:
        return contest.criterion, contest.first_score, contest.first_comment
    scores = {s.criterion_id: s for s in CriterionScore.objects.filter(visit=visit)}
    for criterion in leaves:
        score = scores.get(criterion.pk)
        if (
            criterion.area.code == "procedures"
            and score is not None
            and score.appraised_score is not None
            and score.appraised_score < criterion.max_score
        ):
            return criterion, score.appraised_score, score.appraised_comment
    return None, None, None


def build_appeal_demo(builder, visit: Visit, leaves, *, day: dt.date) -> None:
    """Publish the visit's appraisal, file one contest with its document, and decide it (idempotent)."""
    from .build import at, upsert

    published = at(day, 16)
    upsert(
        Visit,
        pk=visit.pk,
        defaults={
            "appraisal_published_at": published,
            "appraisal_published_by": builder.users["lead"],
            "appeal_deadline": add_working_days(day, visit.plan.appeal_working_days),
        },
    )
    criterion, first_score, first_comment = _contested_criterion(visit, leaves)
    if criterion is None:
        return
    contested_day = add_working_days(day, 2)
    decided_day = add_working_days(day, 4)
    # Half the missing points back, on the criterion's step of 0,25.
    raised = first_score + (criterion.max_score - first_score) / 2
    decided_score = (raised * 4).to_integral_value(rounding="ROUND_DOWN") / Decimal(4)
    chairman = builder.chairmen[visit.unit.name]
    contest = upsert(
        ScoreContest,
        visit=visit,
        criterion=criterion,
        defaults={
            "explanation": EXPLANATION,
            "first_score": first_score,
            "first_comment": first_comment,
            "contested_by": chairman,
            "contested_at": at(contested_day, 10),
        },
    )
    if not Evidence.objects.filter(contest=contest).exists():
        content = sample_pdf(
            title="Biên bản kiểm tra niêm yết thủ tục hành chính",
            heading="Văn phòng HĐND và UBND huyện Tân Hiệp",
            lines=[
                "Số: 15/BB-VP",
                "Tân Hiệp, ngày 22 tháng 3 năm 2021",
                f"Tiêu chí {criterion.code}: {criterion.title}.",
            ],
        )
        upload = ContentFile(content, name=DOCUMENT)
        checked = inspect_upload(upload, name=DOCUMENT)
        evidence = Evidence(
            unit=visit.unit,
            visit=visit,
            criterion=criterion,
            contest=contest,
            original_name=checked.original_name,
            size=checked.size,
            content_type=checked.content_type,
            sha256=checked.sha256,
            document_number="15/BB-VP",
            document_date=dt.date(2021, 3, 22),
            uploaded_by=chairman,
            uploaded_at=timezone.make_aware(
                dt.datetime(contested_day.year, contested_day.month, contested_day.day, 10)
            ),
        )
        evidence.file.save(DOCUMENT, upload, save=False)
        evidence.save()
    decided_at = at(decided_day, 15)
    upsert(
        ScoreContest,
        pk=contest.pk,
        defaults={
            "status": ScoreContest.Status.KEPT if decided_score == first_score else ScoreContest.Status.CHANGED,
            "decided_score": decided_score,
            "decision_reason": DECISION,
            "decided_by": builder.users["inspector"],
            "decided_at": decided_at,
        },
    )
    # The score row's history keeps round 1 (written by score_visit) and this second round.
    upsert(
        CriterionScore,
        visit=visit,
        criterion=criterion,
        defaults={
            "appraised_score": decided_score,
            "appraised_comment": DECISION,
            "appraised_by": builder.users["inspector"],
            "appraised_at": decided_at,
        },
    )
