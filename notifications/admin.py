from django.contrib import admin

from notifications.models import Notification, NotificationPreference, ReminderSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "user", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("user__email", "title")
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "updated_at")
    list_select_related = ("user",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "channel", "enabled")
    list_filter = ("kind", "channel", "enabled")
    raw_id_fields = ("user",)
    list_select_related = ("user",)


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "remind_at", "time_zone", "weekdays")
    raw_id_fields = ("user",)
    list_select_related = ("user",)
