from django.urls import path

from preferences import views

app_name = "preferences"

urlpatterns = [
    path("", views.page, name="page"),
]
