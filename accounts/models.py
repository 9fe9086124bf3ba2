"""Organizations and users (tables ``organizations`` and ``users``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify

from hypertroq.models import AllObjectsManager, SoftDeleteModel, SoftDeleteQuerySet, TimeStampedModel


class OrganizationTier(models.TextChoices):
    FREE = "free", "Free"
    PRO = "pro", "Pro"
    ENTERPRISE = "enterprise", "Enterprise"


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CANCELLED = "cancelled", "Cancelled"
    SUSPENDED = "suspended", "Suspended"


class UserTier(models.TextChoices):
    FREE = "free", "Free"
    PRO = "pro", "Pro"


class UserStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CANCELLED = "cancelled", "Cancelled"
    PAST_DUE = "past_due", "Past due"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    COACH = "coach", "Coach"
    MEMBER = "member", "Member"


FREE_USER_AI_QUERIES = 10


class Organization(TimeStampedModel, SoftDeleteModel):
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, db_index=False)
    subscription_tier = models.CharField(
        max_length=50,
        choices=OrganizationTier.choices,
        default=OrganizationTier.FREE,
        db_default=OrganizationTier.FREE,
    )
    subscription_status = models.CharField(
        max_length=50,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
        db_default=OrganizationStatus.ACTIVE,
    )
    ai_queries_used = models.IntegerField(default=0, db_default=0)
    ai_queries_limit = models.IntegerField(
        null=True, blank=True, help_text="Monthly AI queries for the whole organization; empty = unlimited."
    )
    # First day (UTC) of the month ai_queries_used counts; a new month resets it lazily.
    ai_queries_month = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "organizations"
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="ix_organizations_slug"),
            models.CheckConstraint(
                condition=models.Q(subscription_tier__in=OrganizationTier.values),
                name="chk_organizations_tier_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(subscription_status__in=OrganizationStatus.values),
                name="chk_organizations_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(ai_queries_used__gte=0), name="chk_organizations_ai_used_nonneg"
            ),
            models.CheckConstraint(
                condition=models.Q(ai_queries_limit__isnull=True) | models.Q(ai_queries_limit__gte=0),
                name="chk_organizations_ai_limit_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(SoftDeleteQuerySet):
    def by_email(self, email: str) -> UserQuerySet:
        """Case-insensitive email match that uses the ``LOWER(email)`` unique index."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=email.strip().lower())


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Default manager: hides deleted accounts. Creating users goes through accounts.services."""

    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return super().get_queryset().filter(is_deleted=False)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get_queryset().by_email(username or "").get()

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        email = self.normalize_email(email)
        organization = extra.pop("organization", None)
        full_name = extra.pop("full_name", "") or email.split("@")[0]
        if organization is None:
            organization = Organization.objects.create(
                name=f"{full_name}'s organization", slug=unique_organization_slug(full_name)
            )
            extra.setdefault("role", Role.OWNER)
        user = self.model(email=email, full_name=full_name, organization=organization, **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        extra.setdefault("email_verified", True)
        return self._create(email, password, **extra)


class AllUsersManager(AllObjectsManager):
    def get_by_natural_key(self, username: str | None) -> User:
        return (
            self.get_queryset()
            .alias(email_lower=Lower("email"))
            .get(email_lower=(username or "").strip().lower())
        )


def unique_organization_slug(name: str) -> str:
    """A slug for ``name`` that no organization (deleted ones included) uses yet."""
    base = (slugify(name) or "organization")[:200]
    slug, n = base, 1
    while Organization.all_objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class User(TimeStampedModel, SoftDeleteModel, AbstractBaseUser, PermissionsMixin):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="users", db_index=False
    )
    email = models.EmailField(max_length=255)
    # The schema calls the bcrypt hash ``hashed_password``.
    password = models.CharField("password", max_length=255, db_column="hashed_password")
    full_name = models.CharField(max_length=255)
    is_active = models.BooleanField(default=True, db_default=True)
    is_superuser = models.BooleanField(default=False, db_default=False)
    is_staff = models.BooleanField(
        default=False, db_default=False, help_text="Can log into the Django admin."
    )
    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        default=Role.MEMBER,
        db_default=Role.MEMBER,
        help_text="Role in the organization.",
    )
    subscription_tier = models.CharField(
        max_length=50, choices=UserTier.choices, default=UserTier.FREE, db_default=UserTier.FREE
    )
    subscription_status = models.CharField(
        max_length=50,
        choices=UserStatus.choices,
        default=UserStatus.ACTIVE,
        db_default=UserStatus.ACTIVE,
    )
    ai_queries_used = models.IntegerField(default=0, db_default=0)
    ai_queries_limit = models.IntegerField(
        null=True,
        blank=True,
        default=FREE_USER_AI_QUERIES,
        db_default=FREE_USER_AI_QUERIES,
        help_text="Monthly AI queries; empty = unlimited.",
    )
    ai_queries_month = models.DateField(null=True, blank=True)
    email_verified = models.BooleanField(default=False, db_default=False)
    # "Log out everywhere": every session that logged in before this time is ended.
    sessions_revoked_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()  # type: ignore[assignment,misc]
    all_objects = AllUsersManager()  # type: ignore[assignment,misc]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        db_table = "users"
        ordering = ("email",)
        indexes = [
            models.Index(fields=["email"], name="ix_users_email"),
            models.Index(fields=["organization"], name="ix_users_organization_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="ix_users_email_lower",
                violation_error_message="A user with this email already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(subscription_tier__in=UserTier.values), name="chk_users_tier_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(subscription_status__in=UserStatus.values),
                name="chk_users_status_valid",
            ),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="chk_users_role_valid"),
            models.CheckConstraint(
                condition=models.Q(ai_queries_used__gte=0), name="chk_users_ai_used_nonneg"
            ),
            models.CheckConstraint(
                condition=models.Q(ai_queries_limit__isnull=True) | models.Q(ai_queries_limit__gte=0),
                name="chk_users_ai_limit_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


INVITATION_VALID_DAYS = 7


class Invitation(TimeStampedModel):
    """An organization owner's invitation for an email address to join with a role.

    The link carries a signed copy of the invitation's id (accounts.tokens); the row makes it
    single-use (``used_at``), revocable (``revoked_at``) and expiring (``expires_at``).
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations", db_index=False
    )
    email = models.EmailField(max_length=255)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "invitations"
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["organization"], name="ix_invitations_organization_id")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="chk_invitations_role_valid"
            ),
            # One open invitation per address and organization (a new one revokes the old first).
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="ux_invitations_open_email",
                violation_error_message="This address already has an open invitation.",
            ),
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="chk_invitations_used_or_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self) -> bool:
        from django.utils import timezone

        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        from django.utils import timezone

        if self.used_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class Plan(models.TextChoices):
    """What can be bought: Pro for one lifter, or a plan for the lifter's organization."""

    PRO = "pro", "Pro (for you)"
    ORGANIZATION_PRO = "organization_pro", "Pro organization (up to 25 members)"
    ORGANIZATION_ENTERPRISE = "organization_enterprise", "Enterprise organization (no member limit)"


class UpgradeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for staff"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class UpgradeRequest(TimeStampedModel):
    """A lifter's request for a paid plan. Until a payment provider is configured
    (``accounts.billing``), staff approve or decline it in admin; both are audited."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="upgrade_requests", db_index=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    plan = models.CharField(max_length=30, choices=Plan.choices)
    note = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(max_length=20, choices=UpgradeStatus.choices, default=UpgradeStatus.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        db_table = "upgrade_requests"
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["user"], name="ix_upgrade_requests_user_id"),
            models.Index(fields=["status", "created_at"], name="ix_upgrade_requests_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(plan__in=Plan.values), name="chk_upgrade_plan_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=UpgradeStatus.values), name="chk_upgrade_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=UpgradeStatus.PENDING, decided_at__isnull=True)
                | (~models.Q(status=UpgradeStatus.PENDING) & models.Q(decided_at__isnull=False)),
                name="chk_upgrade_decided_at",
            ),
            models.UniqueConstraint(
                fields=["user", "plan"],
                condition=models.Q(status=UpgradeStatus.PENDING),
                name="ux_upgrade_requests_pending",
                violation_error_message="You already asked for this plan; staff will answer soon.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_plan_display()} for user {self.user_id} ({self.get_status_display()})"


# Whoever is asking: a signed-in user or an anonymous visitor (``request.user`` on a public page).
# ``if viewer.is_authenticated`` narrows it to ``User`` for the type checker.
Viewer = User | AnonymousUser


# The lifter's preferences live in their own module; importing it here registers the model.
from accounts.preferences import UserPreferences as UserPreferences  # noqa: E402
