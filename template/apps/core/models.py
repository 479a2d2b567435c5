"""Abstract models every app builds on: UUID keys, database-side timestamps, soft delete."""

import uuid
from typing import Any

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone


class BaseModel(models.Model):
    """UUID primary key (safe to expose in URLs) and creation/modification timestamps.

    The timestamps default in the database (`db_default=Now()`), so rows inserted by raw SQL,
    bulk loads or other services get them too.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    updated_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.updated_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self) -> "SoftDeleteQuerySet":
        return self.filter(deleted_at__isnull=True)

    def dead(self) -> "SoftDeleteQuerySet":
        return self.filter(deleted_at__isnull=False)

    def soft_delete(self) -> int:
        """Mark every row deleted in one UPDATE; returns the number of rows changed."""
        return self.alive().update(deleted_at=Now(), updated_at=Now())

    def restore(self) -> int:
        return self.dead().update(deleted_at=None, updated_at=Now())


class AliveManager(models.Manager):
    """The default manager: rows that are not soft-deleted."""

    def get_queryset(self) -> SoftDeleteQuerySet:
        return SoftDeleteQuerySet(self.model, using=self._db).alive()


class SoftDeleteModel(BaseModel):
    """A row that is hidden, not removed, when deleted; `all_objects` still sees it."""

    deleted_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    objects = AliveManager()
    all_objects = SoftDeleteQuerySet.as_manager()

    class Meta(BaseModel.Meta):
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def soft_delete(self) -> None:
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])

    def restore(self) -> None:
        self.deleted_at = None
        self.save(update_fields=["deleted_at"])
