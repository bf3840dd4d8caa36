from django.contrib import admin

# The portfolio's settings change only through the settings pages, whose services
# validate and keep history: their admins are ViewOnlyAdmin.
from samverkan.admin_site import ViewOnlyAdmin

from . import models


@admin.register(models.Portfolio)
class PortfolioAdmin(admin.ModelAdmin):
    list_display = ["name", "constellation", "reference_prefix", "next_board_meeting"]


class ViewOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProgramBudgetInline(ViewOnlyInline):
    model = models.ProgramBudget


# Programs and budgets feed the portfolio's cached figures (portfolio_cache), which only
# the settings services move on; they also keep the history.
@admin.register(models.Program)
class ProgramAdmin(ViewOnlyAdmin):
    list_display = ["name", "portfolio", "manager"]
    inlines = [ProgramBudgetInline]


@admin.register(models.GateCriterion)
class GateCriterionAdmin(ViewOnlyAdmin):
    list_display = ["portfolio", "gate", "label", "kind", "system_check", "is_active"]
    list_filter = ["portfolio", "gate"]


@admin.register(models.AllocationKey)
class AllocationKeyAdmin(ViewOnlyAdmin):
    list_display = [
        "portfolio",
        "valid_from",
        "method",
        "population_weight",
        "equal_weight",
        "hourly_rate",
    ]


@admin.register(models.PriorityCriterion)
class PriorityCriterionAdmin(ViewOnlyAdmin):
    list_display = ["portfolio", "name", "weight"]


@admin.register(models.GateDecision)
class GateDecisionAdmin(ViewOnlyAdmin):
    """Decisions are public records: the admin shows them and nothing more."""

    list_display = ["initiative", "kind", "outcome", "decided_on", "body", "recorded_by"]
    list_filter = ["kind", "outcome", "body"]
