"""Program pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from programs.selectors import program_with_structure, template_list


@require_GET
def template_list_view(request: HttpRequest) -> HttpResponse:
    templates = program_with_structure(template_list())
    return render(request, "programs/template_list.html", {"templates": templates})
