"""The portal's URLs plus a trivial view on the full middleware stack: what the stack alone
costs, beside the staff pages and the bare view (bench/bare_urls.py)."""

from django.urls import path

from bench.bare_urls import trivial
from config.urls import urlpatterns as portal

urlpatterns = [path("bench/trivial/", trivial), *portal]
