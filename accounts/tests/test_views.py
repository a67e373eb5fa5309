"""Sign-in, sign-out, the demo notice and the language switch."""

import pytest
from django.urls import reverse

from accounts.models import DemoDataset

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese_by_default(client):
    response = client.get(reverse("accounts:login"))
    content = response.content.decode()
    assert '<html lang="vi">' in content
    assert "Đăng nhập" in content


def test_demo_accounts_are_listed_only_with_debug_on_and_demo_data_loaded(world, client, settings):
    settings.DEBUG = True
    response = client.get(reverse("accounts:login"))
    assert b'data-testid="demo-accounts"' not in response.content
    assert b'data-testid="demo-notice"' not in response.content
    DemoDataset.objects.create(name="tan-hiep-2020")
    content = client.get(reverse("accounts:login")).content.decode()
    assert 'data-testid="demo-accounts"' in content
    assert "<code>secretariat</code>" in content and "<code>commune_a</code>" in content
    assert 'data-testid="demo-notice"' in content
    settings.DEBUG = False
    content = client.get(reverse("accounts:login")).content.decode()
    assert 'data-testid="demo-accounts"' not in content and ">demo<" not in content


def test_sign_in_with_password_then_out(world, client):
    response = client.post(reverse("accounts:login"), {"username": "lead", "password": "demo"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert world.plan.title in home.content.decode()
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_is_explained_in_vietnamese_and_keeps_the_username(world, client):
    response = client.post(reverse("accounts:login"), {"username": "lead", "password": "sai"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="lead"' in content
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in content


def test_language_switch_to_english_and_back(world, client):
    client.force_login(world.users["lead"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in content and "Inspection campaigns" in content
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="vi">' in content and "Các đợt kiểm tra" in content


def test_home_lists_only_the_visits_a_commune_may_see(world, persona_client):
    content = persona_client("commune_b").get(reverse("home")).content.decode()
    assert "Tân Hội" in content and "Thạnh Đông A" not in content


def test_a_page_outside_ones_scope_is_a_friendly_404(world, persona_client):
    response = persona_client("commune_b").get(reverse("inspections:visit_detail", args=[world.visit_a.pk]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_an_english_browser_still_gets_vietnamese_until_english_is_chosen(world, client):
    client.force_login(world.users["lead"])
    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in content
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
