from django.urls import path

from complaints.intake import views

app_name = "intake"

urlpatterns = [
    path("email/", views.email_inbound, name="email"),
    path("chat/<str:channel>/", views.chat_inbound, name="chat"),
]
