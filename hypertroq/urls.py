from django.contrib import admin
from django.urls import include, path

from hypertroq import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("exercises/", include("exercises.urls")),
    path("programs/", include("programs.urls")),
]
