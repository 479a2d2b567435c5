"""Every write to organizations, memberships and invitations goes through these functions."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from apps.users.models import User

from .models import Invitation, Membership, Role, Tenant, hash_token


def _require_manager(tenant: Tenant, actor: User) -> Membership:
    membership = Membership.objects.filter(tenant=tenant, user=actor).first()
    if membership is None or not membership.can_manage:
        raise PermissionDenied("Only the organization's owners and admins can do this.")
    return membership


def create_tenant(*, owner: User, name: str, slug: str) -> Tenant:
    """A new organization with `owner` as its first member (role owner)."""
    tenant = Tenant(name=name, slug=slug)
    tenant.full_clean()
    with transaction.atomic():
        tenant.save()
        Membership.objects.create(tenant=tenant, user=owner, role=Role.OWNER)
    return tenant


def invite(tenant: Tenant, *, actor: User, email: str, role: str = Role.MEMBER) -> Invitation:
    """Invite `email` (replacing an open invitation to the same address) and email the link."""
    membership = _require_manager(tenant, actor)
    if role == Role.OWNER and membership.role != Role.OWNER:
        raise PermissionDenied("Only owners can invite owners.")
    if tenant.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": "This person is already a member."})
    invitation, token = Invitation.issue(tenant=tenant, email=email, role=role, invited_by=actor)
    with transaction.atomic():
        tenant.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
        invitation.full_clean()
        invitation.save()
        transaction.on_commit(lambda: _send_invitation(invitation, token))
    return invitation


def _send_invitation(invitation: Invitation, token: str) -> None:
    send_mail(
        subject=f"You are invited to {invitation.tenant.name}",
        message=(
            f"{invitation.invited_by or 'Someone'} invited you to join {invitation.tenant.name}."
            f"\n\nAccept with this token (valid until {invitation.expires_at:%Y-%m-%d}):\n"
            f"{token}\n\nPOST it to /api/v1/invitations/accept/ once signed in."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


def accept_invitation(*, token: str, user: User) -> Membership:
    """Join the organization of the invitation `token`, sent to `user`'s own address.

    An unknown, used or expired token, or one sent to another address, is the same
    "invalid invitation" error, so tokens cannot be probed.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("tenant")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if (
            invitation is None
            or not invitation.is_open
            or invitation.email.lower() != user.email.lower()
        ):
            raise ValidationError({"token": "This invitation is invalid or has expired."})
        membership, _ = Membership.objects.get_or_create(
            tenant=invitation.tenant, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


def remove_member(tenant: Tenant, *, actor: User, user: User) -> None:
    """Remove `user` from the organization. Its last owner cannot be removed."""
    if actor.pk != user.pk:  # anyone may leave; removing others takes a manager
        _require_manager(tenant, actor)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(tenant=tenant, user=user)
        target = membership.first()
        if target is None:
            return
        owners = tenant.memberships.filter(role=Role.OWNER)
        if target.role == Role.OWNER and owners.count() == 1:
            raise ValidationError({"user": "An organization needs at least one owner."})
        target.delete()
