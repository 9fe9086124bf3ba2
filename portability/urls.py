from django.urls import path

from portability import views

app_name = "portability"

urlpatterns = [
    path("", views.exports, name="exports"),
    path("<uuid:export_id>/download/", views.download, name="download"),
]
