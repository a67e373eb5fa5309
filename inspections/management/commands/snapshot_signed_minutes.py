from django.core.management.base import BaseCommand

from inspections.services.closing import minutes_snapshot_missing


class Command(BaseCommand):
    help = (
        "Store the result of minutes signed before signed results were stored (run once after upgrading); "
        "running it again changes nothing."
    )

    def handle(self, *args, **options):
        """Store the missing results of signed minutes and say how many."""
        count = minutes_snapshot_missing()
        self.stdout.write(self.style.SUCCESS(f"Stored the signed result of {count} minutes."))
