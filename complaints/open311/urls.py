from django.urls import path, re_path

from complaints.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>xml|json)$"

urlpatterns = [
    path("v2/", views.discovery, {"fmt": "xml"}, name="root"),
    re_path(r"^v2/discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.service_list, name="services"),
    re_path(
        r"^v2/services/(?P<service_code>[^/.]+)" + FMT, views.service_definition, name="service"
    ),
    re_path(r"^v2/requests" + FMT, views.requests, name="requests"),
    re_path(
        r"^v2/requests/(?P<service_request_id>[^/.]+)" + FMT, views.request_detail, name="request"
    ),
    re_path(r"^v2/tokens/(?P<token>[^/.]+)" + FMT, views.token_detail, name="token"),
]
