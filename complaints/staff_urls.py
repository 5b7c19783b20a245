"""Staff workspace, mounted at /staf/ (namespace "staff")."""

from django.urls import path

from complaints.views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
    path("laporan/", staff.queue, name="queue"),
    path("laporan/ekspor.csv", staff.export, name="export"),
    path("laporan/massal/", staff.bulk, name="bulk"),
    path("laporan/baru/", staff.new_complaint, name="new"),
    path("laporan/<int:pk>/", staff.case, name="case"),
    path("laporan/<int:pk>/aksi/<slug:action>/", staff.case_action, name="action"),
    path(
        "laporan/<int:pk>/eskalasi/<int:escalation_pk>/terima/",
        staff.escalation_ack,
        name="escalation_ack",
    ),
    path("lampiran/<int:pk>/", staff.attachment_download, name="attachment"),
    path("tampilan/", staff.saved_filter_create, name="saved_filter_create"),
    path("tampilan/<int:pk>/hapus/", staff.saved_filter_remove, name="saved_filter_delete"),
    path("pintasan/", staff.shortcuts, name="shortcuts"),
]
