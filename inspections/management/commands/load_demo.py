from django.core.management.base import BaseCommand

from inspections.demo.build import load_demo


class Command(BaseCommand):
    help = "Load the illustrative Tân Hiệp story (2019 and 2020 concluded, 2021 under way); idempotent."

    def handle(self, *args, **options):
        """Build or refresh the demo data in one transaction."""
        load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Demo logins use the password 'demo'."))
