"""Exercise library pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from exercises.selectors import exercise_visible_queryset

PAGE_SIZE = 30


@require_GET
def exercise_list(request: HttpRequest) -> HttpResponse:
    exercises = exercise_visible_queryset(user=request.user).order_by("name")
    page = Paginator(exercises, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exercises/exercise_list.html", {"page": page})
