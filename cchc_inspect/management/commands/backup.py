"""`manage.py backup --out DIR`: the database and every stored object, with a manifest of SHA-256s."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc_inspect.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent database dump and a copy of every stored object (with SHA-256s) into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="a new or empty folder")
        parser.add_argument("--jobs", type=int, default=8, help="files copied at once (default 8)")

    def handle(self, *args, out: Path, jobs: int, **options):
        """Back up into `out`; CommandError with the reason when it cannot."""
        try:
            summary = backup(out, jobs=jobs)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{out}: {summary.tables} tables, {summary.rows} rows, {summary.objects} files "
            f"({summary.bytes} bytes) in {summary.seconds:.1f} s"
        )
