"""Factories for organizations and users."""

from __future__ import annotations

import factory

from accounts.models import Organization, Role, User
from accounts.preferences import UserPreferences


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"lifter{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Lifter {n}")
    role = Role.OWNER
    email_verified = True
    password = factory.django.Password("correct-horse-battery")


class UserPreferencesFactory(factory.django.DjangoModelFactory[UserPreferences]):
    class Meta:
        model = UserPreferences

    user = factory.SubFactory(UserFactory)
