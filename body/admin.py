from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from body.models import BodySharing, Measurement, MeasurementCategory, ProgressPhoto


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "category", "measured_on", "value", "is_deleted")
    list_filter = ("kind", "is_deleted")
    search_fields = ("user__email",)
    raw_id_fields = ("user", "category")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Measurement]:
        return Measurement.all_objects.select_related("user", "category")


@admin.register(MeasurementCategory)
class MeasurementCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "dimension", "is_deleted")
    search_fields = ("name", "user__email")
    raw_id_fields = ("user",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[MeasurementCategory]:
        return MeasurementCategory.all_objects.select_related("user")


@admin.register(ProgressPhoto)
class ProgressPhotoAdmin(admin.ModelAdmin):
    """Staff see that a photo exists, never the photo: there is no link to its file here."""

    list_display = ("user", "taken_on", "pose", "width", "height", "size_bytes")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
    readonly_fields = ("image", "thumbnail", "width", "height", "size_bytes")


@admin.register(BodySharing)
class BodySharingAdmin(admin.ModelAdmin):
    list_display = ("user", "photos_with_coach")
    raw_id_fields = ("user",)
