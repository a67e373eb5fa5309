"""Browser-facing protection: the CSP header, no caching of signed-in pages and downloads, the CSRF page,
HSTS in production, `check --deploy` clean with the production values, no route list on a debug 404."""

import os
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("persona", ["anonymous", "secretariat", "commune_a"])
def test_every_page_carries_a_policy_without_inline_scripts_and_forbids_framing(world, persona_client, persona):
    client = persona_client(persona)
    url = reverse("accounts:login") if persona == "anonymous" else reverse("home")
    policy = _csp(client.get(url))
    assert policy["script-src"] == "script-src 'self'"
    assert "unsafe" not in policy["script-src"] and "unsafe" not in policy["default-src"]
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"


def test_signed_in_pages_downloads_and_exports_are_not_stored(world, persona_client):
    secretariat = persona_client("secretariat")
    for url in (
        reverse("home"),
        reverse("inspections:plan_dashboard", args=[world.plan.pk]),
        reverse("inspections:plan_dashboard_export", args=[world.plan.pk]),
        reverse("inspections:criteria_sheet_example"),
    ):
        response = secretariat.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    evidence = world.visit_a.evidence.first()
    response = persona_client("commune_a").get(reverse("inspections:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_refused_form_explains_itself_in_vietnamese_inside_the_site(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "lead", "password": "demo"})
    body = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="csrf-failure"' in body and "Biểu mẫu đã hết hiệu lực" in body
    assert "app-navbar" in body and "CSRF verification failed" not in body


def test_debug_404_lists_no_routes_to_a_commune_user_but_does_to_staff(world, persona_client, settings):
    settings.DEBUG = True
    response = persona_client("commune_a").get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "URLconf" not in body and "accounts/lockouts/" not in body and "app-navbar" in body
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404 and "URLconf" not in anonymous.content.decode()
    world.users["secretariat"].is_staff = True
    world.users["secretariat"].save()
    staff = persona_client("secretariat").get("/no-such-page/")
    assert staff.status_code == 404 and "URLconf" in staff.content.decode()


def test_debug_404_of_another_communes_visit_is_the_normal_page(world, persona_client, settings):
    from django.urls import reverse

    settings.DEBUG = True
    response = persona_client("commune_b").get(reverse("inspections:visit_detail", args=[world.visit_a.pk]))
    body = response.content.decode()
    assert response.status_code == 404
    assert "Raised by" not in body and "URLconf" not in body and "app-navbar" in body


def test_debug_keeps_the_add_a_slash_redirect(world, persona_client, settings):
    settings.DEBUG = True
    response = persona_client("commune_a").get("/reports")
    assert response.status_code == 301 and response["Location"] == "/reports/"


PROBE_HSTS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps([settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS]))"
)


def test_production_sends_hsts_for_a_year_without_subdomains_unless_configured(tmp_path):
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "cchc.example.gov.vn"}
    result = subprocess.run(
        [".venv/bin/python", "-c", PROBE_HSTS],
        cwd=ROOT,
        env={**run_settings_env(tmp_path), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[31536000, false]"


def run_settings_env(tmp_path) -> dict[str, str]:
    keys = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS"}
    clean = {k: v for k, v in os.environ.items() if k not in keys}
    clean.update(DJANGO_SETTINGS_MODULE="cchc_inspect.settings", VAR_DIR=str(tmp_path))
    return clean


def test_check_deploy_reports_no_warning_with_the_production_values():
    # The browser tests of this process set DJANGO_ALLOW_ASYNC_UNSAFE, which production never does.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(["bash", ".ci/prod-check.sh"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    dry_run = subprocess.run(["make", "-n", "prod-check"], cwd=ROOT, capture_output=True, text=True)
    assert ".ci/prod-check.sh" in dry_run.stdout


def test_hsts_header_is_sent_over_https_in_production(world, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    response = Client().get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
