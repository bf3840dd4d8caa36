"""The admin cannot bypass the settings services or change public records."""

import pytest
from django.contrib.admin.sites import site

from portfolio.models import AllocationKey, GateCriterion, GateDecision

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [GateCriterion, AllocationKey, GateDecision])
def test_admin_only_shows(rf, admin_user, model):
    request = rf.get("/admin/")
    request.user = admin_user
    model_admin = site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
