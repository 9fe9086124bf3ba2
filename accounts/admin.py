"""Admin for organizations and users (email login, no username)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from accounts import notify, services
from accounts.models import Invitation, Organization, Role, UpgradeRequest, User, unique_organization_slug
from accounts.preferences import UserPreferences
from accounts.quota import organization_quota_status
from hypertroq.admin import IsDeletedFilter, SoftDeleteAdminMixin

# A staff change to these tells the people concerned (notifications: "your plan changed").
PLAN_FIELDS = {"subscription_tier", "subscription_status"}

# --- organizations ----------------------------------------------------------------------------------


@admin.register(Organization)
class OrganizationAdmin(SoftDeleteAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "subscription_tier",
        "subscription_status",
        "member_count",
        "ai_usage",
        "is_deleted",
        "created_at",
    )
    list_filter = ("subscription_tier", "subscription_status", IsDeletedFilter)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)
    fieldsets = (
        (None, {"fields": ("name", "slug")}),
        ("Subscription", {"fields": ("subscription_tier", "subscription_status")}),
        (
            "AI queries",
            {
                "fields": ("ai_queries_used", "ai_queries_limit", "ai_queries_month"),
                "description": "An empty limit means unlimited AI queries for the organization.",
            },
        ),
        ("Record", {"fields": ("is_deleted", "deleted_at", "created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        return (
            super()
            .get_queryset(request)
            .annotate(member_total=Count("users", filter=Q(users__is_deleted=False), distinct=True))
        )

    @admin.display(description="Members", ordering="member_total")
    def member_count(self, obj: Organization) -> str:
        url = reverse("admin:accounts_user_changelist") + f"?organization__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, getattr(obj, "member_total", 0))

    @admin.display(description="AI queries used")
    def ai_usage(self, obj: Organization) -> str:
        # This month's count (an older month's counter reads 0), as accounts.quota computes it.
        status = organization_quota_status(organization=obj)
        if status.limit is None:
            return f"{status.used} this month (no organization limit; members' own limits apply)"
        return f"{status.used} of {status.limit} this month"

    def soft_delete_one(self, obj: Organization) -> None:
        services.organization_soft_delete(organization=obj)

    def restore_one(self, obj: Organization) -> None:
        services.organization_restore(organization=obj)

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and PLAN_FIELDS & set(form.changed_data):
            notify.organization_plan_changed(organization=obj, event=f"{obj.updated_at:%Y%m%d%H%M%S%f}")


# --- users ------------------------------------------------------------------------------------------


class EmailUniqueMixin:
    """Case-insensitive email uniqueness checked against every account, deleted ones too.

    ``ix_users_email_lower`` covers soft-deleted rows; Django's own constraint check looks through
    the default manager, which hides them, so the form checks here and names the field.
    """

    instance: User
    cleaned_data: dict[str, Any]

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data.get("email") or "").strip()
        clash = User.all_objects.alias(email_lower=Lower("email")).filter(email_lower=email.lower())
        if not self.instance._state.adding:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("A user with this email already exists.", code="unique")
        return email


class UserAdminCreationForm(EmailUniqueMixin, AdminUserCreationForm):
    # Not named ``organization``: the model field stays out of the form's model validation
    # until save() has found or created the organization.
    organization_choice = forms.ModelChoiceField(
        label="Organization",
        queryset=Organization.objects.all(),
        required=False,
        widget=AutocompleteSelect(User._meta.get_field("organization"), admin.site),
        help_text="Leave empty to create a personal organization with this user as its owner.",
    )

    class Meta:
        model = User
        fields = ("email", "full_name", "role")

    def save(self, commit: bool = True) -> User:
        user = self.instance
        organization = self.cleaned_data.get("organization_choice")
        if organization is None:
            name = user.full_name or user.email.split("@")[0]
            organization = Organization.objects.create(
                name=f"{name}'s organization", slug=unique_organization_slug(name)
            )
            user.role = Role.OWNER
        user.organization = organization
        return super().save(commit=commit)


class UserAdminChangeForm(EmailUniqueMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict[str, Any] = {}


@admin.register(User)
class UserAdmin(SoftDeleteAdminMixin, DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    list_display = (
        "email",
        "full_name",
        "organization",
        "role",
        "subscription_tier",
        "subscription_status",
        "is_staff",
        "is_deleted",
        "created_at",
    )
    list_filter = (
        "role",
        "subscription_tier",
        "subscription_status",
        "is_staff",
        "is_superuser",
        "is_active",
        "email_verified",
        IsDeletedFilter,
    )
    search_fields = ("email", "full_name", "organization__name")
    autocomplete_fields = ("organization",)
    list_select_related = ("organization",)
    ordering = ("email",)
    filter_horizontal = ("groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name", "email_verified")}),
        ("Organization", {"fields": ("organization", "role")}),
        ("Subscription", {"fields": ("subscription_tier", "subscription_status")}),
        (
            "AI queries",
            {
                "fields": ("ai_queries_used", "ai_queries_limit", "ai_queries_month"),
                "description": "An empty limit means unlimited AI queries (pro).",
            },
        ),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Record", {"fields": ("last_login", "is_deleted", "deleted_at", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "organization_choice",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*super().get_readonly_fields(request, obj), "last_login")

    def soft_delete_one(self, obj: User) -> None:
        services.account_delete_request(user=obj)

    def restore_one(self, obj: User) -> None:
        services.account_restore(user=obj)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and PLAN_FIELDS & set(form.changed_data):
            notify.user_plan_changed(user=obj, event=f"{obj.updated_at:%Y%m%d%H%M%S%f}")


# --- invitations (appended by the accounts helper) --------------------------------------------------


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-mostly: owners create and revoke invitations in the app (accounts.services)."""

    list_display = ("email", "organization", "role", "status_display", "expires_at", "created_at")
    list_filter = ("role",)
    search_fields = ("email", "organization__name")
    list_select_related = ("organization",)
    readonly_fields = (
        "organization",
        "email",
        "role",
        "invited_by",
        "expires_at",
        "used_at",
        "used_by",
        "revoked_at",
        "created_at",
        "updated_at",
    )

    @admin.display(description="Status")
    def status_display(self, obj: Invitation) -> str:
        return obj.status

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# --- upgrade requests ------------------------------------------------------------------------------


@admin.register(UpgradeRequest)
class UpgradeRequestAdmin(admin.ModelAdmin):
    """Lifters' requests for a paid plan. Approve or decline with the actions (audited; approving
    applies the plan). Rows are not edited by hand, so every decision goes through the service."""

    list_display = ("created_at", "user", "organization", "plan", "status", "decided_at", "decided_by")
    list_filter = ("status", "plan")
    list_select_related = ("user", "organization", "decided_by")
    ordering = ("status", "-created_at")
    readonly_fields = (
        "user",
        "organization",
        "plan",
        "note",
        "status",
        "decided_at",
        "decided_by",
        "created_at",
    )
    fields = readonly_fields
    actions = ("approve", "decline")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _decide(self, request: HttpRequest, queryset: QuerySet[UpgradeRequest], *, approve: bool) -> None:
        done = 0
        for upgrade_request in queryset:
            try:
                services.upgrade_request_decide(
                    upgrade_request=upgrade_request, staff=request.user, approve=approve
                )
            except ValidationError as error:
                self.message_user(
                    request, f"{upgrade_request}: {' '.join(error.messages)}", level=messages.WARNING
                )
            else:
                done += 1
        self.message_user(request, f"{'Approved' if approve else 'Declined'} {done} request(s).")

    @admin.action(description="Approve: apply the plan")
    def approve(self, request: HttpRequest, queryset: QuerySet[UpgradeRequest]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Decline")
    def decline(self, request: HttpRequest, queryset: QuerySet[UpgradeRequest]) -> None:
        self._decide(request, queryset, approve=False)


@admin.register(UserPreferences)
class UserPreferencesAdmin(admin.ModelAdmin):
    """A lifter's settings, read-only here: they change through ``user_preferences_update`` (the
    lifter's preferences page), so every change bumps the row's version (``updated_at``)."""

    list_display = ("user", "unit", "time_zone", "week_start", "counting", "updated_at")
    list_filter = ("unit", "counting")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
