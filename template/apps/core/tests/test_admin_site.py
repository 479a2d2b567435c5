from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_admin_carries_the_project_name(admin_client: Client, settings: Any) -> None:
    page = admin_client.get(f"/{settings.ADMIN_URL}").content.decode()
    assert f"{settings.PROJECT_NAME} administration" in page
    assert "Django administration" not in page
