from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ClassificationBand,
    ConclusionNotice,
    CriteriaSet,
    Criterion,
    CriterionScore,
    Evidence,
    Finding,
    InspectionPlan,
    InspectionTeam,
    Minutes,
    Remedy,
    ReviewArea,
    TeamGroup,
    TeamMember,
    Visit,
)
from .services.criteria import criteria_set_is_frozen, frozen_message


def _frozen(criteria_set) -> bool:
    return (
        criteria_set is not None and criteria_set.pk is not None and criteria_set_is_frozen(criteria_set=criteria_set)
    )


class NotFrozenForm(forms.ModelForm):
    """Refuses to add or change a part of a criteria set that a plan uses (the set is frozen)."""

    def clean(self):
        data = super().clean()
        criteria_set = data.get("criteria_set")
        if criteria_set is None and getattr(self.instance, "criteria_set_id", None):
            criteria_set = self.instance.criteria_set
        if criteria_set is None and data.get("area") is not None:
            criteria_set = data["area"].criteria_set
        if _frozen(criteria_set):
            raise forms.ValidationError(frozen_message())
        return data


class FrozenSetAdminMixin:
    """A criteria set used by a plan, and its areas, criteria and bands, are read-only in the admin too."""

    def criteria_set_of(self, obj):
        return obj.criteria_set

    def has_change_permission(self, request, obj=None):
        if obj is not None and _frozen(self.criteria_set_of(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _frozen(self.criteria_set_of(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        # Inlines receive the parent object: nothing is added under a frozen set.
        if obj is not None and _frozen(self.criteria_set_of(obj)):
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class ReviewAreaInline(FrozenSetAdminMixin, admin.TabularInline):
    model = ReviewArea
    extra = 0

    def criteria_set_of(self, obj):
        return obj


class BandInline(FrozenSetAdminMixin, admin.TabularInline):
    model = ClassificationBand
    extra = 0

    def criteria_set_of(self, obj):
        return obj


@admin.register(CriteriaSet)
class CriteriaSetAdmin(FrozenSetAdminMixin, admin.ModelAdmin):
    list_display = ["name", "year", "authority", "status", "total_max"]
    list_filter = ["year", "status"]
    search_fields = ["name", "authority__name"]
    autocomplete_fields = ["authority", "copied_from"]
    inlines = [ReviewAreaInline, BandInline]

    def criteria_set_of(self, obj):
        return obj


@admin.register(ReviewArea)
class ReviewAreaAdmin(FrozenSetAdminMixin, admin.ModelAdmin):
    form = NotFrozenForm
    list_display = ["number", "title", "code", "criteria_set"]
    list_filter = ["criteria_set__year", "code"]
    search_fields = ["title", "code"]


class ChildCriterionInline(FrozenSetAdminMixin, admin.TabularInline):
    model = Criterion
    fk_name = "parent"
    extra = 0
    fields = ["code", "title", "max_score", "order"]


@admin.register(Criterion)
class CriterionAdmin(FrozenSetAdminMixin, admin.ModelAdmin):
    form = NotFrozenForm
    list_display = ["code", "title", "max_score", "area", "criteria_set"]
    list_filter = ["criteria_set__year", "area__code"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["parent"]
    inlines = [ChildCriterionInline]


class TeamInline(admin.StackedInline):
    model = InspectionTeam
    extra = 0


class VisitInline(admin.TabularInline):
    model = Visit
    extra = 0
    fields = ["unit", "scheduled_on", "status", "self_assessment_deadline"]
    autocomplete_fields = ["unit"]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        # Once anything is scored in the campaign, its criteria set stays: the scores rest on its criteria.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and CriterionScore.objects.filter(visit__plan=obj).exists():
            fields.append("criteria_set")
        return fields

    list_display = ["title", "number", "year", "authority", "round_start", "round_end", "status"]
    list_filter = ["year", "status"]
    search_fields = ["title", "number", "authority__name"]
    date_hierarchy = "round_start"
    autocomplete_fields = ["authority", "criteria_set", "previous"]
    inlines = [TeamInline, VisitInline]


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["user", "department"]


class TeamGroupInline(admin.TabularInline):
    model = TeamGroup
    extra = 0


@admin.register(InspectionTeam)
class InspectionTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "decision_number", "decision_date"]
    search_fields = ["name", "decision_number"]
    inlines = [TeamGroupInline, TeamMemberInline]


@admin.register(TeamGroup)
class TeamGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "order"]
    filter_horizontal = ["areas"]
    search_fields = ["name"]


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "department", "group"]
    list_filter = ["role", "department"]
    search_fields = ["user__full_name", "user__username"]


class LockedVisitAdminMixin:
    """The scores and minutes of a visit whose minutes are signed are read-only in the admin too."""

    def visit_of(self, obj):
        return obj.visit

    def _locked(self, obj) -> bool:
        return obj is not None and self.visit_of(obj).is_locked

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class ScoreInline(LockedVisitAdminMixin, admin.TabularInline):
    model = CriterionScore
    extra = 0

    def visit_of(self, obj):
        return obj

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    fields = ["criterion", "max_score", "self_score", "appraised_score", "explanation_requested"]
    readonly_fields = ["criterion", "max_score"]


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["kind", "area", "text", "due_date", "status"]


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "plan", "scheduled_on", "status"]
    list_filter = ["status", "plan__year", "plan"]
    search_fields = ["unit__name", "plan__title"]
    autocomplete_fields = ["unit", "plan"]
    inlines = [ScoreInline, FindingInline]


@admin.register(CriterionScore)
class CriterionScoreAdmin(LockedVisitAdminMixin, SimpleHistoryAdmin):
    list_display = ["visit", "criterion", "self_score", "appraised_score", "max_score", "version"]
    list_filter = ["visit__plan__year", "explanation_requested"]
    search_fields = ["visit__unit__name", "criterion__code"]
    raw_id_fields = ["visit", "criterion"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "unit", "criterion", "size", "content_type", "uploaded_at", "deleted_at"]
    list_filter = ["content_type", "deleted_at"]
    search_fields = ["original_name", "document_number", "sha256", "unit__name"]
    raw_id_fields = ["visit", "criterion", "remedy", "unit"]
    readonly_fields = ["sha256", "size", "content_type", "original_name"]


class RemedyInline(admin.TabularInline):
    model = Remedy
    extra = 0
    fields = ["description", "status", "reported_at", "verified_at"]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["visit", "kind", "area", "status", "due_date"]
    list_filter = ["kind", "status", "visit__plan__year"]
    search_fields = ["text", "recommendation", "visit__unit__name"]
    raw_id_fields = ["visit", "criterion", "carried_from"]
    inlines = [RemedyInline]


@admin.register(Remedy)
class RemedyAdmin(SimpleHistoryAdmin):
    list_display = ["finding", "status", "reported_at", "verified_at"]
    list_filter = ["status"]
    search_fields = ["description", "finding__text"]
    raw_id_fields = ["finding"]


@admin.register(Minutes)
class MinutesAdmin(LockedVisitAdminMixin, SimpleHistoryAdmin):
    list_display = ["visit", "number", "held_on", "signed_at"]
    search_fields = ["number", "visit__unit__name"]
    raw_id_fields = ["visit"]


@admin.register(ConclusionNotice)
class ConclusionNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "visit", "issued_on", "remedy_deadline"]
    search_fields = ["number", "visit__unit__name"]
    raw_id_fields = ["visit"]
