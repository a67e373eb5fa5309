"""Questions: the commune asks the team on its visit; the answers appear on the same page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ... import permissions, selectors
from ...forms.portal import QuestionForm
from ...services.portal import rights
from ...services.portal.questions import question_ask, questions_closed_reason
from .common import add_errors, method_not_allowed


def _page(request, visit, form=None):
    user = request.user
    can_work = rights.can_work_for_commune(user, visit)
    # Hidden before anything is typed once questions are closed, rather than refused after.
    closed = questions_closed_reason(visit=visit) if can_work else ""
    context = {
        "visit": visit,
        "questions": list(selectors.question_list_for_user(user, visit=visit)),
        "form": form or (QuestionForm(visit=visit) if can_work and not closed else None),
        "closed": closed,
        "can_answer": permissions.team_member(user, visit.plan) is not None or user.is_superuser,
    }
    return render(request, "inspections/portal/question_list.html", context)


@login_required
def question_list(request, pk):
    """The commune's questions on a visit with the team's answers; commune people ask new ones here."""
    visit = selectors.visit_get_for_user(request.user, pk)
    if request.method in ("GET", "HEAD"):
        return _page(request, visit)
    if request.method != "POST":
        return method_not_allowed(request, ["GET", "HEAD", "POST"])
    rights.require(rights.can_work_for_commune(request.user, visit))
    form = QuestionForm(request.POST, visit=visit)
    if form.is_valid():
        try:
            question = question_ask(
                visit=visit, user=request.user, text=form.cleaned_data["text"], area=form.cleaned_data["area"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your question was sent to the inspection team. The answer will appear here."))
            return redirect(f"{reverse('inspections:question_list', args=[visit.pk])}#question-{question.pk}")
    return _page(request, visit, form)
