from django.urls import path

from complaints.lapor import views

app_name = "lapor"

urlpatterns = [
    path("webhook/<slug:agency_slug>/", views.lapor_inbound, name="inbound"),
]
