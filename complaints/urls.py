from django.urls import path

from complaints.views import public

app_name = "complaints"

urlpatterns = [
    path("lacak/t/<str:token>/", public.track_signed, name="track_signed"),
]
