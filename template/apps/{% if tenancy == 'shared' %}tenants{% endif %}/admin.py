"""Organizations in the admin, and the base of every tenant-owned model's admin.

The admin runs unscoped (TenantContextMiddleware): superusers see every organization's
rows; other staff see only those of organizations they own or administer.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from apps.users.models import User

from . import services
from .models import MANAGER_ROLES, Invitation, Membership, Role, Tenant


def administered_tenants(request: HttpRequest) -> QuerySet[Tenant]:
    user: Any = request.user
    if user.is_superuser:
        return Tenant.objects.all()
    return Tenant.objects.filter(memberships__user=user, memberships__role__in=MANAGER_ROLES)


class TenantScopedAdmin(admin.ModelAdmin):
    """For tenant-owned models: rows and choices limited to the staff user's organizations."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(tenant__in=administered_tenants(request))

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        # A row whose organization follows its parent's (a task's project) never sets it.
        exclude = list(super().get_exclude(request, obj) or [])
        return [*exclude, "tenant"] if self.model.tenant_source() else exclude

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if self.model.tenant_source() or "tenant" in fields:
            return fields
        return ["tenant", *fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "tenant"] if obj is not None else readonly  # rows never move

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "tenant":
            kwargs["queryset"] = administered_tenants(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_select_related(self, request: HttpRequest) -> Any:
        related = super().get_list_select_related(request)
        return [*related, "tenant"] if isinstance(related, list | tuple) else related

    def get_list_display(self, request: HttpRequest) -> Any:
        return [*super().get_list_display(request), "tenant"]

    def get_list_filter(self, request: HttpRequest) -> Any:
        return [*super().get_list_filter(request), "tenant"]


class MembershipFormSet(BaseInlineFormSet):
    """An organization's members in the admin, changed through the services: their rules
    (only owners remove or appoint owners, the last owner stays), their limits, and their
    clean-up (someone removed here leaves the organization's projects, and their sockets of it
    close). Superusers act as operators, bound by the last-owner rule only."""

    instance: Tenant
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
        tenant, actor = self.instance, self.actor
        removed = [f for f in self.initial_forms if f in self.deleted_forms]
        added = [f for f in self.extra_forms if f.has_changed() and f not in self.deleted_forms]
        kept = [f for f in self.initial_forms if f not in removed] + added
        for form in removed:
            services.check_removal(tenant, actor=actor, user=form.instance.user)
        had_owner = any(f.initial.get("role") == Role.OWNER for f in self.initial_forms)
        if had_owner and not any(f.cleaned_data.get("role") == Role.OWNER for f in kept):
            raise ValidationError("An organization needs at least one owner.")
        appointing = not tenant._state.adding and any(_changes_an_owner(f) for f in kept)
        if appointing and not actor.is_superuser:
            acting = tenant.memberships.filter(user=actor).first()
            if acting is None or acting.role != Role.OWNER:
                raise PermissionDenied("Only owners can appoint or demote owners.")
        if added:
            services.check_member_limit(tenant, adding=len(added))
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


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tenant]:
        return administered_tenants(request)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "tenant", "role", "invited_by", "expires_at", "accepted_at"]
    list_select_related = ["tenant", "invited_by"]
    list_filter = ["role", "tenant"]
    search_fields = ["email", "tenant__name"]
    readonly_fields = ["tenant", "email", "role", "invited_by", "expires_at", "accepted_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Invitation]:
        return super().get_queryset(request).filter(tenant__in=administered_tenants(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invitations carry a token that only services.invite can send
