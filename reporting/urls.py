from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.staff_dashboard, name="dashboard"),
    path("bulanan/", views.monthly_report, name="monthly_report"),
    path("ekspor/", views.export_start, name="export_start"),
    path("ekspor/<slug:key>/", views.export_status, name="export_status"),
    path("ekspor/<slug:key>/unduh/", views.export_download, name="export_download"),
]

# Mounted at /statistik/ (config/urls.py): the public statistics.
public_urlpatterns = [
    path("", views.public_statistics, name="public_statistics"),
    path("data/", views.open_data, name="open_data"),
    path("data/katalog.jsonld", views.open_data_catalog, name="open_data_catalog"),
    path(
        "data/unduh/<slug:dataset>.<slug:fmt>",
        views.open_data_download,
        name="open_data_download",
    ),
]
