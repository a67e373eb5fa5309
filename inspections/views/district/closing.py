"""Closing a visit: the minutes, the lead's sign-off and reopening, the conclusion notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ... import permissions, selectors
from ...forms.closing import ConclusionForm, MinutesForm, ReopenForm
from ...models import ConclusionNotice, Minutes
from ...services import appeal, closing
from ...workdays import conclusion_deadline, working_days_between
from .common import add_service_errors, visit_for_reading, visit_for_workspace, visit_links


def _minutes_initial(request, visit):
    findings = list(selectors.finding_list_for_user(request.user, visit=visit).order_by("kind", "created_at"))
    team = getattr(visit.plan, "team", None)
    team_people = []
    if team is not None:
        for member in team.members.select_related("user").order_by("order", "id"):
            role = member.get_role_display()
            position = ", ".join(filter(None, [member.position or member.user.position, str(role).capitalize()]))
            team_people.append({"name": member.user.get_full_name(), "position": position})
    return {
        "held_on": visit.scheduled_on or timezone.localdate(),
        "opened_at": visit.scheduled_time,
        "place": visit.place,
        "team_attendees": team_people,
        "commune_attendees": closing.commune_attendees_draft(visit=visit),
        "summary": closing.minutes_summary_draft(visit=visit, findings=findings),
    }


@login_required
def minutes_edit(request, pk):
    """Draft the minutes of a visit, and sign or reopen them (the lead); others of the authority read them."""
    visit = visit_for_reading(request, pk)
    minutes = Minutes.objects.filter(visit=visit).select_related("signed_by").first()
    unappraised = [] if visit.is_locked else closing.visit_unappraised_criteria(visit=visit)
    unappraised_message = closing.unappraised_message(unappraised) if unappraised else ""
    if not unappraised_message and not visit.is_locked:
        # A contest awaiting its decision, or an appeal window still open, keeps the lead from signing.
        unappraised_message = appeal.signing_blocked_reason(visit=visit)
    may_draft = permissions.is_team_lead(request.user, visit.plan) or permissions.can_set_up_plan(
        request.user, visit.plan
    )
    if request.method == "POST":
        permissions.check_draft_minutes(request.user, visit)
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                closing.minutes_save(visit=visit, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Minutes saved."))
                return redirect("inspections:minutes_edit", pk=visit.pk)
    elif minutes is not None:
        form = MinutesForm(
            initial={
                field: getattr(minutes, field)
                for field in (
                    "number",
                    "held_on",
                    "opened_at",
                    "closed_at",
                    "place",
                    "team_attendees",
                    "commune_attendees",
                    "summary",
                    "commune_opinion",
                )
            }
        )
    else:
        form = MinutesForm(initial=_minutes_initial(request, visit))
    return render(
        request,
        "inspections/district/minutes.html",
        {
            "visit": visit,
            "minutes": minutes,
            "form": form,
            "may_draft": may_draft and not (minutes and minutes.is_signed),
            "is_lead": permissions.is_team_lead(request.user, visit.plan),
            "reopen_form": ReopenForm(),
            "unappraised_message": unappraised_message,
            **visit_links(request.user, visit),
        },
    )


@login_required
@require_POST
def minutes_sign(request, pk):
    """The team lead signs the minutes: the visit locks."""
    visit = visit_for_workspace(request, pk)
    try:
        closing.minutes_sign(visit=visit, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Minutes signed. Scores and findings of this visit are now locked."))
    return redirect("inspections:minutes_edit", pk=visit.pk)


@login_required
@require_POST
def minutes_reopen(request, pk):
    """The team lead reopens signed minutes, giving a reason."""
    visit = visit_for_workspace(request, pk)
    permissions.check_lead(request.user, visit.plan)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening."))
        return redirect("inspections:minutes_edit", pk=visit.pk)
    try:
        closing.minutes_reopen(visit=visit, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Minutes reopened: scores and findings can be changed again."))
    return redirect("inspections:minutes_edit", pk=visit.pk)


@login_required
def conclusion_edit(request, pk):
    """The conclusion notice of a visit, with the legal deadline counted in working days.

    Once issued, the notice is an official document: the page shows it as issued, and what is left to do.
    """
    visit = visit_for_reading(request, pk)
    notice = ConclusionNotice.objects.filter(visit=visit).first()
    is_lead = permissions.is_team_lead(request.user, visit.plan)
    deadline = conclusion_deadline(visit.plan.round_end)
    today = timezone.localdate()
    if request.method == "POST":
        permissions.check_lead(request.user, visit.plan)
        if notice is not None:
            messages.error(request, _("The conclusion notice has been issued; an issued notice no longer changes."))
            return redirect("inspections:conclusion_edit", pk=visit.pk)
        form = ConclusionForm(request.POST)
        if form.is_valid():
            try:
                closing.conclusion_issue(visit=visit, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Conclusion notice issued. The visit is concluded."))
                return redirect("inspections:conclusion_edit", pk=visit.pk)
    elif notice is not None:
        form = None
    else:
        form = ConclusionForm(
            initial={
                "issued_on": min(today, deadline),
                "signer_name": request.user.get_full_name() if is_lead else "",
                "signer_title": getattr(request.user, "position", "") if is_lead else "",
                "recipients": closing.conclusion_recipients_draft(visit=visit),
            }
        )
    return render(
        request,
        "inspections/district/conclusion.html",
        {
            "visit": visit,
            "notice": notice,
            "form": form,
            "is_lead": is_lead,
            "may_issue": is_lead and visit.is_locked and notice is None,
            "deadline": deadline,
            "days_left": working_days_between(today, deadline),
            **visit_links(request.user, visit),
        },
    )
