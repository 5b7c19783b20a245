from django.urls import path

from accounts import token_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.account_home, name="home"),
    path("masuk/", views.sign_in, name="login"),
    path("keluar/", views.sign_out, name="logout"),
    path("token-api/", token_views.api_tokens, name="api_tokens"),
    path("token-api/<int:pk>/cabut/", token_views.api_token_revoke_view, name="api_token_revoke"),
    path("daftar/", views.sign_up, name="signup"),
    path("daftar/periksa-email/", views.sign_up_done, name="signup_done"),
    path("daftar/kirim-ulang/", views.resend_verification, name="resend"),
    path("verifikasi/<str:token>/", views.verify, name="verify"),
    path("lupa-sandi/", views.password_reset, name="password_reset"),
    path("lupa-sandi/periksa-email/", views.password_reset_sent, name="password_reset_sent"),
    path(
        "sandi-baru/<str:uid>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
]
