"""A third-party Open311 client (the `georeport` package from PyPI), unchanged, against the live
server: it reads services, definitions and requests in both formats. It has no call for filing,
so a request is filed with a plain HTTP client, as any Open311 app posts it."""

from __future__ import annotations

import pytest
import requests
from georeport import GeoReport

from complaints.models import Channel, Complaint
from complaints.services.intake import open311_client_create
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def service():
    agency = f.AgencyFactory(name="Pemerintah Kota Bandung", short_name="Pemkot Bandung")
    return f.CategoryFactory(agency=agency, name="Jalan rusak", description="Jalan berlubang")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_published_open311_client_works_unchanged(live_server, service, fmt):
    _client, key = open311_client_create(name="Aplikasi Warga")
    root = f"{live_server.url}/open311/v2"

    # Filing, the way Open311 apps post (form-encoded, api_key in the body).
    filed = requests.post(
        f"{root}/requests.json",
        data={
            "api_key": key,
            "service_code": str(service.pk),
            "lat": "-6.914744",
            "long": "107.609810",
            "description": "Jalan berlubang di depan sekolah, berbahaya bagi pengendara.",
            "attribute[kind]": "complaint",
        },
        timeout=30,
    )
    assert filed.status_code == 200, filed.text
    number = filed.json()[0]["service_request_id"]
    assert Complaint.objects.get(tracking_number=number).channel == Channel.OPEN311

    api = GeoReport(root, output_format=fmt)
    services = api.get_service_list()
    # xmltodict gives a dict for a list of one element.
    services = services if isinstance(services, list) else [services]
    assert [s["service_code"] for s in services] == [str(service.pk)]
    assert services[0]["service_name"] == "Jalan rusak"

    definition = api.get_service_definition(str(service.pk))
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes][:2] == ["kind", "title"]

    one = api.get_service_request(number)
    assert one["service_request_id"] == number
    assert one["status"] == "open"
    assert one["agency_responsible"] == "Pemerintah Kota Bandung"

    listed = api.get_service_requests(service_code=str(service.pk), status="open")
    listed = listed if isinstance(listed, list) else [listed]
    assert [r["service_request_id"] for r in listed] == [number]
    if fmt == "json":
        # (Its XML reader fails on any empty list, <service_requests/>, whatever the server.)
        assert api.get_service_requests(status="closed") == []


def test_the_client_sees_an_error_status_for_an_unknown_request(live_server, service):
    api = GeoReport(f"{live_server.url}/open311/v2")
    with pytest.raises(requests.HTTPError) as raised:
        api.get_service_request("ZZZZZZZZZZZZ")
    assert raised.value.response.status_code == 404
    assert raised.value.response.json()[0]["code"] == 404
