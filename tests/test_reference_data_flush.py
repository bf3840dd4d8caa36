"""Transactional tests flush the database; the municipalities must come back."""

import pytest
from django.core.management import call_command

from municipalities.models import Municipality


@pytest.mark.django_db(transaction=True)
def test_first_transactional_test_flushes_everything():
    assert Municipality.objects.count() == 290
    call_command("flush", interactive=False, verbosity=0)
    assert Municipality.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_next_transactional_test_has_the_municipalities_again():
    assert Municipality.objects.count() == 290
