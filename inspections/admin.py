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


class ReviewAreaInline(admin.TabularInline):
    model = ReviewArea
    extra = 0


class BandInline(admin.TabularInline):
    model = ClassificationBand
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "authority", "status", "total_max"]
    list_filter = ["year", "status"]
    search_fields = ["name", "authority__name"]
    autocomplete_fields = ["authority", "copied_from"]
    inlines = [ReviewAreaInline, BandInline]


@admin.register(ReviewArea)
class ReviewAreaAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "code", "criteria_set"]
    list_filter = ["criteria_set__year", "code"]
    search_fields = ["title", "code"]


class ChildCriterionInline(admin.TabularInline):
    model = Criterion
    fk_name = "parent"
    extra = 0
    fields = ["code", "title", "max_score", "order"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
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


class ScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
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
class CriterionScoreAdmin(SimpleHistoryAdmin):
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
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["visit", "number", "held_on", "signed_at"]
    search_fields = ["number", "visit__unit__name"]
    raw_id_fields = ["visit"]


@admin.register(ConclusionNotice)
class ConclusionNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "visit", "issued_on", "remedy_deadline"]
    search_fields = ["number", "visit__unit__name"]
    raw_id_fields = ["visit"]
