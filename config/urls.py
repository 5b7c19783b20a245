from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from common.api import not_found as api_not_found
from common.carry import switch_language
from complaints.views.health import health
from reporting.urls import public_urlpatterns as public_statistics_urls

# Media (attachments) is deliberately not served by any URL pattern: files are
# only reachable through the authorised download view in complaints/.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/keep/", switch_language, name="switch_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/", include("complaints.api.urls")),
    path("api/v1/", include("focal_points.api")),
    re_path(r"^api/(?P<rest>[\s\S]*)$", api_not_found),
    path("health/", health, name="health"),
    path("akun/", include("accounts.urls")),
    path("staf/", include("complaints.staff_urls")),
    path("focal/", include("focal_points.urls")),
    path("open311/", include("complaints.open311.urls")),
    path("intake/", include("complaints.intake.urls")),
    path("lapor/", include("complaints.lapor.urls")),
    path("laporan-statistik/", include("reporting.urls")),
    path("statistik/", include((public_statistics_urls, "statistics"))),
    # Public pages last: they own the root and its catch-all slugs.
    path("", include("complaints.urls")),
]

handler404 = "complaints.views.public_pages.page_not_found"
handler500 = "complaints.views.public_pages.server_error"
