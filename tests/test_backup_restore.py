"""The restore drill: a round backed up, restored into a fresh database and bucket, compared, and reported on."""

import hashlib
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cchc_inspect.celery import app
from inspections.tests.test_portal_evidence import open_visit, pdf_upload, upload_through_the_form
from reports import services
from reports.models import Report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def eager():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _admin_connection():
    s = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres", user=s["USER"], password=s["PASSWORD"], host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432
    )
    admin.autocommit = True
    return admin


@pytest.fixture
def fresh_database():
    """A newly created, empty PostgreSQL database; dropped afterwards. Yields its URL and a counter of its rows."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    s = connection.settings_dict
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    try:
        yield name, url
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def counts_of(database: str) -> dict[str, int]:
    s = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=database,
            user=s["USER"],
            password=s["PASSWORD"],
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
        ) as other,
        other.cursor() as cursor,
    ):
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(row[0] for row in cursor.fetchall())
        found = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            found[table] = cursor.fetchone()[0]
    other.close()
    return found


def manage(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )


def hashes(objects: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in objects.items()}


@pytest.mark.worker
def test_restore_drill_backup_restore_compare_and_report_from_the_copy(
    transactional_db, object_storage, object_store, world, eager, client, tmp_path, fresh_database, capsys
):
    # A round: the factories' campaign, evidence uploaded through the screen, documents rendered.
    open_visit(world)
    client.force_login(world.users["commune_a"])
    for number in range(3):
        upload = pdf_upload(name=f"Tài liệu {number}.pdf", text=f"Văn bản số {number}/UBND")
        assert upload_through_the_form(client, world, upload.read(), f"Tài liệu {number}.pdf").status_code in (200, 302)
    services.report_request(user=world.users["lead"], plan=world.plan, kind=Report.Kind.DISTRICT)
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.DONE}
    source_objects = hashes(object_store.objects(object_storage))
    assert len(source_objects) >= 5 + 2  # the world's two, three uploads, the report and its score table

    folder = tmp_path / "backup"
    started = time.monotonic()
    call_command("backup", out=folder)
    backup_seconds = time.monotonic() - started
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {item["name"]: item["sha256"] for item in manifest["objects"]} == source_objects
    assert manifest["tables"]["inspections_evidence"] == 5

    database, url = fresh_database
    bucket = object_store.bucket()
    restored_env = {"DATABASE_URL": url, **object_store.env(bucket)}
    started = time.monotonic()
    result = manage("restore", str(folder), env=restored_env)
    restore_seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "match the manifest" in result.stdout

    # Every table's row count and every object's hash, compared with the source itself.
    assert counts_of(database) == counts_of(connection.settings_dict["NAME"])
    assert hashes(object_store.objects(bucket)) == source_objects

    # The restored copy works: a report rendered from it, stored in its own bucket.
    started = time.monotonic()
    result = manage(
        "render_report", "district", "--year", "2020", "--out", str(tmp_path / "restored.pdf"), env=restored_env
    )
    render_seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "restored.pdf").read_bytes().startswith(b"%PDF")
    assert len(object_store.objects(bucket)) == len(source_objects) + 1
    # Nothing of the source changed.
    assert hashes(object_store.objects(object_storage)) == source_objects
    with capsys.disabled():
        print(
            f"\nRestore drill: backup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s "
            f"({len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows, "
            f"{len(source_objects)} files), report from the copy {render_seconds:.1f} s"
        )


def test_restore_refuses_a_database_that_is_not_empty(transactional_db, world, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", out=folder)
    assert (folder / "database.dump").stat().st_size > 0
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder))


def test_backup_refuses_a_folder_that_is_not_empty(transactional_db, tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", out=tmp_path)


def test_restore_refuses_a_damaged_backup_before_touching_anything(transactional_db, world, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", out=folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    damaged = folder / "objects" / manifest["objects"][0]["name"]
    damaged.write_bytes(b"changed")
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("restore", str(folder))


def test_restore_refuses_a_storage_that_is_not_empty(transactional_db, world, tmp_path, object_store, fresh_database):
    folder = tmp_path / "backup"
    call_command("backup", out=folder)
    database, url = fresh_database
    bucket = object_store.bucket()
    object_store.client.put_object(Bucket=bucket, Key="evidence/1/old.pdf", Body=b"%PDF-1.4\n%%EOF\n")
    result = manage("restore", str(folder), env={"DATABASE_URL": url, **object_store.env(bucket)})
    assert result.returncode != 0
    assert "The storage is not empty" in result.stderr
    assert counts_of(database) == {}
