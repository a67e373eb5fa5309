"""The deadline reminders of a day: self-assessments due in 7, 3 and 1 days, remedies due in 14 and 3
days, and overdue remedies each week until done.

A reminder's key names its object, its deadline and its step (or the week of an overdue one), so it
is written once per user however often the beat runs, even twice at once. A missed run is caught up
by the next one: the 7-day reminder still goes on day 6. The number of queries does not grow with the
number of communes.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Min
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.notifications.kinds import Kind
from accounts.notifications.services import Item, notify_many

from .events import date_text
from .models import Finding, Visit

SELF_ASSESSMENT_STEPS = (7, 3, 1)
REMEDY_STEPS = (14, 3)
NOT_SUBMITTED = (Visit.Status.SCHEDULED, Visit.Status.SELF_ASSESSMENT)


def step_for(days_left: int, steps: tuple[int, ...]) -> int | None:
    """The reminder step a number of days falls in (7 for 4–7 days, 3 for 2–3, 1 for 0–1), or None."""
    if days_left < 0 or days_left > steps[0]:
        return None
    chosen = steps[0]
    for step in steps[1:]:
        if days_left <= step:
            chosen = step
    return chosen


def _people_by_unit(unit_ids) -> dict[int, list[int]]:
    people = defaultdict(list)
    rows = Membership.objects.filter(
        unit_id__in=unit_ids, role__in=Membership.COMMUNE_ROLES, is_active=True, user__is_active=True
    ).values_list("unit_id", "user_id")
    for unit_id, user_id in rows.order_by():
        if user_id not in people[unit_id]:
            people[unit_id].append(user_id)
    return people


def _visit_label(plan_title: str, plan_number: str) -> str:
    return f"{plan_title} ({plan_number})" if plan_number else plan_title


def self_assessment_reminders(today: dt.date) -> list[Item]:
    """Reminders of self-assessments not submitted whose deadline is 7, 3 or 1 days away."""
    visits = list(
        Visit.objects.annotate(deadline=Coalesce("self_assessment_deadline", "plan__self_assessment_deadline"))
        .filter(
            status__in=NOT_SUBMITTED,
            deadline__gte=today,
            deadline__lte=today + dt.timedelta(days=SELF_ASSESSMENT_STEPS[0]),
        )
        .values("pk", "unit_id", "unit__name", "scheduled_on", "deadline", "plan__title", "plan__number")
        .order_by()
    )
    people = _people_by_unit({v["unit_id"] for v in visits})
    items = []
    for visit in visits:
        days_left = (visit["deadline"] - today).days
        step = step_for(days_left, SELF_ASSESSMENT_STEPS)
        params = {
            "commune": visit["unit__name"],
            "visit": _visit_label(visit["plan__title"], visit["plan__number"]),
            "visit_date": date_text(visit["scheduled_on"]),
            "deadline": date_text(visit["deadline"]),
            "days": days_left,
        }
        link = reverse("inspections:self_assessment", kwargs={"pk": visit["pk"]})
        key = f"deadline:{visit['pk']}:{visit['deadline'].isoformat()}:{step}"
        items += [
            Item(user_id=user_id, kind=Kind.DEADLINE_REMINDER, params=params, link=link, key=key)
            for user_id in people[visit["unit_id"]]
        ]
    return items


def remedy_reminders(today: dt.date) -> list[Item]:
    """Per visit: remedies due in 14 or 3 days, and open ones overdue (once a week until remedied)."""
    rows = list(
        Finding.objects.filter(
            kind__in=Finding.ACTIONABLE_KINDS,
            status=Finding.Status.OPEN,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=REMEDY_STEPS[0]),
        )
        .values("visit_id", "visit__unit_id", "visit__unit__name", "visit__scheduled_on")
        .annotate(
            plan_title=F("visit__plan__title"),
            plan_number=F("visit__plan__number"),
            first_due=Min("due_date"),
            count=Count("pk"),
        )
        .order_by()
    )
    people = _people_by_unit({row["visit__unit_id"] for row in rows})
    year, week, _day = today.isocalendar()
    items = []
    link = reverse("inspections:remedy_list")
    for row in rows:
        days_left = (row["first_due"] - today).days
        params = {
            "commune": row["visit__unit__name"],
            "visit": _visit_label(row["plan_title"], row["plan_number"]),
            "visit_date": date_text(row["visit__scheduled_on"]),
            "deadline": date_text(row["first_due"]),
            "days": days_left,
            "count": row["count"],
        }
        if days_left < 0:
            kind, key = Kind.REMEDY_OVERDUE, f"overdue:{row['visit_id']}:{year}-W{week:02d}"
        else:
            step = step_for(days_left, REMEDY_STEPS)
            kind, key = Kind.REMEDY_DUE, f"remedy:{row['visit_id']}:{row['first_due'].isoformat()}:{step}"
        items += [
            Item(user_id=user_id, kind=kind, params=params, link=link, key=key)
            for user_id in people[row["visit__unit_id"]]
        ]
    return items


def reminders_send(*, day: dt.date | None = None) -> int:
    """Write the day's reminders (those already written are skipped) and enqueue their mail; returns lines written."""
    today = day or timezone.localdate()
    return notify_many(self_assessment_reminders(today) + remedy_reminders(today))
