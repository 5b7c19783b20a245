"""The portal's URLs plus a bare DRF view on the same stack (token authentication, throttles,
JSON renderer, problem+json handler) that touches no complaint: the ceiling the API's list and
read are measured against."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as portal

ROWS = [
    {"tracking_number": f"BENCH{i:07d}", "title": "Bare row", "status": "submitted"}
    for i in range(25)
]


class Bare(APIView):
    def get(self, request):
        return Response({"next": None, "results": ROWS})


urlpatterns = [path("bench/bare/", Bare.as_view()), *portal]
