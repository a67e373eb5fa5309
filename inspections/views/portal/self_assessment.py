"""The commune's self-assessment: the sheet, per-criterion saves and uploads, submission, the deadline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from communes.folding import dictionary_order

from ... import selectors, uploads
from ...forms.portal import DeadlineForm, EvidenceForm
from ...models import CriterionScore, Finding, Visit
from ...services.portal import rights
from ...services.portal import self_assessment as service
from ...services.portal.evidence import evidence_add_for_criterion
from ...sheet_html import CardWriter, sheet_areas_html, writes_plainly
from .common import add_errors, flash_errors, is_htmx, post_action, self_assessment_url, visit_page
from .sheet import UNREAD, bound_score_form, build_card, build_sheet

PAGE = "inspections/portal/self_assessment.html"
CARD = "inspections/portal/_criterion_swap.html"


def _count(queryset, **filters):
    rows = queryset.filter(**filters).order_by().values("visit_id").annotate(n=Count("id")).values("n")
    return Subquery(rows[:1], output_field=IntegerField())


@login_required
def portal_home(request):
    """The visits of the user's commune (or, for the district, of every commune he sees) with the way in."""
    visits = (
        selectors.visit_list_for_user(request.user)
        .select_related("plan__criteria_set")
        .annotate(
            scored=_count(CriterionScore.objects.filter(visit=OuterRef("pk")), self_score__isnull=False),
            open_findings=_count(
                Finding.objects.filter(visit=OuterRef("pk"), kind__in=Finding.ACTIONABLE_KINDS),
                status__in=[Finding.Status.OPEN, Finding.Status.REPORTED],
            ),
            questions=_count(Finding.objects.filter(visit=OuterRef("pk")), kind=Finding.Kind.QUESTION),
        )
        .order_by("-plan__year", dictionary_order("unit__name"))
    )
    rows = [(visit, service.self_assessment_state(visit=visit)) for visit in visits]
    return render(request, "inspections/portal/portal_home.html", {"rows": rows})


def _page(request, visit, *, status: int = 200, deadline_form=None, page_url: str = "", **sheet_options):
    sheet = build_sheet(request, visit, **sheet_options)
    writer = CardWriter(visit=visit, csrf_token=get_token(request))
    for row in sheet.rows.values():
        if writes_plainly(row):
            row.html = writer.write(row)
    deadline_form = deadline_form or DeadlineForm(initial={"deadline": sheet.state.deadline})
    # A form refused on its action's address is shown here; portal.js puts the page's own address back.
    context = {
        "sheet": sheet,
        "areas_html": sheet_areas_html(sheet),
        "deadline_form": deadline_form,
        "page_url": page_url or self_assessment_url(visit),
    }
    return render(request, PAGE, context, status=status)


def criterion_response(request, visit, criterion_id: int, *, criterion=None, score=UNREAD, **sheet_options):
    """After a save or upload: the criterion's card (and progress) for htmx, else the whole page.

    `criterion` and `score` are those the view holds already (the score as just saved, say): not read again.
    """
    if is_htmx(request):
        if criterion is None:
            criterion = selectors.criterion_score_get_for_user(request.user, visit=visit, criterion_pk=criterion_id)
        card = build_card(
            request,
            visit,
            criterion,
            score=score,
            forms=sheet_options.get("bound", {}).get(criterion_id),
            saved=sheet_options.get("saved_id") == criterion_id,
            problems=sheet_options.get("problems", {}).get(criterion_id),
        )
        if writes_plainly(card.row):
            card.row.html = CardWriter(visit=visit, csrf_token=get_token(request)).write(card.row)
        return render(request, CARD, {"sheet": card, "row": card.row})
    return _page(request, visit, page_url=self_assessment_url(visit, criterion_id), **sheet_options)


@login_required
def self_assessment(request, pk):
    """The criteria tree of the visit with the commune's scores, explanations and evidence."""
    visit = selectors.visit_get_for_user(request.user, pk)
    return _page(request, visit)


@login_required
@post_action(visit_page)
def self_score_save(request, pk, criterion_pk):
    """Save one criterion's self score and explanation; nothing typed is lost when it is refused."""
    visit = selectors.visit_get_for_user(request.user, pk)
    criterion = selectors.criterion_score_get_for_user(request.user, visit=visit, criterion_pk=criterion_pk)
    rights.require(rights.can_work_for_commune(request.user, visit))
    state = service.self_assessment_state(visit=visit)
    # While the sheet is open nothing of the form is locked: the score row matters only to the answer, read there.
    score = UNREAD
    if not state.editable:
        score = CriterionScore.objects.filter(visit=visit, criterion=criterion).order_by().first()
    answering = not state.editable and bool(score and score.explanation_requested)
    form = bound_score_form(criterion, request.POST, score=None if score is UNREAD else score, score_locked=answering)
    if form.is_valid():
        try:
            score = service.score_save_self(
                visit=visit,
                criterion_id=criterion.pk,
                criterion=criterion,
                user=request.user,
                self_score=form.cleaned_data["self_score"],
                explanation=form.cleaned_data["self_explanation"],
                version=form.cleaned_data["version"],
                not_applicable=form.cleaned_data.get("not_applicable", False),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "conflict":
                # Keep what the user typed but take the newer version, so saving again replaces the other one.
                data = request.POST.copy()
                score = CriterionScore.objects.filter(visit=visit, criterion=criterion).order_by().first()
                data[form.add_prefix("version")] = str(score.version if score else 0)
                form = bound_score_form(criterion, data, score=score, score_locked=answering)
                form.is_valid()
            add_errors(form, error)
        else:
            if is_htmx(request):
                return criterion_response(
                    request, visit, criterion.pk, criterion=criterion, score=score, saved_id=criterion.pk
                )
            messages.success(request, _("Criterion %(code)s saved.") % {"code": criterion.code})
            return redirect(self_assessment_url(visit, criterion.pk))
    return criterion_response(
        request, visit, criterion.pk, criterion=criterion, score=score, bound={criterion.pk: {"score": form}}
    )


def _oversized(request, visit, criterion_id: int):
    """Answer an upload whose body is too large to read, without reading it."""
    message = uploads.too_large_error().messages[0]
    if is_htmx(request):
        return criterion_response(request, visit, criterion_id, problems={criterion_id: [message]})
    messages.error(request, message)
    return redirect(self_assessment_url(visit, criterion_id))


# The streaming upload handler must be in place before anything reads the body, and the
# CSRF check reads it: so the check is made by csrf_protect inside, after the handler is set.
@login_required
@post_action(visit_page)
@csrf_exempt
def evidence_upload(request, pk, criterion_pk):
    """Attach an evidence file to one criterion, streamed to disk and checked before it is kept."""
    visit = selectors.visit_get_for_user(request.user, pk)
    criterion = selectors.criterion_score_get_for_user(request.user, visit=visit, criterion_pk=criterion_pk)
    rights.require(rights.can_work_for_commune(request.user, visit))
    if not uploads.install_upload_guard(request):
        return _oversized(request, visit, criterion.pk)
    return _evidence_upload(request, visit, criterion)


@csrf_protect
def _evidence_upload(request, visit, criterion):
    form = EvidenceForm(
        request.POST, request.FILES, prefix=f"e{criterion.pk}", refused_names=getattr(request, "upload_refusals", ())
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            evidence = evidence_add_for_criterion(
                visit=visit,
                criterion_id=criterion.pk,
                user=request.user,
                upload=data["file"],
                document_number=data["document_number"],
                document_date=data["document_date"],
                page_reference=data["page_reference"],
                description=data["description"],
            )
        except ValidationError as error:
            add_errors(form, error, "file")
        else:
            if is_htmx(request):
                return criterion_response(request, visit, criterion.pk, criterion=criterion, saved_id=criterion.pk)
            messages.success(request, _("“%(name)s” attached.") % {"name": evidence.original_name})
            return redirect(self_assessment_url(visit, criterion.pk))
    return criterion_response(request, visit, criterion.pk, criterion=criterion, bound={criterion.pk: {"upload": form}})


@login_required
@post_action(visit_page)
def self_assessment_submit(request, pk):
    """The commune lead submits the self-assessment to the inspection team."""
    visit = selectors.visit_get_for_user(request.user, pk)
    try:
        service.self_assessment_submit(visit=visit, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The self-assessment was submitted to the inspection team."))
    return redirect(self_assessment_url(visit))


@login_required
@post_action(visit_page)
def self_assessment_withdraw(request, pk):
    """The commune lead takes the submitted self-assessment back to change it before the deadline."""
    visit = selectors.visit_get_for_user(request.user, pk)
    try:
        service.self_assessment_withdraw(visit=visit, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("The self-assessment was withdrawn. Make your changes, then submit it again before the deadline."),
        )
    return redirect(self_assessment_url(visit))


@login_required
@post_action(visit_page)
def deadline_extend(request, pk):
    """The secretariat gives one commune a later self-assessment deadline."""
    visit: Visit = selectors.visit_get_for_user(request.user, pk)
    rights.require(
        rights.can_extend_deadline(request.user, visit),
        _("Only the secretariat can extend a commune's self-assessment deadline."),
    )
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            service.visit_deadline_extend(
                visit=visit, user=request.user, deadline=data["deadline"], reason=data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error, "deadline")
        else:
            messages.success(
                request,
                _("The self-assessment deadline of %(commune)s is now %(date)s.")
                % {"commune": visit.unit, "date": service.date_text(form.cleaned_data["deadline"])},
            )
            return redirect(self_assessment_url(visit))
    return _page(request, visit, deadline_form=form)
