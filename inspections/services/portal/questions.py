"""Questions a commune asks the inspection team about its visit.

The team answers them with inspections.services.appraisal.finding_answer.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ... import events
from ...models import Finding, ReviewArea, Visit
from . import rights


def questions_closed_reason(*, visit: Visit) -> str:
    """Why the commune can no longer ask the team on this visit, or "" while it can."""
    if visit.status == Visit.Status.CONCLUDED:
        return _("The inspection of this commune is concluded; send further questions to the secretariat in writing.")
    return ""


@transaction.atomic
def question_ask(*, visit: Visit, user, text: str, area: ReviewArea | None = None) -> Finding:
    """Record a question from the commune to the team, on its visit.

    Raises PermissionDenied for people outside the commune, ValidationError when the
    text is empty, the area belongs to another criteria set or the visit is concluded.
    """
    rights.require(rights.can_work_for_commune(user, visit))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your question."), code="required")
    closed = questions_closed_reason(visit=visit)
    if closed:
        raise ValidationError(closed, code="locked")
    if area is not None and area.criteria_set_id != visit.plan.criteria_set_id:
        raise ValidationError(_("The review area belongs to another criteria set."), code="area")
    finding = Finding.objects.create(
        visit=visit, kind=Finding.Kind.QUESTION, area=area, text=text, status=Finding.Status.OPEN, created_by=user
    )
    events.question_asked(finding)
    return finding
