"""Back up and restore the whole application: the database and every stored object, with a manifest of SHA-256s.

A backup folder holds `database.dump` (PostgreSQL custom format; `database.sqlite3` for SQLite),
`objects/<name>` for every object of the storage (local folder or bucket) and `manifest.json`:
the row count of every table and the size and SHA-256 of every file. The counts and the list of
files the rows refer to are read in the very snapshot that pg_dump exports, and stored objects
are never changed once written (generated names), so the copy is consistent while users work.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, models, transaction

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore cannot go on; the message says why and what to do."""


@dataclass
class Summary:
    tables: int
    rows: int
    objects: int
    bytes: int
    seconds: float


def _pg_env() -> dict:
    s = connection.settings_dict
    env = {**os.environ, "PGDATABASE": s["NAME"], "PGUSER": s.get("USER") or "", "PGPASSWORD": s.get("PASSWORD") or ""}
    if s.get("HOST"):
        env["PGHOST"] = s["HOST"]
    if s.get("PORT"):
        env["PGPORT"] = str(s["PORT"])
    return env


def _run(command: list[str], env: dict) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()[-2000:]}") from exc


def table_counts() -> dict[str, int]:
    """Rows of every table of the database, by table name."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            # Bandit B608 reviewed: the table name comes from the database's own catalogue, quoted.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # nosec
            counts[table] = cursor.fetchone()[0]
    return counts


def referenced_files() -> set[str]:
    """Names of the stored files that rows refer to (every FileField of every model)."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.concrete:
                values = model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                names.update(value for value in values.order_by() if value)
    return names


def stored_names(folder: str = "") -> list[str]:
    """Every object name in the default storage, walking its folders (one flat listing on object storage)."""
    from .storage import is_object_storage

    if not folder and is_object_storage(default_storage):
        location = default_storage.location.strip("/")
        prefix = f"{location}/" if location else ""
        keys = (item.key for item in default_storage.bucket.objects.filter(Prefix=prefix))
        return sorted(key[len(prefix) :] for key in keys if not key.endswith("/"))
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for sub in folders:
        names.extend(stored_names(prefix + sub))
    return sorted(names)


def _copy_out(name: str, target: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with default_storage.open(name, "rb") as source, open(target, "wb") as out:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _in_parallel(work, items, jobs: int) -> list:
    """`work` over `items` on `jobs` threads, in order: object storage answers each request with latency."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(work, items))


def backup(out: Path, *, jobs: int = 8) -> Summary:
    """Write the database dump, a copy of every stored object and the manifest into the empty folder `out`.

    Raises BackupError when the folder is not empty, a tool is missing or a file the rows
    refer to is missing from the storage.
    """
    started = time.monotonic()
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty: back up into a new folder.")
    out.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        database_file = "database.dump"
        with transaction.atomic(), connection.cursor() as cursor:
            # One snapshot for the dump, the counts and the list of files.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={out / database_file}",
                ],
                _pg_env(),
            )
            counts = table_counts()
            referenced = referenced_files()
    elif vendor == "sqlite":
        # SQLite's online backup copies one consistent state (a development database: `make run`).
        database_file = "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(out / database_file)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        counts = table_counts()
        referenced = referenced_files()
    else:
        raise BackupError(f"Backing up a {vendor} database is not supported.")

    def copy(name: str) -> dict:
        size, sha256 = _copy_out(name, out / "objects" / name)
        return {"name": name, "size": size, "sha256": sha256}

    objects = _in_parallel(copy, stored_names(), jobs)
    missing = referenced - {item["name"] for item in objects}
    if missing:
        raise BackupError(
            f"{len(missing)} file(s) the database refers to are missing from the storage, e.g. {min(missing)}."
        )
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"vendor": vendor, "file": database_file, "sha256": file_sha256(out / database_file)},
        "tables": counts,
        "objects": objects,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return Summary(
        tables=len(counts),
        rows=sum(counts.values()),
        objects=len(objects),
        bytes=sum(item["size"] for item in objects),
        seconds=time.monotonic() - started,
    )


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{folder} holds no {MANIFEST}: it is not a backup.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} was written in an unknown backup format.")
    return manifest


def verify_folder(folder: Path, manifest: dict) -> None:
    """Check the dump and every copied object against the manifest before anything is restored."""
    database = manifest["database"]
    if file_sha256(folder / database["file"]) != database["sha256"]:
        raise BackupError(f"{database['file']} does not match its SHA-256 in the manifest.")
    for item in manifest["objects"]:
        path = folder / "objects" / item["name"]
        if not path.is_file() or file_sha256(path) != item["sha256"]:
            raise BackupError(f"objects/{item['name']} is missing or does not match its SHA-256.")


def restore(folder: Path, *, jobs: int = 8) -> Summary:
    """Load a backup into an empty database and an empty storage, then check counts and hashes.

    Raises BackupError when the backup is damaged, the database or storage is not empty, or
    what was restored does not match the manifest.
    """
    started = time.monotonic()
    folder = Path(folder)
    manifest = read_manifest(folder)
    verify_folder(folder, manifest)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"This backup holds a {vendor} database; DATABASE_URL points to {connection.vendor}.")
    if connection.introspection.table_names():
        raise BackupError("The database is not empty: restore into a newly created database.")
    if stored_names():
        raise BackupError("The storage is not empty: restore into a new bucket or folder.")
    dump = folder / manifest["database"]["file"]
    if vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ],
            _pg_env(),
        )
    else:
        connection.close()
        shutil.copyfile(dump, connection.settings_dict["NAME"])
    connection.close()
    from .storage import verify

    def upload(item: dict) -> None:
        with open(folder / "objects" / item["name"], "rb") as handle:
            saved = default_storage.save(item["name"], File(handle, name=item["name"]))
        if saved != item["name"]:
            raise BackupError(f"The storage renamed {item['name']} to {saved}.")
        verify(_StoredName(saved), item["sha256"])

    _in_parallel(upload, manifest["objects"], jobs)
    counts = table_counts()
    if counts != manifest["tables"]:
        differing = sorted(
            t for t in set(counts) | set(manifest["tables"]) if counts.get(t) != manifest["tables"].get(t)
        )
        raise BackupError(f"Row counts differ from the manifest in: {', '.join(differing[:10])}.")
    return Summary(
        tables=len(counts),
        rows=sum(counts.values()),
        objects=len(manifest["objects"]),
        bytes=sum(item["size"] for item in manifest["objects"]),
        seconds=time.monotonic() - started,
    )


class _StoredName:
    """The two attributes storage.verify reads from a FieldFile."""

    def __init__(self, name: str):
        self.name = name
        self.storage = default_storage
