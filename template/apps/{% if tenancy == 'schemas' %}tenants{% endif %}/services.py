"""Every change to who belongs to an organization goes through these functions: the admin's
member list and `create_organization` use them.

Who may remove whom: anyone may leave; owners and admins remove members and admins; only
owners remove owners; the last owner stays, so an organization always has one. Superusers act
as operators (in the admin): the role rules do not bind them, the last-owner rule does.

Removing a member ends everything that hung on the membership, in the same transaction: the
receivers of signals.member_removed (the example app's take them off the projects in the
organization's schema, unassign their open tasks there and hand over the projects they own),
and once it is committed their open WebSockets of the organization close.

Limits (config/settings/tenancy.py): a person belongs to at most
TENANCY_MAX_ORGANIZATIONS_PER_USER organizations, and an organization has at most
TENANCY_MAX_MEMBERS_PER_ORGANIZATION members.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from apps.users.models import User

from . import signals
from .models import Client, Membership, Role


def check_organization_limit(user: User) -> None:
    """Refuse (400) if `user` belongs to as many organizations as one person may."""
    limit = settings.TENANCY_MAX_ORGANIZATIONS_PER_USER
    if Membership.objects.filter(user=user).count() >= limit:
        raise ValidationError(
            f"{user} already belongs to {limit} organizations, the most one person can.",
            code="organization_limit",
        )


def check_member_limit(client: Client, *, adding: int = 1) -> None:
    """Refuse (400) if `adding` more members would take `client` past its limit."""
    limit = settings.TENANCY_MAX_MEMBERS_PER_ORGANIZATION
    members = 0 if client._state.adding else client.memberships.count()  # the admin's add page
    if members + adding > limit:
        raise ValidationError(
            f"This organization has reached its limit of {limit} members.", code="member_limit"
        )


def _lock(row: Client | User) -> None:
    # Counting for a limit and then writing must not interleave with another request doing
    # the same: one row lock per organization (members) or person (organizations).
    model = row._meta.model  # request.user is a lazy object: its type is not the model
    list(model._default_manager.select_for_update().filter(pk=row.pk).values_list("pk"))


def add_member(client: Client, *, user: User, role: str = Role.MEMBER) -> Membership:
    """`user` joins `client` with `role` (an existing membership is returned as it is)."""
    with transaction.atomic():
        membership = client.memberships.filter(user=user).first()
        if membership is not None:
            return membership
        _lock(client)
        _lock(user)
        check_member_limit(client)
        check_organization_limit(user)
        return Membership.objects.create(client=client, user=user, role=role)


def check_removal(client: Client, *, actor: User, user: User) -> None:
    """Raise PermissionDenied or ValidationError if `actor` may not remove `user` now."""
    memberships = {
        m.user_id: m
        for m in client.memberships.filter(Q(user__in=[actor.pk, user.pk]) | Q(role=Role.OWNER))
    }
    _check_removal(memberships, actor=actor, user=user)


def _check_removal(memberships: dict[Any, Membership], *, actor: User, user: User) -> None:
    target, acting = memberships.get(user.pk), memberships.get(actor.pk)
    if target is None:
        return
    if actor.pk != user.pk and not actor.is_superuser:
        if acting is None or not acting.can_manage:
            raise PermissionDenied("Only the organization's owners and admins can do this.")
        if target.role == Role.OWNER and acting.role != Role.OWNER:
            raise PermissionDenied("Only owners can remove owners.")
    owners = [m for m in memberships.values() if m.role == Role.OWNER]
    if target.role == Role.OWNER and len(owners) == 1:
        raise ValidationError({"user": "An organization needs at least one owner."})


def remove_member(client: Client, *, actor: User, user: User) -> None:
    """`actor` removes `user` from the organization (or leaves it, when they are `user`).

    What `user` owned there goes to `actor` when a manager removes them, else to the
    organization's longest-standing remaining owner.
    """
    with transaction.atomic():
        # The owners are locked too: two owners removing each other at once cannot both win.
        memberships = {
            m.user_id: m
            for m in client.memberships.select_for_update().filter(
                Q(user__in=[actor.pk, user.pk]) | Q(role=Role.OWNER)
            )
        }
        target = memberships.get(user.pk)
        if target is None:
            return
        _check_removal(memberships, actor=actor, user=user)
        removed_by_manager = actor.pk != user.pk and actor.pk in memberships
        successor = actor if removed_by_manager else _successor(client, leaving=user)
        target.delete()
        signals.member_removed.send(sender=Client, client=client, user=user, successor=successor)


def _successor(client: Client, *, leaving: User) -> User | None:
    """The remaining owner who has been one longest (active ones first)."""
    owner = (
        client.memberships.filter(role=Role.OWNER)
        .exclude(user=leaving)
        .select_related("user")
        .order_by("-user__is_active", "created_at", "pk")
        .first()
    )
    return owner.user if owner is not None else None
