from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.sign_in, name="login"),
    path("keluar/", views.sign_out, name="logout"),
    path("daftar/", views.sign_up, name="signup"),
    path("daftar/periksa-email/", views.sign_up_done, name="signup_done"),
    path("daftar/kirim-ulang/", views.resend_verification, name="resend"),
    path("verifikasi/<str:token>/", views.verify, name="verify"),
    path("laporan-saya/", views.my_complaints, name="my_complaints"),
]
