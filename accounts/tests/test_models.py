"""organizations and users: every constraint holds in the database itself (rows inserted with plain
SQL), and the models give a message that names the problem."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from accounts.models import Organization, Role, User
from accounts.tests.factories import OrganizationFactory, UserFactory
from hypertroq.tests.rawsql import assert_rejected, assert_update_rejected, insert

pytestmark = pytest.mark.django_db


def login_request():
    return RequestFactory().post("/accounts/login/")


def user_row(organization: Organization, email: str = "raw@example.com", **extra):
    return {
        "organization_id": organization.pk,
        "email": email,
        "hashed_password": "!",
        "full_name": "Raw Row",
        **extra,
    }


# --- users -------------------------------------------------------------------------------------------


def test_plain_sql_user_row_gets_the_schema_defaults():
    org = OrganizationFactory()
    user_id = insert("users", **user_row(org))
    user = User.objects.get(pk=user_id)
    assert (user.role, user.subscription_tier, user.subscription_status) == ("member", "free", "active")
    assert user.ai_queries_limit == 10 and user.ai_queries_used == 0
    assert user.is_active and not user.is_staff and not user.is_deleted
    assert user.created_at is not None and user.updated_at is not None


def test_ix_users_email_lower_rejects_an_email_differing_only_in_case():
    existing = UserFactory(email="Ann@Example.com")
    assert_rejected(
        "users", "ix_users_email_lower", **user_row(existing.organization, email="ann@example.COM")
    )


def test_ix_users_email_lower_covers_deleted_accounts_too():
    gone = UserFactory(email="gone@example.com")
    gone.mark_deleted()
    gone.save()
    assert_rejected("users", "ix_users_email_lower", **user_row(gone.organization, email="GONE@example.com"))


def test_users_organization_is_required_in_the_database():
    assert_rejected("users", None, email="noorg@example.com", hashed_password="!", full_name="No Org")


@pytest.mark.parametrize(
    ("column", "value", "constraint"),
    [
        ("subscription_tier", "enterprise", "chk_users_tier_valid"),  # users are free or pro
        ("subscription_status", "suspended", "chk_users_status_valid"),
        ("role", "admin", "chk_users_role_valid"),
        ("ai_queries_used", -1, "chk_users_ai_used_nonneg"),
        ("ai_queries_limit", -5, "chk_users_ai_limit_nonneg"),
    ],
)
def test_user_check_constraints_reject_bad_rows(column, value, constraint):
    org = OrganizationFactory()
    assert_rejected("users", constraint, **user_row(org, **{column: value}))
    existing = UserFactory(organization=org)
    assert_update_rejected("users", existing.pk, constraint, **{column: value})


def test_unlimited_ai_queries_is_null_limit():
    org = OrganizationFactory()
    user_id = insert("users", **user_row(org, ai_queries_limit=None))
    assert User.objects.get(pk=user_id).ai_queries_limit is None


def test_full_clean_names_a_duplicate_email():
    UserFactory(email="dup@example.com")
    other = User(organization=OrganizationFactory(), email="DUP@example.com", full_name="Dup", password="!")
    with pytest.raises(ValidationError) as caught:
        other.full_clean()
    assert "A user with this email already exists." in str(caught.value)


def test_create_user_makes_a_personal_organization_and_owner():
    user = User.objects.create_user("Solo@Example.com", "correct-horse-battery", full_name="Solo Lifter")
    assert user.organization.name == "Solo Lifter's organization"
    assert user.organization.slug == "solo-lifter"
    assert user.role == Role.OWNER
    assert user.password.startswith("md5$") or user.password.startswith("bcrypt")
    second = User.objects.create_user("solo2@example.com", "correct-horse-battery", full_name="Solo Lifter")
    assert second.organization.slug == "solo-lifter-2"


def test_login_by_email_in_any_case():
    UserFactory(email="case@example.com")
    assert User.objects.by_email("  CASE@Example.com ").count() == 1
    assert (
        authenticate(login_request(), username="Case@EXAMPLE.com", password="correct-horse-battery")
        is not None
    )


def test_bcrypt_is_the_first_hasher_outside_tests():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hypertroq.settings.development",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/unused",
    }
    code = (
        "import django; django.setup(); from django.contrib.auth.hashers import make_password; "
        "print(make_password('correct-horse-battery').split('$')[0])"
    )
    out = subprocess.run(  # noqa: S603 - fixed command, test only
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "bcrypt_sha256"


def test_soft_deleted_user_is_hidden_from_default_and_related_managers():
    user = UserFactory(email="hidden@example.com")
    org = user.organization
    user.mark_deleted()
    user.save()
    assert not User.objects.filter(pk=user.pk).exists()
    assert User.all_objects.filter(pk=user.pk).exists()
    assert list(org.users.all()) == []
    assert not User.objects.by_email("hidden@example.com").exists()


# --- organizations -----------------------------------------------------------------------------------


def test_ix_organizations_slug_rejects_a_duplicate_slug():
    OrganizationFactory(slug="iron-club")
    assert_rejected("organizations", "ix_organizations_slug", name="Other", slug="iron-club")


@pytest.mark.parametrize(
    ("column", "value", "constraint"),
    [
        ("subscription_tier", "gold", "chk_organizations_tier_valid"),
        ("subscription_status", "past_due", "chk_organizations_status_valid"),
        ("ai_queries_used", -1, "chk_organizations_ai_used_nonneg"),
        ("ai_queries_limit", -1, "chk_organizations_ai_limit_nonneg"),
    ],
)
def test_organization_check_constraints_reject_bad_rows(column, value, constraint):
    assert_rejected("organizations", constraint, name="Bad", slug="bad", **{column: value})


def test_plain_sql_organization_defaults():
    org_id = insert("organizations", name="Plain", slug="plain")
    org = Organization.objects.get(pk=org_id)
    assert (org.subscription_tier, org.subscription_status) == ("free", "active")
    assert org.ai_queries_limit is None and org.ai_queries_used == 0


def test_full_clean_names_a_duplicate_slug():
    OrganizationFactory(slug="taken")
    with pytest.raises(ValidationError) as caught:
        Organization(name="Taken", slug="taken").full_clean()
    assert "slug" in str(caught.value).lower()


def test_soft_deleted_organization_is_hidden_from_the_default_manager():
    org = OrganizationFactory()
    org.mark_deleted()
    org.save()
    assert not Organization.objects.filter(pk=org.pk).exists()
    assert Organization.all_objects.get(pk=org.pk).deleted_at is not None
