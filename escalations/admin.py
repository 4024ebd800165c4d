from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActionPlan,
    Concern,
    ConcernLevelChange,
    ConcernLevelProposal,
    EscalationStage,
    GovernanceItem,
    IroEscalation,
    LetterOfConcern,
    PlanAction,
)


@admin.register(ConcernLevelChange)
class ConcernLevelChangeAdmin(SimpleHistoryAdmin):
    list_display = ["setting", "previous_level", "level", "source", "decided_by", "set_at"]
    list_filter = ["level", "source", "how_decided"]
    list_select_related = ["setting", "decided_by"]
    raw_id_fields = ["setting", "inspection", "set_by", "decided_by"]


@admin.register(ConcernLevelProposal)
class ConcernLevelProposalAdmin(SimpleHistoryAdmin):
    list_display = ["setting", "level", "status", "proposed_by", "proposed_at"]
    list_filter = ["status", "level"]
    list_select_related = ["setting", "proposed_by"]
    raw_id_fields = ["setting", "proposed_by", "decision"]


@admin.register(GovernanceItem)
class GovernanceItemAdmin(SimpleHistoryAdmin):
    list_display = ["setting", "summary", "status", "raised_on"]
    list_filter = ["status", "source"]
    list_select_related = ["setting"]
    raw_id_fields = ["setting", "inspection", "level_change", "decision"]


@admin.register(Concern)
class ConcernAdmin(SimpleHistoryAdmin):
    list_display = ["setting", "raised_on", "raised_by_name", "status", "recorded_by"]
    list_filter = ["status"]
    list_select_related = ["setting", "recorded_by"]
    raw_id_fields = ["setting", "child", "recorded_by"]
    search_fields = ["setting__name", "setting__urn", "raised_by_name"]


@admin.register(LetterOfConcern)
class LetterOfConcernAdmin(SimpleHistoryAdmin):
    list_display = ["setting", "status", "given_on", "compliance_ends", "drafted_by"]
    list_filter = ["status"]
    list_select_related = ["setting", "drafted_by"]
    raw_id_fields = ["setting", "drafted_by", "issued_by"]
    readonly_fields = ["compliance_ends", "representations_due"]


class PlanActionInline(admin.TabularInline):
    model = PlanAction
    extra = 0
    fields = ["action", "lead", "deadline", "status", "done_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Actions are added on the plan's page, which keeps their deadlines in the Duty table.
        return False


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["setting", "created_by", "created_at"]
    list_select_related = ["setting", "created_by"]
    raw_id_fields = ["setting", "created_by"]
    inlines = [PlanActionInline]


class EscalationStageInline(admin.TabularInline):
    model = EscalationStage
    extra = 0
    fields = ["stage", "respondent", "opened_on", "due", "responded_at", "closed_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Stages are opened by escalations.iro, which keeps their duties in the Duty table.
        return False


@admin.register(IroEscalation)
class IroEscalationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "raised_on", "raised_by", "stage", "status", "serious_systemic"]
    list_filter = ["status", "stage", "serious_systemic"]
    list_select_related = ["child", "raised_by"]
    raw_id_fields = ["child", "placement", "setting", "raised_by", "evidence_visits"]
    search_fields = ["child__child_id"]
    inlines = [EscalationStageInline]


@admin.register(EscalationStage)
class EscalationStageAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "respondent", "opened_on", "due", "responded_at", "closed_on"]
    list_filter = ["stage"]
    list_select_related = ["escalation", "respondent"]
    raw_id_fields = ["escalation", "respondent", "responded_by"]
