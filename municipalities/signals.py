"""Signals for the national reference data that other apps derive figures from."""

from django.dispatch import Signal

# Sent inside an import's transaction once municipalities or population years changed.
reference_data_imported = Signal()
