"""Run the hostile upload corpus through the upload checks and print how many files are refused."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from inspections.uploads import inspect_upload
from inspections.uploads.corpus import CLEANED, HOSTILE


class Command(BaseCommand):
    help = "Check every file of the hostile upload corpus; print refused / total and the pictures cleaned."

    def add_arguments(self, parser):
        parser.add_argument("--verbose-files", action="store_true", help="One line per file with its reason.")

    def handle(self, *args, verbose_files=False, **options):
        """Print the figures; exit non-zero when a hostile file is kept or a picture keeps hostile bytes."""
        translation.activate("en")
        refused, wrong_reason, kept = 0, [], []
        for name, build, expected in HOSTILE:
            try:
                inspect_upload(SimpleUploadedFile(name, build()))
            except ValidationError as error:
                refused += 1
                if error.code != expected:
                    wrong_reason.append(f"{name}: {error.code}, expected {expected}")
                if verbose_files:
                    self.stdout.write(f"  refused  {error.code:<14} {name}")
            else:
                kept.append(name)
                self.stdout.write(f"  KEPT     {expected:<14} {name}")
        cleaned, dirty = 0, []
        for case in CLEANED:
            upload = SimpleUploadedFile(case.name, case.build())
            inspect_upload(upload)
            upload.seek(0)
            data = upload.read()
            left = [marker.decode(errors="replace") for marker in case.gone if marker in data]
            if left:
                dirty.append(f"{case.name}: still holds {', '.join(left)}")
            else:
                cleaned += 1
            if verbose_files:
                self.stdout.write(f"  {'cleaned' if not left else 'DIRTY':<8} {'re-encoded':<14} {case.name}")
        self.stdout.write(f"Hostile uploads refused: {refused} / {len(HOSTILE)}")
        self.stdout.write(f"Pictures re-encoded without metadata or appended data: {cleaned} / {len(CLEANED)}")
        for line in wrong_reason + dirty:
            self.stdout.write(f"  {line}")
        if kept or dirty:
            raise CommandError(f"{len(kept)} hostile file(s) kept, {len(dirty)} picture(s) not cleaned.")
