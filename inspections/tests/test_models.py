"""Database constraints and model validation of the inspection cycle."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory
from communes.tests.factories import CommuneFactory
from inspections.models import CriterionScore, Evidence, Finding, Minutes, TeamMember
from inspections.tests.factories import (
    BandFactory,
    CriterionFactory,
    EvidenceFactory,
    FindingFactory,
    PlanFactory,
    RemedyFactory,
    ScoreFactory,
    TeamFactory,
    TeamMemberFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def integrity_error(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


@pytest.mark.parametrize("field", ["self_score", "appraised_score"])
@pytest.mark.parametrize("value", [Decimal("-0.25"), Decimal("10.25")])
def test_the_database_refuses_scores_outside_zero_to_maximum(field, value):
    criterion = CriterionFactory(max_score=Decimal("10"))
    integrity_error(ScoreFactory, criterion=criterion, **{field: value})


def test_scores_at_the_bounds_and_in_quarters_are_kept():
    criterion = CriterionFactory(max_score=Decimal("0.75"))
    score = ScoreFactory(criterion=criterion, self_score=Decimal("0.75"), appraised_score=Decimal("0.25"))
    score.refresh_from_db()
    assert score.appraised_score == Decimal("0.25")
    assert score.gap == Decimal("-0.50")


def test_one_score_per_criterion_and_visit():
    score = ScoreFactory()
    integrity_error(ScoreFactory, visit=score.visit, criterion=score.criterion)


def test_clean_explains_an_out_of_range_score():
    score = CriterionScore(max_score=Decimal("2"), self_score=Decimal("3"))
    with pytest.raises(ValidationError) as error:
        score.clean()
    assert "self_score" in error.value.message_dict


def test_evidence_backs_either_a_criterion_or_a_remedy_not_both():
    remedy = RemedyFactory()
    integrity_error(EvidenceFactory, remedy=remedy)
    evidence = EvidenceFactory(visit=None, criterion=None, remedy=remedy, unit=remedy.finding.visit.unit)
    assert evidence.remedy == remedy
    integrity_error(EvidenceFactory, visit=None, criterion=None, remedy=None, unit=CommuneFactory())


def test_evidence_sha256_must_be_hex():
    integrity_error(EvidenceFactory, sha256="not-a-digest")
    assert Evidence.objects.count() == 0


def test_strengths_cannot_take_a_remedy_status():
    integrity_error(FindingFactory, kind=Finding.Kind.STRENGTH, status=Finding.Status.REMEDIED)
    assert FindingFactory(kind=Finding.Kind.SHORTCOMING, status=Finding.Status.REMEDIED).pk


def test_a_returned_remedy_needs_a_reason():
    integrity_error(RemedyFactory, status="returned", return_reason="")
    assert RemedyFactory(status="returned", return_reason="Thiếu văn bản chứng minh").pk


def test_one_visit_per_commune_in_a_campaign():
    visit = VisitFactory()
    integrity_error(VisitFactory, plan=visit.plan, unit=visit.unit)


def test_a_round_cannot_end_before_it_starts():
    integrity_error(PlanFactory, round_start=dt.date(2020, 10, 14), round_end=dt.date(2020, 10, 5))


def test_plan_forms_must_be_known():
    plan = PlanFactory.build(forms=["on_site", "by_pigeon"])
    with pytest.raises(ValidationError) as error:
        plan.clean()
    assert "forms" in error.value.message_dict


def test_a_team_has_a_single_lead():
    team = TeamFactory()
    TeamMemberFactory(team=team, role=TeamMember.Role.LEAD)
    integrity_error(TeamMemberFactory, team=team, role=TeamMember.Role.LEAD)


def test_band_threshold_lies_between_0_and_100():
    integrity_error(BandFactory, min_percent=Decimal("101"))


def test_scoring_options_above_the_maximum_are_rejected():
    criterion = CriterionFactory.build(max_score=Decimal("2"), scoring_options=[{"label": "Đạt", "score": "3"}])
    criterion.criteria_set = criterion.area.criteria_set
    with pytest.raises(ValidationError) as error:
        criterion.clean()
    assert "scoring_options" in error.value.message_dict


def test_a_sub_criterion_stays_in_its_parents_area():
    parent = CriterionFactory()
    other_area_child = CriterionFactory.build(parent=parent, criteria_set=parent.criteria_set)
    other_area_child.area.criteria_set = parent.criteria_set
    other_area_child.area.save()
    with pytest.raises(ValidationError) as error:
        other_area_child.clean()
    assert "parent" in error.value.message_dict


def test_minutes_attendees_need_names():
    minutes = Minutes(team_attendees=[{"position": "Trưởng đoàn"}], commune_attendees=[])
    with pytest.raises(ValidationError):
        minutes.clean()


def test_commune_roles_belong_to_communes_and_authority_roles_to_districts():
    commune = CommuneFactory()
    wrong = MembershipFactory.build(unit=commune, role=Membership.Role.INSPECTOR)
    with pytest.raises(ValidationError):
        wrong.clean()
    wrong = MembershipFactory.build(unit=commune.parent, role=Membership.Role.COMMUNE_STAFF)
    with pytest.raises(ValidationError):
        wrong.clean()
