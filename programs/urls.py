from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("templates/", views.template_list_view, name="template_list"),
]
