"""Two-step sign-in through the screens: set up with an app, sign in with its code or a recovery code,
required for signing roles when the authority turns it on, off for everyone otherwise."""

import base64
import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

LOGIN = "accounts:login"


def _sign_in(client: Client, username: str):
    return client.post(reverse(LOGIN), {"username": username, "password": "demo"})


def _code(secret: str, offset: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def _set_up(client: Client) -> tuple[str, list[str]]:
    """Turn two-step sign-in on through the set-up page; return the secret and the recovery codes shown."""
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert 'data-testid="otp-qr"' in page and "data:image/svg+xml;base64," in page
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', page).group(1)
    shown = client.post(reverse("accounts:otp_setup"), {"token": _code(secret)}).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8,})</li>", shown)
    assert len(codes) == 10
    return secret, codes


def test_user_turns_it_on_and_then_signs_in_with_password_and_code(world):
    first = Client()
    _sign_in(first, "viewer")
    secret, _codes = _set_up(first)
    assert first.get(reverse("home")).status_code == 200  # the session that set it up is verified

    client = Client()
    assert _sign_in(client, "viewer").status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    wrong = client.post(reverse("accounts:otp_verify"), {"token": "000000", "next": "/"})
    assert wrong.status_code == 400 and "Mã không đúng" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302
    time.sleep(1.1)  # a refused code delays the next try by a second
    right = client.post(reverse("accounts:otp_verify"), {"token": _code(secret, offset=30), "next": "/"})
    assert right.status_code == 302 and right["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_opens_the_account_once(world):
    setup = Client()
    _sign_in(setup, "viewer")
    _secret, codes = _set_up(setup)
    for attempt, expected in ((1, 302), (2, 400)):
        client = Client()
        _sign_in(client, "viewer")
        response = client.post(reverse("accounts:otp_verify"), {"token": codes[0].upper(), "next": "/"})
        assert response.status_code == expected, attempt
    # A refused code slows the next try down by a second (django-otp's throttle).
    time.sleep(1.1)
    client = Client()
    _sign_in(client, "viewer")
    assert client.post(reverse("accounts:otp_verify"), {"token": codes[1], "next": "/"}).status_code == 302


def test_before_the_code_only_the_second_step_answers(world):
    setup = Client()
    _sign_in(setup, "lead")
    _set_up(setup)
    client = Client()
    _sign_in(client, "lead")
    for url in (reverse("inspections:plan_detail", args=[world.plan.pk]), reverse("reports:index")):
        assert client.get(url)["Location"].startswith(reverse("accounts:otp_verify"))
    htmx = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(reverse("accounts:otp_verify"))
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_the_next_address_after_the_code_stays_on_this_site(world):
    setup = Client()
    _sign_in(setup, "viewer")
    secret, _codes = _set_up(setup)
    client = Client()
    _sign_in(client, "viewer")
    response = client.post(
        reverse("accounts:otp_verify"), {"token": _code(secret, offset=30), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize(
    ("username", "must"),
    [("lead", True), ("secretariat", True), ("viewer", False), ("inspector", False), ("commune_a_lead", False)],
)
def test_authority_can_require_it_of_the_roles_that_sign_or_issue_documents(world, settings, username, must):
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    _sign_in(client, username)
    response = client.get(reverse("home"))
    if must:
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_setup"))
        _set_up(client)
        assert client.get(reverse("home")).status_code == 200
        refused = client.post(reverse("accounts:otp_disable"), follow=True).content.decode()
        assert "không thể tắt" in refused
    else:
        assert response.status_code == 200


def test_administrator_must_use_it_when_required(world, settings):
    from accounts.tests.factories import UserFactory

    settings.TWO_FACTOR_REQUIRED = True
    UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    _sign_in(client, "root")
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("accounts:otp_setup"))


def test_it_is_off_for_everyone_unless_turned_on(world):
    for username in ("lead", "secretariat", "commune_a"):
        client = Client()
        _sign_in(client, username)
        assert client.get(reverse("home")).status_code == 200


def test_user_may_turn_it_off_when_not_required(world):
    client = Client()
    _sign_in(client, "viewer")
    _set_up(client)
    client.post(reverse("accounts:otp_disable"))
    fresh = Client()
    _sign_in(fresh, "viewer")
    assert fresh.get(reverse("home")).status_code == 200


def test_repeated_wrong_codes_are_slowed_down(world):
    setup = Client()
    _sign_in(setup, "viewer")
    secret, _codes = _set_up(setup)
    client = Client()
    _sign_in(client, "viewer")
    for _attempt in range(3):
        client.post(reverse("accounts:otp_verify"), {"token": "123456", "next": "/"})
    # django-otp's throttle: after failures even the right code waits a few seconds.
    assert (
        client.post(reverse("accounts:otp_verify"), {"token": _code(secret, offset=30), "next": "/"}).status_code == 400
    )
