from django.urls import path  # noqa: F401  (routes are appended as views land)

app_name = "training"

urlpatterns: list = []
