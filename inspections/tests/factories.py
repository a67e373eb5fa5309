import datetime as dt
import hashlib
from decimal import Decimal

import factory
from django.utils import timezone

from inspections.models import (
    ClassificationBand,
    ConclusionNotice,
    CriteriaSet,
    Criterion,
    CriterionScore,
    Evidence,
    Finding,
    InspectionPlan,
    InspectionTeam,
    Minutes,
    Remedy,
    ReviewArea,
    ScoreContest,
    TeamGroup,
    TeamMember,
    Visit,
)


class CriteriaSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSet

    authority = factory.SubFactory("communes.tests.factories.DistrictFactory")
    year = 2020
    name = factory.Sequence(lambda n: f"Bộ tiêu chí {n}")
    total_max = Decimal("100")
    status = CriteriaSet.Status.PUBLISHED


class ReviewAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewArea

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    code = factory.Sequence(lambda n: f"area{n}")
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    order = factory.Sequence(lambda n: n)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    area = factory.SubFactory(ReviewAreaFactory)
    criteria_set = factory.SelfAttribute("area.criteria_set")
    code = factory.Sequence(lambda n: f"{n}.1")
    title = factory.Sequence(lambda n: f"Tiêu chí {n}")
    max_score = Decimal("10")
    order = factory.Sequence(lambda n: n)


class BandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassificationBand

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    label = "Tốt"
    min_percent = Decimal("90")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionPlan

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    authority = factory.SelfAttribute("criteria_set.authority")
    year = factory.SelfAttribute("criteria_set.year")
    number = factory.Sequence(lambda n: f"{n}/KH-UBND")
    issued_on = dt.date(2020, 9, 15)
    title = factory.Sequence(lambda n: f"Kiểm tra CCHC {n}")
    forms = ["on_site"]
    round_start = dt.date(2020, 10, 5)
    round_end = dt.date(2020, 10, 14)
    status = InspectionPlan.Status.IN_PROGRESS


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionTeam

    plan = factory.SubFactory(PlanFactory)
    name = "Đoàn kiểm tra CCHC"
    decision_number = "1/QĐ-UBND"


class TeamGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamGroup

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Nhóm {n}")


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    role = TeamMember.Role.MEMBER


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    plan = factory.SubFactory(PlanFactory)
    unit = factory.SubFactory(
        "communes.tests.factories.CommuneFactory", parent=factory.SelfAttribute("..plan.authority")
    )
    scheduled_on = dt.date(2020, 10, 5)
    status = Visit.Status.SUBMITTED


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionScore

    visit = factory.SubFactory(VisitFactory)
    criterion = factory.SubFactory(CriterionFactory)
    max_score = factory.SelfAttribute("criterion.max_score")


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    visit = factory.SubFactory(VisitFactory)
    kind = Finding.Kind.SHORTCOMING
    text = factory.Sequence(lambda n: f"Hạn chế {n}")


class RemedyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Remedy

    finding = factory.SubFactory(FindingFactory)
    description = "Đã khắc phục"


EVIDENCE_DATA = b"%PDF-1.4\n%%EOF\n"


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    visit = factory.SubFactory(VisitFactory)
    unit = factory.SelfAttribute("visit.unit")
    criterion = factory.SubFactory(CriterionFactory)
    file = factory.django.FileField(filename="bien-ban.pdf", data=EVIDENCE_DATA)
    original_name = "Biên bản.pdf"
    size = len(EVIDENCE_DATA)
    content_type = "application/pdf"
    # Downloads check the stored file against it.
    sha256 = hashlib.sha256(EVIDENCE_DATA).hexdigest()


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    visit = factory.SubFactory(VisitFactory)
    held_on = dt.date(2020, 10, 5)


class ConclusionNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConclusionNotice

    visit = factory.SubFactory(VisitFactory)
    number = factory.Sequence(lambda n: f"{n}/TB-UBND")
    issued_on = dt.date(2020, 10, 30)


class ScoreContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreContest

    visit = factory.SubFactory(VisitFactory)
    criterion = factory.SubFactory(CriterionFactory)
    explanation = "Xã đã niêm yết đủ thủ tục hành chính, có biên bản kèm theo"
    first_score = Decimal("1")
    contested_at = factory.LazyFunction(timezone.now)
