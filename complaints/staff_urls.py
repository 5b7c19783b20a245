"""Staff workspace, mounted at /staf/ (namespace "staff")."""

from django.urls import path

from complaints.views import (
    staff_bulk,
    staff_case,
    staff_home,
    staff_queue,
    staff_walk_in,
    staff_webhooks,
)

app_name = "staff"

urlpatterns = [
    path("", staff_home.home, name="home"),
    path("laporan/", staff_queue.queue, name="queue"),
    path("laporan/ekspor.csv", staff_queue.export, name="export"),
    path("laporan/massal/", staff_bulk.bulk, name="bulk"),
    path("laporan/baru/", staff_walk_in.new_complaint, name="new"),
    path("laporan/<int:pk>/", staff_case.case, name="case"),
    path(
        "laporan/<int:pk>/berikutnya/",
        staff_case.case_step,
        {"step": "next"},
        name="case_next",
    ),
    path(
        "laporan/<int:pk>/sebelumnya/",
        staff_case.case_step,
        {"step": "previous"},
        name="case_previous",
    ),
    path("laporan/<int:pk>/aksi/<slug:action>/", staff_case.case_action, name="action"),
    path(
        "laporan/<int:pk>/eskalasi/<int:escalation_pk>/terima/",
        staff_case.escalation_ack,
        name="escalation_ack",
    ),
    path("lampiran/<int:pk>/", staff_case.attachment_download, name="attachment"),
    path("tampilan/", staff_queue.saved_filter_create, name="saved_filter_create"),
    path("tampilan/<int:pk>/hapus/", staff_queue.saved_filter_remove, name="saved_filter_delete"),
    path("pintasan/", staff_home.shortcuts, name="shortcuts"),
    path("webhook/", staff_webhooks.webhooks, name="webhooks"),
    path("webhook/<int:pk>/", staff_webhooks.webhook, name="webhook"),
    path("webhook/<int:pk>/hapus/", staff_webhooks.webhook_delete, name="webhook_delete"),
    path("webhook/<int:pk>/<slug:action>/", staff_webhooks.webhook_action, name="webhook_action"),
]
