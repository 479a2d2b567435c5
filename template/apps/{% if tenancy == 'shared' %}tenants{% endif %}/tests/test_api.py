"""/api/v1/tenants/ and /api/v1/invitations/: organizations, members, invitations."""

import datetime
import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from apps.core.tests.clients import new_api_client
from apps.core.tests.openapi import error_codes, served_schema
from apps.tenants.models import Invitation, Membership, Role, Tenant
from apps.users.models import User
from apps.users.tests.factories import UserFactory

from .factories import MembershipFactory, TenantFactory

pytestmark = pytest.mark.django_db

TENANTS = "/api/v1/tenants/"
ACCEPT = "/api/v1/invitations/accept/"


@pytest.fixture
def owner(tenant: Tenant) -> User:
    return MembershipFactory.create(tenant=tenant, role=Role.OWNER).user


@pytest.fixture
def owner_client(owner: User) -> APIClient:
    return new_api_client(owner)


@pytest.fixture
def invite(
    owner_client: APIClient, tenant: Tenant, django_capture_on_commit_callbacks: Any
) -> Callable[..., Any]:
    """POST an invitation as the owner; the email goes out when the transaction commits."""

    def send(email: str, **fields: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return owner_client.post(invitations_url(tenant), {"email": email, **fields})

    return send


def invitations_url(tenant: Tenant) -> str:
    return f"{TENANTS}{tenant.slug}/invitations/"


def members_url(tenant: Tenant) -> str:
    return f"{TENANTS}{tenant.slug}/members/"


def token_from_last_email() -> str:
    """The token of the last invitation email: on a line of its own, or ending its link."""
    body = str(mail.outbox[-1].body)
    match = re.search(r"(?:^|[?&]token=)([A-Za-z0-9_-]{40,})$", body, re.M)
    assert match, body
    return match.group(1)


class TestMyOrganizations:
    def test_lists_mine_only_with_my_role(self, auth_client: APIClient, tenant: Tenant) -> None:
        TenantFactory.create(name="Not mine")
        response = auth_client.get(TENANTS)
        assert response.status_code == HTTPStatus.OK
        assert [(t["slug"], t["role"]) for t in response.json()["results"]] == [
            (tenant.slug, "member")
        ]

    def test_creating_one_makes_me_its_owner(self, auth_client: APIClient, user: User) -> None:
        response = auth_client.post(TENANTS, {"name": "Globex", "slug": "globex"})
        assert response.status_code == HTTPStatus.CREATED, response.json()
        assert response.json()["role"] == "owner"
        assert Membership.objects.get(tenant__slug="globex", user=user).role == Role.OWNER

    def test_a_taken_slug_is_400_on_slug(self, auth_client: APIClient, tenant: Tenant) -> None:
        response = auth_client.post(TENANTS, {"name": "Copy", "slug": tenant.slug})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["errors"][0]["attr"] == "slug"

    @pytest.mark.parametrize("slug", ["ACME", "Acme", "acme"])
    def test_slugs_are_unique_whatever_their_case(self, auth_client: APIClient, slug: str) -> None:
        TenantFactory.create(slug="acme")
        response = auth_client.post(TENANTS, {"name": "Acme", "slug": slug})
        assert response.status_code == HTTPStatus.BAD_REQUEST, response.json()
        assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [
            ("slug", "duplicate_slug")
        ]
        assert Tenant.objects.filter(slug__iexact="acme").count() == 1

    def test_the_schema_documents_a_taken_slug(self, api_client: APIClient, settings: Any) -> None:
        settings.API_DOCS = "public"
        codes = error_codes(served_schema(api_client), TENANTS, "post")
        assert "duplicate_slug" in codes[("validation_error", "slug")]

    def test_names_are_strings_without_control_characters(self, auth_client: APIClient) -> None:
        for name, code in [(123, "invalid"), ("Acme\nCorp", "control_characters")]:
            response = auth_client.post(TENANTS, {"name": name, "slug": "acme"})
            assert response.status_code == HTTPStatus.BAD_REQUEST, response.json()
            assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [("name", code)]
        assert not Tenant.objects.filter(slug="acme").exists()

    def test_someone_elses_organization_is_404(self, auth_client: APIClient) -> None:
        other = TenantFactory.create()
        assert auth_client.get(f"{TENANTS}{other.slug}/").status_code == HTTPStatus.NOT_FOUND
        assert auth_client.get(members_url(other)).status_code == HTTPStatus.NOT_FOUND
        assert auth_client.get(invitations_url(other)).status_code == HTTPStatus.NOT_FOUND
        assert (
            auth_client.post(invitations_url(other), {"email": "x@example.com"}).status_code
            == HTTPStatus.NOT_FOUND
        )

    def test_anonymous_is_401(self, api_client: APIClient) -> None:
        assert api_client.get(TENANTS).status_code == HTTPStatus.UNAUTHORIZED


class TestMembers:
    def test_members_see_each_other(
        self, auth_client: APIClient, tenant: Tenant, user: User
    ) -> None:
        outsider = UserFactory.create(tenants=[])
        response = auth_client.get(members_url(tenant))
        emails = [m["user"]["email"] for m in response.json()["results"]]
        assert user.email in emails
        assert outsider.email not in emails

    def test_owner_removes_a_member(
        self, owner_client: APIClient, tenant: Tenant, user: User
    ) -> None:
        response = owner_client.delete(f"{members_url(tenant)}{user.pk}/")
        assert response.status_code == HTTPStatus.NO_CONTENT
        assert not tenant.memberships.filter(user=user).exists()

    def test_a_member_cannot_remove_others(
        self, auth_client: APIClient, tenant: Tenant, other_user: User
    ) -> None:
        response = auth_client.delete(f"{members_url(tenant)}{other_user.pk}/")
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert tenant.memberships.filter(user=other_user).exists()

    def test_a_member_may_leave(self, auth_client: APIClient, tenant: Tenant, user: User) -> None:
        assert (
            auth_client.delete(f"{members_url(tenant)}{user.pk}/").status_code
            == HTTPStatus.NO_CONTENT
        )
        assert not tenant.memberships.filter(user=user).exists()

    def test_the_last_owner_cannot_go(
        self, owner_client: APIClient, tenant: Tenant, owner: User
    ) -> None:
        response = owner_client.delete(f"{members_url(tenant)}{owner.pk}/")
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["errors"][0]["attr"] == "user_id"
        assert tenant.memberships.filter(user=owner, role=Role.OWNER).exists()

    def test_admins_cannot_remove_owners(self, tenant: Tenant, owner: User) -> None:
        MembershipFactory.create(tenant=tenant, role=Role.OWNER)  # not the last owner
        admin = MembershipFactory.create(tenant=tenant, role=Role.ADMIN).user
        response = new_api_client(admin).delete(f"{members_url(tenant)}{owner.pk}/")
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert tenant.memberships.filter(user=owner, role=Role.OWNER).exists()

    def test_admins_remove_members_and_admins(self, tenant: Tenant, user: User) -> None:
        admin, other_admin = (
            MembershipFactory.create(tenant=tenant, role=Role.ADMIN).user for _ in range(2)
        )
        client = new_api_client(admin)
        assert (
            client.delete(f"{members_url(tenant)}{user.pk}/").status_code == HTTPStatus.NO_CONTENT
        )
        assert (
            client.delete(f"{members_url(tenant)}{other_admin.pk}/").status_code
            == HTTPStatus.NO_CONTENT
        )
        assert set(tenant.memberships.values_list("user", flat=True)) == {admin.pk}

    def test_owners_remove_owners_and_may_leave_while_another_remains(
        self, owner_client: APIClient, tenant: Tenant, owner: User
    ) -> None:
        second, third = (
            MembershipFactory.create(tenant=tenant, role=Role.OWNER).user for _ in range(2)
        )
        assert (
            owner_client.delete(f"{members_url(tenant)}{second.pk}/").status_code
            == HTTPStatus.NO_CONTENT
        )
        assert (
            owner_client.delete(f"{members_url(tenant)}{owner.pk}/").status_code
            == HTTPStatus.NO_CONTENT
        )
        assert list(tenant.memberships.filter(role=Role.OWNER).values_list("user", flat=True)) == [
            third.pk
        ]


class TestLimits:
    def test_no_one_belongs_to_more_organizations_than_the_limit(
        self, auth_client: APIClient, user: User, settings: Any
    ) -> None:
        settings.TENANCY_MAX_ORGANIZATIONS_PER_USER = 2  # `user` is in the test's already
        assert (
            auth_client.post(TENANTS, {"name": "Second", "slug": "second"}).status_code
            == HTTPStatus.CREATED
        )
        response = auth_client.post(TENANTS, {"name": "Third", "slug": "third"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["errors"][0]["code"] == "organization_limit"
        assert user.memberships.count() == 2

    def test_open_invitations_count_against_the_member_limit(
        self, invite: Callable[..., Any], tenant: Tenant, settings: Any
    ) -> None:
        # Room for exactly one more member.
        settings.TENANCY_MAX_MEMBERS_PER_ORGANIZATION = tenant.memberships.count() + 1
        assert invite("first@example.com").status_code == HTTPStatus.CREATED
        assert invite("FIRST@example.com").status_code == HTTPStatus.CREATED, (
            "a replacement takes no seat"
        )
        response = invite("second@example.com")
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["errors"][0]["code"] == "member_limit"
        assert not tenant.invitations.filter(email="second@example.com").exists()

    def test_accepting_is_refused_past_either_limit(
        self, invite: Callable[..., Any], tenant: Tenant, settings: Any
    ) -> None:
        invite("late@example.com")
        token = token_from_last_email()
        late = new_api_client(UserFactory.create(email="late@example.com", tenants=[]))
        settings.TENANCY_MAX_MEMBERS_PER_ORGANIZATION = tenant.memberships.count()
        full = late.post(ACCEPT, {"token": token})
        assert (full.status_code, full.json()["errors"][0]["code"]) == (
            HTTPStatus.BAD_REQUEST,
            "member_limit",
        )
        settings.TENANCY_MAX_MEMBERS_PER_ORGANIZATION = 1000
        settings.TENANCY_MAX_ORGANIZATIONS_PER_USER = 0
        busy = late.post(ACCEPT, {"token": token})
        assert (busy.status_code, busy.json()["errors"][0]["code"]) == (
            HTTPStatus.BAD_REQUEST,
            "organization_limit",
        )
        assert not tenant.memberships.filter(user__email="late@example.com").exists()


class TestInvitations:
    def test_owner_invites_and_the_invitee_accepts(
        self, invite: Callable[..., Any], tenant: Tenant
    ) -> None:
        response = invite("New.Person@example.com", role="admin")
        assert response.status_code == HTTPStatus.CREATED, response.json()
        assert mail.outbox[-1].to == ["New.Person@example.com"]
        token = token_from_last_email()
        # Only the hash is stored.
        assert not Invitation.objects.filter(token_hash=token).exists()

        invitee = UserFactory.create(email="new.person@example.com", tenants=[])
        accepted = new_api_client(invitee).post(ACCEPT, {"token": token})
        assert accepted.status_code == HTTPStatus.CREATED, accepted.json()
        assert tenant.memberships.get(user=invitee).role == Role.ADMIN
        # Used once only.
        again = new_api_client(invitee).post(ACCEPT, {"token": token})
        assert again.status_code == HTTPStatus.BAD_REQUEST

    def test_the_token_only_works_for_the_address_it_was_sent_to(
        self, invite: Callable[..., Any], tenant: Tenant
    ) -> None:
        invite("invitee@example.com")
        token = token_from_last_email()
        stranger = UserFactory.create(tenants=[])
        response = new_api_client(stranger).post(ACCEPT, {"token": token})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["errors"][0]["attr"] == "token"
        assert not tenant.memberships.filter(user=stranger).exists()

    def test_an_expired_or_unknown_token_is_the_same_error(
        self, invite: Callable[..., Any], tenant: Tenant
    ) -> None:
        invite("late@example.com")
        token = token_from_last_email()
        Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        late = new_api_client(UserFactory.create(email="late@example.com", tenants=[]))
        expired = late.post(ACCEPT, {"token": token})
        unknown = late.post(ACCEPT, {"token": "x" * 43})
        assert expired.status_code == unknown.status_code == HTTPStatus.BAD_REQUEST
        assert expired.json() == unknown.json()

    def test_a_new_invitation_replaces_the_open_one(
        self, invite: Callable[..., Any], tenant: Tenant
    ) -> None:
        invite("twice@example.com")
        first = token_from_last_email()
        invite("TWICE@example.com")
        assert tenant.invitations.count() == 1
        twice = new_api_client(UserFactory.create(email="twice@example.com", tenants=[]))
        assert twice.post(ACCEPT, {"token": first}).status_code == HTTPStatus.BAD_REQUEST
        assert (
            twice.post(ACCEPT, {"token": token_from_last_email()}).status_code == HTTPStatus.CREATED
        )

    def test_members_cannot_invite(self, auth_client: APIClient, tenant: Tenant) -> None:
        response = auth_client.post(invitations_url(tenant), {"email": "x@example.com"})
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert not tenant.invitations.exists()
        assert mail.outbox == []

    def test_admins_cannot_invite_owners(self, tenant: Tenant) -> None:
        admin = MembershipFactory.create(tenant=tenant, role=Role.ADMIN).user
        response = new_api_client(admin).post(
            invitations_url(tenant), {"email": "boss@example.com", "role": "owner"}
        )
        assert response.status_code == HTTPStatus.FORBIDDEN

    def test_inviting_a_member_is_400_on_email(
        self, invite: Callable[..., Any], user: User
    ) -> None:
        response = invite(user.email.upper())
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["errors"][0]["attr"] == "email"

    def test_open_invitations_are_listed_to_members(
        self, invite: Callable[..., Any], auth_client: APIClient, tenant: Tenant
    ) -> None:
        invite("listed@example.com")
        response = auth_client.get(invitations_url(tenant))
        assert [i["email"] for i in response.json()["results"]] == ["listed@example.com"]
        assert "token" not in response.json()["results"][0]


# A real commit: the e-mail is sent after it, as in production.
@pytest.mark.django_db(transaction=True)
def test_a_mail_server_outage_neither_fails_nor_repeats_the_invitation(
    owner_client: APIClient,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("apps.tenants.services.send_mail", refuse)
    effect = {"effect": "tenants.invitation_email"}
    before = REGISTRY.get_sample_value("side_effect_failures_total", effect) or 0.0

    response = owner_client.post(invitations_url(tenant), {"email": "someone@example.com"})

    assert response.status_code == HTTPStatus.CREATED, response.json()
    assert tenant.invitations.filter(email="someone@example.com").count() == 1
    assert REGISTRY.get_sample_value("side_effect_failures_total", effect) == before + 1
    assert "tenants.invitation_email failed" in caplog.text
