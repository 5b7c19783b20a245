from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from complaints.views.health import health

# Media (attachments) is deliberately not served by any URL pattern: files are
# only reachable through the authorised download view in complaints/.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("health/", health, name="health"),
    path("akun/", include("accounts.urls")),
    path("staf/", include("complaints.staff_urls")),
    path("focal/", include("focal_points.urls")),
    path("laporan-statistik/", include("reporting.urls")),
    # Public pages last: they own the root and its catch-all slugs.
    path("", include("complaints.urls")),
]

handler404 = "complaints.views.public_pages.page_not_found"
handler500 = "complaints.views.public_pages.server_error"
