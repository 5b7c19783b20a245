from django.urls import path

from complaints.views import follow, public

app_name = "complaints"

urlpatterns = [
    path("", public.home, name="home"),
    path("bantuan/", public.help_page, name="help"),
    path("privasi/", public.privacy_notice, name="privacy"),
    path("masukan/", public.service_feedback, name="service_feedback"),
    path("masukan/terima-kasih/", public.service_feedback_done, name="service_feedback_done"),
    # Filing, one question a page; the answers live in the session draft.
    path("lapor/", public.file_start, name="file_start"),
    path("lapor/jenis/", public.file_kind, name="file_kind"),
    path("lapor/instansi/", public.file_agency, name="file_agency"),
    path("lapor/kategori/", public.file_category, name="file_category"),
    path("lapor/cerita/", public.file_story, name="file_story"),
    path("lapor/waktu-tempat/", public.file_when, name="file_when"),
    path("lapor/laporan-serupa/", public.file_similar, name="file_similar"),
    # A similar report is named by a key derived for this draft (views.public.follow_ref).
    path("lapor/laporan-serupa/ikuti/<str:ref>/", public.file_follow, name="file_follow"),
    path(
        "lapor/laporan-serupa/ikuti/<str:ref>/terkirim/",
        public.file_followed,
        name="file_followed",
    ),
    path("lapor/lampiran/", public.file_attachments, name="file_attachments"),
    path("lapor/lampiran/hapus/", public.file_attachment_remove, name="file_attachment_remove"),
    path("lapor/kerahasiaan/", public.file_privacy, name="file_privacy"),
    path("lapor/kontak/", public.file_contact, name="file_contact"),
    path("lapor/periksa/", public.file_check, name="file_check"),
    path("lapor/terkirim/", public.file_receipt, name="file_receipt"),
    # Tracking: tracking number + access code, or the signed link from an email.
    path("lacak/", public.track, name="track"),
    path("lacak/t/<str:token>/", public.track_signed, name="track_signed"),
    # Following someone else's report: confirmation, the read-only page, stopping.
    path("lacak/ikuti/konfirmasi/<str:signed>/", follow.follow_confirm, name="follow_confirm"),
    path("lacak/ikuti/<str:token>/", follow.follow_page, name="follow_page"),
    path("lacak/ikuti/<str:token>/berhenti/", follow.follow_stop, name="follow_stop"),
    path(
        "lacak/ikuti/<str:token>/lampiran/<str:key>/",
        follow.follow_attachment,
        name="follow_attachment",
    ),
    # A signed-in reporter's own reports (beside the account pages under /akun/).
    path("akun/laporan-saya/", public.my_complaints, name="my_complaints"),
    path("lacak/<str:number>/", public.track_detail, name="track_detail"),
    path("lacak/<str:number>/informasi/", public.track_supply_info, name="track_supply_info"),
    path("lacak/<str:number>/tanggapi/", public.track_respond, name="track_respond"),
    path("lacak/<str:number>/nilai/", public.track_rate, name="track_rate"),
    path(
        "lacak/<str:number>/lampiran/<str:key>/",
        public.track_attachment,
        name="track_attachment",
    ),
]
