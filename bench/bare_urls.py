"""A bare Django view: the ceiling the staff pages' throughput is measured against
(bench/bench_staff.py, served with bench/bare_settings.py: no middleware)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial)]
