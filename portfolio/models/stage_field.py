"""A stage field that only the workflow's transition functions may change.

Assigning `initiative.stage = ...` on a loaded initiative raises: the stage moves
only inside `allow_stage_change`, which the transition functions in
`portfolio.services.workflow` use after checking the gate.
"""

from contextlib import contextmanager

from django.db import models


class StageChangeRefused(AttributeError):
    pass


class _ProtectedStage:
    def __init__(self, attname: str):
        self.attname = attname

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.__dict__[self.attname]

    def __set__(self, instance, value):
        if self.attname in instance.__dict__ and not instance.__dict__.get("_stage_unlocked"):
            if instance.__dict__[self.attname] != value:
                raise StageChangeRefused(
                    "Ett initiativs steg ändras bara genom ett grindbeslut "
                    "(portfolio.services.workflow)."
                )
        instance.__dict__[self.attname] = value


class StageField(models.CharField):
    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        setattr(cls, self.attname, _ProtectedStage(self.attname))


@contextmanager
def allow_stage_change(instance):
    instance.__dict__["_stage_unlocked"] = True
    try:
        yield instance
    finally:
        instance.__dict__.pop("_stage_unlocked", None)
