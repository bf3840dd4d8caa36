"""The admin cannot bypass the settings services or change public records."""

import pytest
from django.contrib.admin.sites import site

from portfolio.models import AllocationKey, GateCriterion, GateDecision, Program, ProgramBudget

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [GateCriterion, AllocationKey, GateDecision, Program])
def test_admin_only_shows(rf, admin_user, model):
    request = rf.get("/admin/")
    request.user = admin_user
    model_admin = site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_program_budgets_only_show_in_the_admin(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    [budgets] = [
        inline(Program, site)
        for inline in site._registry[Program].inlines
        if inline.model is ProgramBudget
    ]
    assert not budgets.has_add_permission(request, None)
    assert not budgets.has_change_permission(request)
    assert not budgets.has_delete_permission(request)
    assert budgets.has_view_permission(request)
