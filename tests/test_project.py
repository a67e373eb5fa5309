"""Project-wide guards: migrations match the models, every string has its Vietnamese text."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Models changed without a migration:\n{out.getvalue()}")


def test_every_message_has_a_vietnamese_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [e.msgid for e in catalogue if e.obsolete is False and (not e.translated() or e.fuzzy)]
    assert not untranslated, f"Without Vietnamese text in {CATALOGUE.name}: {untranslated}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is installed by make test")
def test_the_catalogue_passes_msgfmt_checks():
    """Placeholders of every translation match their English message."""
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(CATALOGUE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is installed by make test")
def test_the_catalogue_holds_every_message_of_the_source(tmp_path):
    """Extract the messages afresh and compare: a string added without a translation fails here."""
    target = tmp_path / "src"
    shutil.copytree(
        ROOT, target, ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "*.mo", "__pycache__")
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "--ignore=conftest.py",
            "--ignore=*/tests/*",
            "--ignore=bench/*",
        ],
        cwd=target,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(target / "locale" / "vi" / "LC_MESSAGES" / "django.po"))}
    known = {e.msgid for e in polib.pofile(str(CATALOGUE)) if e.translated()}
    missing = sorted(fresh - known)
    assert not missing, f"Run .ci/po_fill.py and translate: {missing}"


@pytest.mark.django_db
def test_postgresql_connections_do_not_compile_queries_just_in_time():
    """A query the planner costs high was compiled for 30 ms to run for 2: the application's connections say no."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
