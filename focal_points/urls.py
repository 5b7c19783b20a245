from django.urls import path

from focal_points import views

app_name = "focal"

urlpatterns = [
    path("", views.board, name="board"),
    path("laporan/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("pengingat/", views.nudge, name="nudge"),
    path("eskalasi/", views.escalation_list, name="escalation_list"),
    path("eskalasi/<int:pk>/terima/", views.escalation_ack, name="escalation_ack"),
    path("kinerja/", views.scorecard_page, name="scorecard"),
    path("statistik/", views.statistics_page, name="statistics"),
    path("statistik/ekspor/", views.statistics_export, name="statistics_export"),
    path("kinerja.csv", views.scorecard_csv, name="scorecard_csv"),
    path("tindakan-korektif/", views.corrective_action_list, name="corrective_action_list"),
    path("tindakan-korektif/baru/", views.corrective_action_new, name="corrective_action_new"),
    path(
        "tindakan-korektif/<int:pk>/",
        views.corrective_action_detail,
        name="corrective_action_detail",
    ),
    path(
        "tindakan-korektif/<int:pk>/kemajuan/",
        views.corrective_action_progress,
        name="corrective_action_progress",
    ),
    path(
        "tindakan-korektif/<int:pk>/tutup/",
        views.corrective_action_close,
        name="corrective_action_close",
    ),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("direktori/", views.directory, name="directory"),
    path("direktori/tambah/", views.directory_add, name="directory_add"),
    path("direktori/<int:pk>/ubah/", views.directory_edit, name="directory_edit"),
]
