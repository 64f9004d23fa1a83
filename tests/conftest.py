"""Fixtures every test can use: a user and a signed-in client per role, the demo contract."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from nct_monitor.roles import ADMINISTRATOR, CLERK, MEMBER, OFFICER
from tests.factories import ContractFactory, UserFactory


def pytest_runtest_setup(item: pytest.Item) -> None:
    # CI runs the suite on SQLite and again on PostgreSQL; these run in the second.
    if item.get_closest_marker("postgresql") and "postgresql" not in str(
        settings.DATABASES["default"]["ENGINE"]
    ):
        pytest.skip(
            "needs PostgreSQL: SQLite has no row locks and lets one writer in at a time, so "
            "concurrent connections cannot race there. Run with DATABASE_URL=postgres://…"
        )


@pytest.fixture(autouse=True)
def _run_tasks_at_once(settings):
    # Background tasks run in the request that enqueues them, so a test sees their result.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_user(db) -> Callable[..., object]:
    def make(role: str | None, **kwargs):
        user = UserFactory(**kwargs)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def officer(make_user):
    return make_user(OFFICER, username="officer")


@pytest.fixture
def member(make_user):
    return make_user(MEMBER, username="member")


@pytest.fixture
def clerk(make_user):
    return make_user(CLERK, username="clerk")


@pytest.fixture
def admin_user(make_user):
    return make_user(ADMINISTRATOR, username="admin", is_staff=True)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer_client(officer) -> Client:
    return _client_for(officer)


@pytest.fixture
def member_client(member) -> Client:
    return _client_for(member)


@pytest.fixture
def clerk_client(clerk) -> Client:
    return _client_for(clerk)


@pytest.fixture
def admin_client(admin_user) -> Client:
    return _client_for(admin_user)


@pytest.fixture
def contract(db):
    """The contract with NNC 44.16% / WNC 55.84% from 1 April 2021."""
    return ContractFactory(shares={"NNC": Decimal("44.16"), "WNC": Decimal("55.84")})
