import pytest
from django.db import IntegrityError

from apps.users.models import User

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_user_normalizes_the_email_and_hashes_the_password() -> None:
    user = User.objects.create_user("Ada.Lovelace@Example.COM", "s3cret-enough-pw")
    assert user.email == "ada.lovelace@example.com"
    assert user.check_password("s3cret-enough-pw")
    assert user.password != "s3cret-enough-pw"
    assert not user.is_staff
    assert not user.is_superuser


def test_create_superuser_sets_the_flags_and_refuses_contradictions() -> None:
    admin = User.objects.create_superuser("root@example.com", "pw-for-admin-123")
    assert admin.is_staff
    assert admin.is_superuser
    with pytest.raises(ValueError, match="is_staff=True"):
        User.objects.create_superuser("x@example.com", "pw", is_staff=False)


def test_an_email_is_required() -> None:
    with pytest.raises(ValueError, match="email address is required"):
        User.objects.create_user("", "pw")


def test_email_is_unique_regardless_of_case() -> None:
    UserFactory.create(email="ada@example.com")
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="ADA@example.com")])


def test_login_lookup_ignores_case() -> None:
    user = UserFactory.create(email="grace@example.com")
    assert User.objects.get_by_natural_key("Grace@Example.com") == user


def test_full_name_is_generated_by_the_database() -> None:
    user = UserFactory.create(first_name="Grace", last_name="Hopper")
    user.refresh_from_db()
    assert user.full_name == "Grace Hopper"
    user.last_name = "Murray"
    user.save()
    user.refresh_from_db()
    assert user.full_name == "Grace Murray"
    assert User.objects.filter(full_name="Grace Murray").get() == user


@pytest.mark.parametrize(
    ("first", "last", "full"), [("", "", ""), ("Grace", "", "Grace"), ("", "Hopper", "Hopper")]
)
def test_full_name_has_no_stray_spaces(first: str, last: str, full: str) -> None:
    user = UserFactory.create(first_name=first, last_name=last)
    user.refresh_from_db()
    assert user.full_name == full


def test_names_fall_back_to_the_email() -> None:
    user = UserFactory.create(first_name="", last_name="", email="anon@example.com")
    assert user.get_full_name() == "anon@example.com"
    assert user.get_short_name() == "anon@example.com"
    assert str(user) == "anon@example.com"
