"""Sign-in protection: lockout by account and by address, unlocking, session limits, sign-in history."""

import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.security import LAST_SEEN_AT, SIGNED_IN_AT

LOGIN = "accounts:login"


def _fail(client: Client, username: str, times: int, address: str = "10.0.0.1"):
    responses = []
    for _ in range(times):
        responses.append(client.post(reverse(LOGIN), {"username": username, "password": "wrong"}, REMOTE_ADDR=address))
    return responses


def _sign_in(client: Client, username: str, address: str = "10.0.0.1"):
    return client.post(
        reverse(LOGIN), {"username": username, "password": "demo"}, REMOTE_ADDR=address, HTTP_USER_AGENT="Firefox/140"
    )


def test_account_locks_after_the_configured_failures_with_a_vietnamese_message(world, client, settings, caplog):
    settings.AXES_FAILURE_LIMIT = 3
    caplog.set_level(logging.WARNING, logger="cchc.security")
    answers = _fail(client, "lead", 3)
    assert [r.status_code for r in answers] == [200, 200, 429]
    body = answers[-1].content.decode()
    assert 'data-testid="locked-out"' in body and "bị khóa" in body and "sau 3 lần" in body
    # The right password no longer opens the account, from this address or any other.
    assert _sign_in(client, "lead").status_code == 429
    assert _sign_in(Client(), "lead", address="10.9.9.9").status_code == 429
    failures = [r.getMessage() for r in caplog.records if "sign-in failed" in r.getMessage()]
    # Three wrong passwords, then two refused while locked: every attempt is in the log.
    assert len(failures) == 5 and all("username='lead'" in line for line in failures)
    assert any("locked out" in r.getMessage() and "'lead'" in r.getMessage() for r in caplog.records)


def test_address_locks_after_failures_on_several_accounts(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for username in ("lead", "viewer", "inspector"):
        _fail(client, username, 1, address="10.0.0.7")
    # A fourth account from the same address is refused even with its right password.
    assert _sign_in(client, "secretariat", address="10.0.0.7").status_code == 429
    assert _sign_in(Client(), "secretariat", address="10.0.0.8").status_code == 302


def test_lockout_ends_after_the_configured_time(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    _fail(client, "viewer", 2)
    assert _sign_in(client, "viewer").status_code == 429
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert _sign_in(client, "viewer").status_code == 302


def test_a_success_before_the_limit_resets_the_count(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    _fail(client, "viewer", 2)
    assert _sign_in(client, "viewer").status_code == 302
    _fail(Client(), "viewer", 2)
    assert _sign_in(Client(), "viewer").status_code == 302


def test_secretariat_unlocks_an_account_of_its_units(world, client, settings, persona_client):
    settings.AXES_FAILURE_LIMIT = 2
    _fail(client, "commune_a", 2)
    secretariat = persona_client("secretariat")
    listing = secretariat.get(reverse("accounts:lockout_list")).content.decode()
    assert "commune_a" in listing and "10.0.0.1" not in listing
    response = secretariat.post(reverse("accounts:lockout_clear"), {"username": "commune_a"})
    assert response.status_code == 302
    assert _sign_in(Client(), "commune_a").status_code == 302


def test_secretariat_may_not_unlock_an_address_or_an_account_outside_its_units(world, client, settings, persona_client):
    from accounts.tests.factories import UserFactory

    UserFactory(username="elsewhere")
    secretariat = persona_client("secretariat")
    assert secretariat.post(reverse("accounts:lockout_clear"), {"username": "elsewhere"}).status_code == 403
    assert secretariat.post(reverse("accounts:lockout_clear"), {"ip_address": "10.0.0.1"}).status_code == 403


def test_administrator_sees_failures_and_unlocks_an_address(world, client, settings):
    from accounts.tests.factories import UserFactory

    settings.AXES_FAILURE_LIMIT = 2
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    _fail(client, "ghost", 2, address="10.0.0.9")
    assert _sign_in(client, "viewer", address="10.0.0.9").status_code == 429
    staff = Client()
    staff.force_login(admin)
    history = staff.get(reverse("accounts:signin_history")).content.decode()
    assert 'data-testid="signin-failures"' in history and "ghost" in history
    assert "10.0.0.9" in staff.get(reverse("accounts:lockout_list")).content.decode()
    staff.post(reverse("accounts:lockout_clear"), {"ip_address": "10.0.0.9"})
    assert _sign_in(client, "viewer", address="10.0.0.9").status_code == 302


def test_each_user_sees_his_own_recent_sign_ins_only(world):
    _sign_in(Client(), "lead", address="10.1.1.1")
    _sign_in(Client(), "viewer", address="10.2.2.2")
    client = Client()
    _sign_in(client, "lead", address="10.1.1.3")
    body = client.get(reverse("accounts:signin_history")).content.decode()
    assert "10.1.1.1" in body and "10.1.1.3" in body and "Firefox/140" in body
    assert "10.2.2.2" not in body and 'data-testid="signin-failures"' not in body


def test_address_comes_from_the_trusted_proxy_only(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    # Without a trusted proxy a forged X-Forwarded-For changes nothing: the connection's address locks.
    for forged in ("1.1.1.1", "2.2.2.2"):
        client.post(
            reverse(LOGIN), {"username": "x", "password": "y"}, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forged
        )
    assert _sign_in(client, "viewer", address="10.0.0.5").status_code == 429
    settings.TRUSTED_PROXY_COUNT = 1
    response = Client().post(
        reverse(LOGIN),
        {"username": "viewer", "password": "demo"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="10.3.3.3",
    )
    assert response.status_code == 302


def _session_clock(client: Client, **seconds_ago):
    session = client.session
    now = timezone.now().timestamp()
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN_AT}[key]] = now - ago
    session.save()


@pytest.mark.parametrize(
    ("signed_in", "last_seen", "signed_out"),
    [
        (60, 30, False),
        (3600, 29 * 60, False),
        (3600, 31 * 60, True),  # idle longer than 30 minutes
        (12 * 3600 + 60, 10, True),  # active, but past the 12-hour limit
    ],
)
def test_session_ends_when_idle_or_past_its_absolute_limit(world, signed_in, last_seen, signed_out):
    client = Client()
    assert _sign_in(client, "lead").status_code == 302
    _session_clock(client, signed_in=signed_in, last_seen=last_seen)
    response = client.get(reverse("home"))
    if signed_out:
        assert response.status_code == 302 and response["Location"].startswith(reverse(LOGIN))
        page = client.get(response["Location"]).content.decode()
        assert "Bạn đã được đăng xuất" in page
        assert client.get(reverse("home")).status_code == 302
    else:
        assert response.status_code == 200


def test_idle_limit_is_configurable(world, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client = Client()
    _sign_in(client, "lead")
    _session_clock(client, last_seen=6 * 60)
    assert client.get(reverse("home")).status_code == 302


def test_htmx_request_of_an_expired_session_sends_the_page_to_sign_in(world):
    client = Client()
    _sign_in(client, "lead")
    _session_clock(client, last_seen=3600)
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == reverse(LOGIN)


def test_password_change_ends_every_other_session_of_the_user(world):
    """Django's password change keeps the session that changed it (update_session_auth_hash) and ends the rest."""
    from django.contrib.auth import update_session_auth_hash
    from django.test import RequestFactory

    here, elsewhere = Client(), Client()
    _sign_in(here, "lead")
    _sign_in(elsewhere, "lead", address="10.0.0.2")
    user = world.users["lead"]
    user.set_password("a-new-long-password-2026")
    user.save()
    request = RequestFactory().get("/")
    request.session = here.session
    request.user = user
    update_session_auth_hash(request, user)
    request.session.save()
    # The view's response would carry the renewed session key in its cookie.
    here.cookies["sessionid"] = request.session.session_key
    assert here.get(reverse("home")).status_code == 200
    assert elsewhere.get(reverse("home")).status_code == 302


def test_session_cookie_never_outlives_the_absolute_limit(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_HOURS * 3600 == 12 * 3600
    assert settings.SESSION_IDLE_MINUTES == 30
