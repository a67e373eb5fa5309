"""The authority's chairman is marked on his role by an administrator, not inferred from a missing department."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import services
from accounts.models import Membership, User
from accounts.tests.factories import MembershipFactory, UserFactory
from inspections.permissions import is_authority_chairman

pytestmark = pytest.mark.django_db
Role = Membership.Role


def _administrator(world):
    admin = UserFactory(username="quantri")
    MembershipFactory(user=admin, unit=world.district, role=Role.ADMIN)
    return admin


def test_an_administrator_marks_the_chairman_on_the_people_screen(world, client):
    client.force_login(_administrator(world))
    form = client.get(reverse("accounts:person_create")).content.decode()
    assert 'name="is_chairman"' in form and "Chủ tịch Ủy ban nhân dân" in form
    response = client.post(
        reverse("accounts:person_create"),
        {"full_name": "Mai Văn Lực", "role": Role.VIEWER, "position": "Chủ tịch UBND huyện", "is_chairman": "on"},
    )
    assert response.status_code == 302
    person = User.objects.get(full_name="Mai Văn Lực")
    assert person.memberships.get().is_chairman
    assert is_authority_chairman(person, world.plan)
    # Unmarked on the same screen, he no longer changes a running campaign's team.
    edit = reverse("accounts:person_edit", args=[person.pk])
    box = re.search(r'<input[^>]*name="is_chairman"[^>]*>', client.get(edit).content.decode()).group(0)
    assert "checked" in box
    client.post(edit, {"full_name": "Mai Văn Lực", "role": Role.VIEWER, "position": "Chủ tịch UBND huyện"})
    assert not is_authority_chairman(person, world.plan)


def test_the_secretariat_neither_sees_nor_sets_the_mark_and_keeps_it_when_editing(world, client):
    secretariat = world.users["secretariat"]
    client.force_login(secretariat)
    assert 'name="is_chairman"' not in client.get(reverse("accounts:person_create")).content.decode()
    data = {"full_name": "Lê Văn Bình", "role": Role.VIEWER, "is_chairman": "on"}
    client.post(reverse("accounts:person_create"), data)
    assert not User.objects.get(full_name="Lê Văn Bình").memberships.get().is_chairman
    with pytest.raises(PermissionDenied):
        services.person_create(
            manager=secretariat, authority=world.district, full_name="Ai Đó", role=Role.VIEWER, is_chairman=True
        )
    # Editing the chairman's contacts keeps his mark.
    chairman = world.users["viewer"]
    client.post(
        reverse("accounts:person_edit", args=[chairman.pk]),
        {"full_name": "Viewer", "role": Role.VIEWER, "phone": "0913"},
    )
    assert chairman.memberships.get(unit=world.district).is_chairman


def test_a_commune_role_is_not_marked_chairman(world, client):
    client.force_login(_administrator(world))
    response = client.post(
        reverse("accounts:person_create"),
        {"full_name": "Lê Thị Hồng", "role": Role.COMMUNE_LEAD, "commune": world.commune_a.pk, "is_chairman": "on"},
    )
    assert response.status_code == 200
    assert "Chủ tịch Ủy ban nhân dân giữ vai trò tại chính cơ quan kiểm tra" in response.content.decode()
    assert not User.objects.filter(full_name="Lê Thị Hồng").exists()


def test_the_upgrade_keeps_the_chairmen_it_used_to_infer(world):
    from communes.tests.factories import DepartmentFactory

    migration = importlib.import_module("accounts.migrations.0005_membership_is_chairman")
    plain = UserFactory(username="phochutich")
    MembershipFactory(user=plain, unit=world.district, role=Role.VIEWER)
    of_department = UserFactory(username="chuyenvien")
    department = DepartmentFactory(authority=world.district)
    MembershipFactory(user=of_department, unit=world.district, role=Role.VIEWER, department=department)
    migration.mark_the_chairmen_as_they_were_inferred(apps, None)
    assert Membership.objects.get(user=plain).is_chairman
    assert not Membership.objects.get(user=of_department).is_chairman
    # A commune's people are never marked.
    assert not Membership.objects.filter(unit=world.commune_a, is_chairman=True).exists()
