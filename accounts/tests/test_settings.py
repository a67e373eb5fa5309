"""Settings come from the environment, refuse unsafe production values and parse strictly."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']),"
    " 'broker': settings.CELERY_BROKER_URL, 'debug': settings.DEBUG, 'lang': settings.LANGUAGE_CODE,"
    " 'tz': settings.TIME_ZONE, 'media': str(settings.MEDIA_ROOT), 'hosts': settings.ALLOWED_HOSTS}))"
)
KEYS = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT", "VAR_DIR")


def run_settings(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in KEYS}
    clean.update(DJANGO_SETTINGS_MODULE="cchc_inspect.settings", VAR_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = run_settings(tmp_path, DEBUG="false", ALLOWED_HOSTS="cchc.example.vn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run_settings(tmp_path, DEBUG="false", SECRET_KEY="s3cret-production-key")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_unset_debug_means_production(tmp_path):
    result = run_settings(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_misspelt_boolean_is_an_error_not_a_guess(tmp_path):
    result = run_settings(tmp_path, DEBUG="ture")
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_defaults_are_sqlite_and_the_local_queue_under_var(tmp_path):
    result = run_settings(tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "cchc.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["media"] == str(tmp_path / "media")
    assert values["lang"] == "vi"
    assert values["tz"] == "Asia/Ho_Chi_Minh"


def test_database_and_broker_urls_are_honoured(tmp_path):
    result = run_settings(
        tmp_path,
        DEBUG="false",
        SECRET_KEY="s3cret-production-key",
        ALLOWED_HOSTS="cchc.example.vn, www.cchc.example.vn",
        DATABASE_URL="postgres://cchc:pw@db.internal:5432/cchc",
        CELERY_BROKER_URL="redis://queue.internal:6379/0",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "cchc"
    assert values["broker"] == "redis://queue.internal:6379/0"
    assert values["debug"] is False
    assert values["hosts"] == ["cchc.example.vn", "www.cchc.example.vn"]
