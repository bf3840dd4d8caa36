import uuid

from django.db import models


class Installation(models.Model):
    """This installation's identity: one row, written by the migration that makes the
    table and kept by backups and restores. Web, worker and beat that share a broker must
    share this database; at start they compare this id through Redis (samverkan/startup.py)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.uuid)
