"""Organizations and their domains and members, managed from the public domain's admin."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django_tenants.admin import TenantAdminMixin
from django_tenants.utils import get_public_schema_name

from apps.users.models import User

from . import services
from .models import Client, Domain, Membership, Role


def on_public_domain() -> bool:
    return connection.schema_name == get_public_schema_name()  # type: ignore[attr-defined]


class TenantAppAdmin(admin.ModelAdmin):
    """For models of TENANT_APPS: their tables exist only in organizations' schemas, so the
    admin shows them on an organization's host and never on the public domain."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return not on_public_domain() and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not on_public_domain() and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return not on_public_domain() and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not on_public_domain() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not on_public_domain() and super().has_delete_permission(request, obj)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class MembershipFormSet(BaseInlineFormSet):
    """An organization's members in the admin, changed through the services: their rules
    (only owners remove or appoint owners, the last owner stays), their limits, and their
    clean-up (someone removed here leaves the organization's projects, and their sockets of it
    close). Superusers act as operators, bound by the last-owner rule only."""

    instance: Client
    actor: User  # set by MembershipInline.get_formset

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        try:
            self._check_changes()
        except PermissionDenied as denied:
            raise ValidationError(str(denied)) from denied
        except ValidationError as invalid:
            raise ValidationError(invalid.messages) from invalid

    def _check_changes(self) -> None:
        client, actor = self.instance, self.actor
        removed = [f for f in self.initial_forms if f in self.deleted_forms]
        added = [f for f in self.extra_forms if f.has_changed() and f not in self.deleted_forms]
        kept = [f for f in self.initial_forms if f not in removed] + added
        for form in removed:
            services.check_removal(client, actor=actor, user=form.instance.user)
        had_owner = any(f.initial.get("role") == Role.OWNER for f in self.initial_forms)
        if had_owner and not any(f.cleaned_data.get("role") == Role.OWNER for f in kept):
            raise ValidationError("An organization needs at least one owner.")
        appointing = not client._state.adding and any(_changes_an_owner(f) for f in kept)
        if appointing and not actor.is_superuser:
            acting = client.memberships.filter(user=actor).first()
            if acting is None or acting.role != Role.OWNER:
                raise PermissionDenied("Only owners can appoint or demote owners.")
        if added:
            services.check_member_limit(client, adding=len(added))
        for form in added:
            services.check_organization_limit(form.cleaned_data["user"])

    def save_existing_objects(self, commit: bool = True) -> list[Membership]:
        # Role changes before removals: someone made an owner here lets the last owner go in
        # the same save, as clean() allowed.
        self.changed_objects, self.deleted_objects = [], []
        saved = []
        for form in self.initial_forms:
            if form not in self.deleted_forms and form.has_changed():
                saved.append(self.save_existing(form, form.instance, commit=commit))
                self.changed_objects.append((form.instance, form.changed_data))
        for form in self.initial_forms:
            if form in self.deleted_forms:
                self.deleted_objects.append(form.instance)
                self.delete_existing(form.instance, commit=commit)
        return saved

    def save_new(self, form: Any, commit: bool = True) -> Membership:
        return services.add_member(
            self.instance, user=form.cleaned_data["user"], role=form.cleaned_data["role"]
        )

    def delete_existing(self, obj: Membership, commit: bool = True) -> None:
        services.remove_member(self.instance, actor=self.actor, user=obj.user)


def _changes_an_owner(form: Any) -> bool:
    """Whether `form` makes someone an owner, or makes an owner something else."""
    roles = {form.initial.get("role"), form.cleaned_data.get("role")}
    return Role.OWNER in roles and "role" in form.changed_data


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["user"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset: Any = super().get_formset(request, obj, **kwargs)  # a new class each call
        formset.actor = request.user
        return formset


@admin.register(Client)
class ClientAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["name", "schema_name", "created_at"]
    search_fields = ["name", "schema_name"]
    inlines = [DomainInline, MembershipInline]
