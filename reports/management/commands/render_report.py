from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from inspections.models import InspectionPlan, Visit
from reports import services
from reports.models import Report

KINDS = {
    "district": Report.Kind.DISTRICT,
    "xlsx": Report.Kind.DISTRICT_XLSX,
    "minutes": Report.Kind.MINUTES,
    "notice": Report.Kind.NOTICE,
}


class Command(BaseCommand):
    help = (
        "Render a document synchronously through the worker's code path and copy it to --out: "
        "district (with --year), xlsx (the district score table), minutes or notice (with --commune)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="File to write.")
        parser.add_argument("--commune", help="Official code of the commune (minutes, notice).")
        parser.add_argument("--authority", help="Official code of the inspecting authority when a year has several.")

    def handle(self, *args, **options):
        """Create a report record, render it as the worker would, and write its file to --out.

        The record stays, as a version requested by nobody, like any other. Exits with an
        error when the campaign or commune is not found or the render fails.
        """
        kind = KINDS[options["kind"]]
        plan = self._plan(options["year"], options["authority"])
        visit = None
        if kind in Report.PER_VISIT_KINDS:
            if not options["commune"]:
                raise CommandError("--commune CODE is needed for minutes and notices.")
            visit = Visit.objects.filter(plan=plan, unit__code=options["commune"]).select_related("unit").first()
            if visit is None:
                raise CommandError(f"No visit to the commune {options['commune']} in {plan}.")
        try:
            report = services.report_create(plan=plan, kind=kind, visit=visit)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        report = services.report_render(report_id=report.pk)
        if report.status != Report.Status.DONE:
            raise CommandError(f"Rendering failed: {report.error}")
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        with report.file.open("rb") as source:
            out.write_bytes(source.read())
        pages = f", {report.page_count} pages" if report.page_count else ""
        self.stdout.write(f"{out}: {report.size} bytes{pages}, sha256 {report.sha256} (report {report.pk})")

    def _plan(self, year: int, authority: str | None) -> InspectionPlan:
        plans = InspectionPlan.objects.filter(year=year).select_related("authority", "criteria_set")
        if authority:
            plans = plans.filter(authority__code=authority)
        found = list(plans[:2])
        if not found:
            raise CommandError(f"No campaign in {year}" + (f" for the authority {authority}." if authority else "."))
        if len(found) > 1:
            codes = ", ".join(sorted(set(plans.values_list("authority__code", flat=True))))
            raise CommandError(f"Several campaigns in {year}: choose one with --authority ({codes}).")
        return found[0]
