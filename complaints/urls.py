from django.urls import path

from complaints.views import public_filing, public_follow, public_pages, public_tracking

app_name = "complaints"

urlpatterns = [
    path("", public_pages.home, name="home"),
    path("bantuan/", public_pages.help_page, name="help"),
    path("privasi/", public_pages.privacy_notice, name="privacy"),
    path("masukan/", public_pages.service_feedback, name="service_feedback"),
    path("masukan/terima-kasih/", public_pages.service_feedback_done, name="service_feedback_done"),
    # Filing, one question a page; the answers live in the session draft.
    path("lapor/", public_filing.file_start, name="file_start"),
    path("lapor/jenis/", public_filing.file_kind, name="file_kind"),
    path("lapor/instansi/", public_filing.file_agency, name="file_agency"),
    path("lapor/kategori/", public_filing.file_category, name="file_category"),
    path("lapor/cerita/", public_filing.file_story, name="file_story"),
    path("lapor/waktu-tempat/", public_filing.file_when, name="file_when"),
    path("lapor/laporan-serupa/", public_filing.file_similar, name="file_similar"),
    # A similar report is named by a key derived for this draft (views.public_filing.follow_ref).
    path("lapor/laporan-serupa/ikuti/<str:ref>/", public_filing.file_follow, name="file_follow"),
    path(
        "lapor/laporan-serupa/ikuti/<str:ref>/terkirim/",
        public_filing.file_followed,
        name="file_followed",
    ),
    path("lapor/lampiran/", public_filing.file_attachments, name="file_attachments"),
    path(
        "lapor/lampiran/hapus/", public_filing.file_attachment_remove, name="file_attachment_remove"
    ),
    path("lapor/kerahasiaan/", public_filing.file_privacy, name="file_privacy"),
    path("lapor/kontak/", public_filing.file_contact, name="file_contact"),
    path("lapor/periksa/", public_filing.file_check, name="file_check"),
    path("lapor/terkirim/", public_filing.file_receipt, name="file_receipt"),
    # Tracking: tracking number + access code, or the signed link from an email.
    path("lacak/", public_tracking.track, name="track"),
    path("lacak/t/<str:token>/", public_tracking.track_signed, name="track_signed"),
    # Following someone else's report: confirmation, the read-only page, stopping.
    path(
        "lacak/ikuti/konfirmasi/<str:signed>/", public_follow.follow_confirm, name="follow_confirm"
    ),
    path("lacak/ikuti/<str:token>/", public_follow.follow_page, name="follow_page"),
    path("lacak/ikuti/<str:token>/berhenti/", public_follow.follow_stop, name="follow_stop"),
    path(
        "lacak/ikuti/<str:token>/lampiran/<str:key>/",
        public_follow.follow_attachment,
        name="follow_attachment",
    ),
    # A signed-in reporter's own reports (beside the account pages under /akun/).
    path("akun/laporan-saya/", public_tracking.my_complaints, name="my_complaints"),
    path("lacak/<str:number>/", public_tracking.track_detail, name="track_detail"),
    path(
        "lacak/<str:number>/informasi/", public_tracking.track_supply_info, name="track_supply_info"
    ),
    path("lacak/<str:number>/tanggapi/", public_tracking.track_respond, name="track_respond"),
    path("lacak/<str:number>/nilai/", public_tracking.track_rate, name="track_rate"),
    path("lacak/<str:number>/kode-baru/", public_tracking.track_new_code, name="track_new_code"),
    path(
        "lacak/<str:number>/lampiran/<str:key>/",
        public_tracking.track_attachment,
        name="track_attachment",
    ),
]
