"""`manage.py restore DIR`: a backup into an empty database and an empty storage, checked against its manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc_inspect.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database and storage, then compare row counts and SHA-256s."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a folder written by `manage.py backup`")
        parser.add_argument("--jobs", type=int, default=8, help="files copied at once (default 8)")

    def handle(self, *args, folder: Path, jobs: int, **options):
        """Restore `folder`; CommandError with the reason when it cannot or when the result differs."""
        try:
            summary = restore(folder, jobs=jobs)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {summary.tables} tables, {summary.rows} rows, {summary.objects} files "
            f"({summary.bytes} bytes) in {summary.seconds:.1f} s; counts and SHA-256s match the manifest."
        )
