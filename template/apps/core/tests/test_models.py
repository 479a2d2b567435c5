"""BaseModel and SoftDeleteModel, exercised through a throwaway concrete model."""

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from apps.core.models import SoftDeleteModel


@pytest.fixture
def note_model(transactional_db: None) -> Iterator[Any]:
    # A model that exists only for this test: its table is created and dropped around it.
    # transactional_db because SQLite cannot change its schema inside the test's transaction.
    with isolate_apps("apps.core"):

        class Note(SoftDeleteModel):
            title = models.CharField(max_length=50)

            class Meta:
                app_label = "core"

        with connection.schema_editor() as editor:
            editor.create_model(Note)
        yield Note
        with connection.schema_editor() as editor:
            editor.delete_model(Note)


def test_primary_key_is_a_uuid_and_timestamps_come_from_the_database(note_model: Any) -> None:
    note = note_model.objects.create(title="a")
    assert isinstance(note.id, uuid.UUID)
    # db_default values are returned by the INSERT itself; no extra query needed.
    assert note.created_at is not None
    assert note.updated_at is not None
    assert abs(note.updated_at - note.created_at) < timedelta(seconds=5)


def test_save_moves_updated_at_forward_but_not_created_at(note_model: Any) -> None:
    note = note_model.objects.create(title="a")
    created_at, updated_at = note.created_at, note.updated_at
    note.title = "b"
    note.save(update_fields=["title"])
    note.refresh_from_db()
    assert note.title == "b"
    assert note.created_at == created_at
    assert note.updated_at > updated_at


def test_soft_delete_hides_the_row_but_keeps_it(note_model: Any) -> None:
    kept, deleted = note_model.objects.create(title="kept"), note_model.objects.create(title="gone")
    deleted.soft_delete()
    assert deleted.is_deleted
    assert list(note_model.objects.values_list("title", flat=True)) == ["kept"]
    assert note_model.all_objects.count() == 2
    assert list(note_model.all_objects.dead()) == [deleted]
    deleted.restore()
    assert note_model.objects.filter(pk=deleted.pk).exists()
    assert kept.deleted_at is None


def test_queryset_soft_delete_and_restore_touch_only_matching_rows(note_model: Any) -> None:
    for title in ("a", "b", "c"):
        note_model.objects.create(title=title)
    assert note_model.objects.filter(title__in=["a", "b"]).soft_delete() == 2
    # Already deleted rows are not counted twice.
    assert note_model.all_objects.filter(title__in=["a", "b"]).soft_delete() == 0
    assert list(note_model.objects.values_list("title", flat=True)) == ["c"]
    assert note_model.all_objects.filter(title="a").restore() == 1
    assert sorted(note_model.objects.values_list("title", flat=True)) == ["a", "c"]
