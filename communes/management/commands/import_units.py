from django.core.management.base import BaseCommand, CommandError

from communes.services import units_import


class Command(BaseCommand):
    help = (
        "Import Vietnam's official administrative units (before and after the 2025 reform) and the 2025 "
        "successions from the vietnamadminunits package; running it again changes nothing."
    )

    def handle(self, *args, **options):
        """Create or update the units in one transaction and print what changed."""
        try:
            summary = units_import()
        except ModuleNotFoundError as error:
            raise CommandError(str(error)) from error
        created = summary.created
        self.stdout.write(
            f"Register {summary.version}: created {created[1]} provinces, {created[2]} districts, "
            f"{created[3]} communes and {summary.successions_created} successions; "
            f"updated {summary.updated} units and {summary.successions_updated} successions; "
            f"{summary.unchanged} units unchanged."
        )
        for line in summary.changes:
            self.stdout.write(f"  changed {line}")
        if summary.missing:
            self.stdout.write(f"{len(summary.missing)} stored units are no longer in the register and were kept:")
            for line in summary.missing:
                self.stdout.write(f"  {line}")
        if summary.changed_anything:
            self.stdout.write(self.style.SUCCESS("The unit register is up to date."))
        else:
            self.stdout.write(self.style.SUCCESS("Nothing changed: the unit register was already up to date."))
