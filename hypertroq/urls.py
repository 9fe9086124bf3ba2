from django.contrib import admin
from django.urls import include, path

from hypertroq import ops_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics_view, name="metrics"),
    path("admin/metrics/", ops_views.admin_metrics, name="ops_admin_metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("exercises/", include("exercises.urls")),
    path("programs/", include("programs.urls")),
    path("programs/", include("coach.urls")),
    path("training/", include("training.urls")),
    path("body/", include("body.urls")),
    path("notifications/", include("notifications.urls")),
    path("preferences/", include("preferences.urls")),
    path("data/", include("portability.urls")),
]

handler500 = "hypertroq.views.server_error"
