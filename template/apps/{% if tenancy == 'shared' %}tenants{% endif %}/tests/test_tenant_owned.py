"""Every tenant-owned model, whichever app defines it, keeps organizations apart.

The registry tests hold each TenantOwnedModel of the project to the rules, and two throwaway
models (a widget, and a part whose organization is its widget's) as well; the behaviour is
exercised through those, so the rules stay tested whatever models the project has.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import isolate_apps

from apps.core.models import BaseModel, SoftDeleteModel
from apps.tenants.context import TenantNotSelected, unscoped, use_tenant
from apps.tenants.models import CrossTenantWrite, Tenant, TenantOwnedModel

from .factories import TenantFactory


def _throwaway_models() -> tuple[Any, Any]:
    """Models that exist only for these tests (owned_tables creates their tables). They are
    not in Django's registry, so django-stubs cannot type their managers: Any, on purpose."""
    with isolate_apps("apps.tenants"):

        class Widget(TenantOwnedModel, BaseModel):
            name = models.CharField(max_length=50)

            class Meta:
                app_label = "tenants"

        class Part(TenantOwnedModel, BaseModel):
            widget = models.ForeignKey(Widget, on_delete=models.CASCADE)

            class Meta:
                app_label = "tenants"

    return Widget, Part


Widget, Part = _throwaway_models()

TENANT_OWNED = [
    *(model for model in apps.get_models() if issubclass(model, TenantOwnedModel)),
    Widget,
    Part,
]


def _field_names(expression: Any) -> set[str]:
    if isinstance(expression, models.F):
        return {expression.name}
    return set().union(*map(_field_names, expression.get_source_expressions()))


def _unique_sets(model: type[models.Model]) -> Iterator[tuple[str, set[str]]]:
    """Each uniqueness rule of `model`, with the names of the fields it covers."""
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            yield field.name, {field.name}
    for fields in model._meta.unique_together:
        yield ",".join(fields), set(fields)
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            expressions = set().union(*map(_field_names, constraint.expressions))
            yield constraint.name, {*constraint.fields, *expressions}


@pytest.mark.parametrize("model", TENANT_OWNED, ids=lambda model: model._meta.label)
class TestEveryTenantOwnedModel:
    def test_rows_belong_to_one_organization_and_go_with_it(self, model: Any) -> None:
        field = model._meta.get_field("tenant")
        assert field.related_model is Tenant
        assert not field.null
        assert field.remote_field.on_delete is models.CASCADE

    def test_the_default_manager_sees_every_organization(self, model: Any) -> None:
        # The admin, validation and schema tools use it; scoping it would hide rows from them.
        assert model._default_manager is model.all_tenants

    def test_objects_are_the_current_organizations_rows(
        self, model: Any, db: None, tenant: Tenant
    ) -> None:
        expected = model.all_tenants.all()
        if issubclass(model, SoftDeleteModel):
            expected = expected.filter(deleted_at__isnull=True)
        assert str(model.objects.all().query) == str(expected.filter(tenant=tenant).query)

    def test_objects_refuse_to_guess_the_organization(self, model: Any, db: None) -> None:
        with use_tenant(None), pytest.raises(TenantNotSelected):
            model.objects.count()

    def test_uniqueness_holds_within_each_organization(self, model: Any) -> None:
        for name, fields in _unique_sets(model):
            assert "tenant" in fields, f"{name} is unique across organizations"

    def test_a_row_with_a_parent_takes_the_parents_organization(self, model: Any) -> None:
        source = model.tenant_source()
        if source is not None:
            assert issubclass(model._meta.get_field(source).related_model, TenantOwnedModel)


@pytest.fixture
def owned_tables(transactional_db: None) -> Iterator[None]:
    # transactional_db because SQLite cannot change its schema inside the test's transaction.
    with connection.schema_editor() as editor:
        editor.create_model(Widget)
        editor.create_model(Part)
    yield
    with connection.schema_editor() as editor:
        editor.delete_model(Part)
        editor.delete_model(Widget)


@pytest.fixture
def globex(transactional_db: None) -> Tenant:
    return TenantFactory.create(name="Globex", slug="globex")


def test_a_new_row_takes_the_current_organization(owned_tables: None, tenant: Tenant) -> None:
    assert Widget.objects.create(name="mine").tenant == tenant


def test_a_row_takes_its_parents_organization(
    owned_tables: None, tenant: Tenant, globex: Tenant
) -> None:
    assert Part.tenant_source() == "widget"
    with use_tenant(globex):
        widget = Widget.objects.create(name="theirs")
    with unscoped():
        part = Part.objects.create(widget=widget)
    assert part.tenant == globex


def test_objects_show_only_the_current_organizations_rows(
    owned_tables: None, tenant: Tenant, globex: Tenant
) -> None:
    mine = Widget.objects.create(name="mine")
    with use_tenant(globex):
        theirs = Widget.objects.create(name="theirs")
        assert list(Widget.objects.all()) == [theirs]
    assert list(Widget.objects.all()) == [mine]
    assert Widget.all_tenants.count() == 2
    with use_tenant(None), pytest.raises(TenantNotSelected):
        Widget.objects.count()


def test_without_strictness_no_organization_means_no_rows(
    owned_tables: None, tenant: Tenant, settings: Any
) -> None:
    Widget.objects.create(name="mine")
    settings.TENANCY_STRICT = False
    with use_tenant(None):
        assert Widget.objects.count() == 0


def test_a_row_of_another_organization_cannot_be_saved(
    owned_tables: None, tenant: Tenant, globex: Tenant
) -> None:
    with use_tenant(globex):
        theirs = Widget.objects.create(name="theirs")
    theirs.name = "taken over"
    with pytest.raises(CrossTenantWrite):
        theirs.save()
    assert Widget.all_tenants.get(pk=theirs.pk).name == "theirs"


def test_bulk_created_rows_take_their_organization(
    owned_tables: None, tenant: Tenant, globex: Tenant
) -> None:
    with use_tenant(globex):
        theirs = Widget.objects.create(name="theirs")
    Widget.objects.bulk_create([Widget(name="a"), Widget(name="b")])
    with unscoped():
        Part.objects.bulk_create([Part(widget=theirs)])
    assert {w.tenant for w in Widget.objects.all()} == {tenant}
    assert Part.all_tenants.get().tenant == globex
