"""A person's scope, read once a request: the communes he belongs to through mergers, and the roles he holds there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import scope_for
from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from communes.tests.factories import CommuneFactory, ProvinceFactory, SuccessionFactory
from inspections.services.portal import rights

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_roles_and_the_communes_worked_in_follow_every_merger_back():
    # 2020: A and B; 2023: A and B merge into AB; 2025: AB and C merge into ABC. The clerk works at ABC.
    a, b, c, ab, abc, elsewhere = (CommuneFactory() for _ in range(6))
    SuccessionFactory(successor=ab, predecessor=a)
    SuccessionFactory(successor=ab, predecessor=b)
    SuccessionFactory(successor=abc, predecessor=ab)
    SuccessionFactory(successor=abc, predecessor=c)
    clerk = UserFactory()
    MembershipFactory(user=clerk, unit=abc, role=Role.COMMUNE_STAFF)
    MembershipFactory(user=clerk, unit=c, role=Role.COMMUNE_LEAD)

    scope = scope_for(clerk)
    assert scope.commune_unit_ids == {a.pk, b.pk, c.pk, ab.pk, abc.pk}
    assert scope.works_in_unit_ids == {a.pk, b.pk, c.pk, ab.pk, abc.pk}
    with CaptureQueriesContext(connection) as queries:
        assert rights.commune_roles(clerk, a.pk) == {Role.COMMUNE_STAFF}
        assert rights.commune_roles(clerk, c.pk) == {Role.COMMUNE_STAFF, Role.COMMUNE_LEAD}
        assert rights.commune_roles(clerk, elsewhere.pk) == frozenset()
        assert rights.works_in_commune(clerk, b.pk) and not rights.works_in_commune(clerk, elsewhere.pk)
    assert len(queries) == 0


def test_an_authority_person_works_in_no_commune_and_reads_no_succession():
    province = ProvinceFactory()
    lead = UserFactory()
    MembershipFactory(user=lead, unit=province, role=Role.TEAM_LEAD)
    commune = CommuneFactory()
    with CaptureQueriesContext(connection) as queries:
        scope = scope_for(lead)
        assert not rights.works_in_commune(lead, commune.pk)
        assert rights.commune_roles(lead, commune.pk) == frozenset()
    assert scope.commune_unit_ids == frozenset() and scope.works_in_unit_ids == frozenset()
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_an_inactive_membership_gives_nothing():
    commune = CommuneFactory()
    clerk = UserFactory()
    MembershipFactory(user=clerk, unit=commune, role=Role.COMMUNE_STAFF, is_active=False)
    assert not rights.works_in_commune(clerk, commune.pk)
    assert rights.commune_roles(clerk, commune.pk) == frozenset()
