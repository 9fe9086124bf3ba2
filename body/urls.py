from django.urls import path

from body import views

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
