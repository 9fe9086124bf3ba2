from django.urls import path

from body import photo_views, views

app_name = "body"

MEASUREMENT = "measurements/<uuid:measurement_id>/"
CATEGORY = "measurements/own/<uuid:category_id>/"

urlpatterns: list = [
    path("", views.overview, name="overview"),
    path("measurements/own/", views.categories, name="categories"),
    path(CATEGORY, views.series_category, name="series_category"),
    path(CATEGORY + "delete/", views.category_delete, name="category_delete"),
    path(MEASUREMENT + "delete/", views.measurement_delete, name="measurement_delete"),
    path(MEASUREMENT + "restore/", views.measurement_restore, name="measurement_restore"),
    path("measurements/<slug:kind>/", views.series_kind, name="series"),
]

PHOTO = "photos/<uuid:photo_id>/"

urlpatterns += [
    path("photos/", photo_views.photos, name="photos"),
    path("photos/compare/", photo_views.photo_compare, name="photo_compare"),
    path("photos/sharing/", photo_views.sharing, name="photo_sharing"),
    path(PHOTO + "image.jpg", photo_views.photo_image, name="photo_image"),
    path(PHOTO + "thumbnail.jpg", photo_views.photo_thumbnail, name="photo_thumbnail"),
    path(PHOTO + "delete/", photo_views.photo_delete, name="photo_delete"),
    path("members/<uuid:member_id>/photos/", photo_views.member_photos, name="member_photos"),
]
