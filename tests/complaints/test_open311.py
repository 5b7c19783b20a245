"""Open311 GeoReport v2: every call's XML and JSON against the specification's examples, the
api_key, the request filters, and what must never show (rahasia complaints, identities)."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone

from complaints.access import access_code_matches
from complaints.models import Channel, Complaint, Open311Client, Open311Request, Status
from complaints.services.intake import open311_client_create
from tests import factories as f

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"

# The specification's examples (wiki.open311.org/GeoReport_v2), reduced to their shape: the
# root element, then each item's fields in the order the specification writes them.
SPEC_DISCOVERY = """<?xml version="1.0" encoding="utf-8"?>
<discovery>
  <changeset>2011-04-05T17:48:34Z</changeset>
  <contact>You can email or call for assistance api@mycity.gov +1 (555) 555-5555</contact>
  <key_service>You can request a key here: http://api.mycity.gov/api_key/request</key_service>
  <endpoints>
    <endpoint>
      <specification>http://wiki.open311.org/GeoReport_v2</specification>
      <url>https://open311.mycity.gov/v2</url>
      <changeset>2010-11-23T09:01:00Z</changeset>
      <type>production</type>
      <formats>
        <format>text/xml</format>
        <format>application/json</format>
      </formats>
    </endpoint>
  </endpoints>
</discovery>"""

SPEC_SERVICES = """<?xml version="1.0" encoding="utf-8"?>
<services>
  <service>
    <service_code>001</service_code>
    <service_name>Cans left out 24x7</service_name>
    <description>Garbage or recycling cans that have been left out.</description>
    <metadata>true</metadata>
    <type>realtime</type>
    <keywords>lorem, ipsum, dolor</keywords>
    <group>sanitation</group>
  </service>
</services>"""

SPEC_SERVICES_JSON = [
    {
        "service_code": "001",
        "service_name": "Cans left out 24x7",
        "description": "Garbage or recycling cans that have been left out.",
        "metadata": True,
        "type": "realtime",
        "keywords": "lorem, ipsum, dolor",
        "group": "sanitation",
    }
]

SPEC_DEFINITION = """<?xml version="1.0" encoding="utf-8"?>
<service_definition>
  <service_code>DMV66</service_code>
  <attributes>
    <attribute>
      <variable>true</variable>
      <code>WHISHETN</code>
      <datatype>singlevaluelist</datatype>
      <required>true</required>
      <datatype_description></datatype_description>
      <order>1</order>
      <description>What is the ticket/tag/DL number?</description>
      <values>
        <value>
          <key>123</key>
          <name>Ford</name>
        </value>
      </values>
    </attribute>
  </attributes>
</service_definition>"""

SPEC_DEFINITION_JSON = {
    "service_code": "DMV66",
    "attributes": [
        {
            "variable": True,
            "code": "WHISHETN",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": None,
            "order": 1,
            "description": "What is the ticket/tag/DL number?",
            "values": [{"key": "123", "name": "Ford"}],
        }
    ],
}

SPEC_CREATED = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
  <request>
    <service_request_id>293944</service_request_id>
    <service_notice>The City will inspect and correct.</service_notice>
    <account_id/>
  </request>
</service_requests>"""

SPEC_TOKEN = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
  <request>
    <service_request_id>638344</service_request_id>
    <token>12345</token>
  </request>
</service_requests>"""

SPEC_REQUESTS = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
  <request>
    <service_request_id>638344</service_request_id>
    <status>closed</status>
    <status_notes>Duplicate request.</status_notes>
    <service_name>Sidewalk and Curb Issues</service_name>
    <service_code>006</service_code>
    <description></description>
    <agency_responsible></agency_responsible>
    <service_notice></service_notice>
    <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
    <updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
    <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>
    <address>8TH AVE and JUDAH ST</address>
    <address_id>545483</address_id>
    <zipcode>94122</zipcode>
    <lat>37.762221815</lat>
    <long>-122.4651145</long>
    <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg</media_url>
  </request>
</service_requests>"""

SPEC_ERRORS = """<?xml version="1.0" encoding="utf-8"?>
<errors>
  <error>
    <code>403</code>
    <description>Invalid api_key received -- can't proceed with create_request.</description>
  </error>
</errors>"""


def xml_of(data: bytes) -> ET.Element:
    # Our own server's answers and the examples above, nothing from outside.
    return ET.fromstring(data)  # noqa: S314


def shape(element: ET.Element) -> tuple:
    """An element's tag and its children's shapes, in order; repeated items count once."""
    children = []
    for child in element:
        s = shape(child)
        if not children or children[-1] != s:
            children.append(s)
    return (element.tag, tuple(children))


def same_xml_shape(ours: bytes, spec: str) -> None:
    ours_root = xml_of(ours)
    spec_root = xml_of(spec.encode())
    assert ours_root.tag == spec_root.tag
    ours_items = [shape(item) for item in ours_root]
    assert ours_items, "nothing to compare"
    if spec_root.tag in ("discovery", "service_definition"):
        assert shape(ours_root) == shape(spec_root)
    else:
        assert all(item == shape(spec_root[0]) for item in ours_items)


def json_types(value):
    if isinstance(value, dict):
        return {k: json_types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_types(value[0])] if value else []
    return type(value).__name__


@pytest.fixture
def service():
    agency = f.AgencyFactory(name="Badan Pengawas Obat dan Makanan", short_name="BPOM")
    return f.CategoryFactory(agency=agency, name="Obat", description="Obat dan farmasi")


@pytest.fixture
def api_key(db) -> str:
    _client, key = open311_client_create(name="Aplikasi Kota")
    return key


def post_request(client, key, service, fmt="xml", **extra):
    data = {
        "api_key": key,
        "service_code": str(service.pk),
        "lat": "-6.200000",
        "long": "106.816666",
        "address_string": "Jl. Merdeka 1, Jakarta",
        "email": "warga@example.com",
        "first_name": "Siti",
        "last_name": "Aminah",
        "description": "Obat kedaluwarsa dijual di apotek.\nDi rak depan.",
        **extra,
    }
    return client.post(f"{BASE}/requests.{fmt}", data)


# --- discovery, services, definitions -------------------------------------------------------


def test_discovery_in_both_formats_matches_the_specification(client):
    xml = client.get(f"{BASE}/discovery.xml")
    assert xml.status_code == 200
    assert xml["Content-Type"] == "text/xml; charset=utf-8"
    assert xml.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    same_xml_shape(xml.content, SPEC_DISCOVERY)
    endpoint = xml_of(xml.content).find("endpoints/endpoint")
    assert endpoint.findtext("url").endswith("/open311/v2")
    assert [e.text for e in endpoint.find("formats")] == ["text/xml", "application/json"]

    data = client.get(f"{BASE}/discovery.json").json()
    assert list(data) == ["changeset", "contact", "key_service", "endpoints"]
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"


def test_services_are_the_active_categories(client, service):
    f.CategoryFactory(agency=service.agency, is_active=False)
    xml = client.get(f"{BASE}/services.xml")
    same_xml_shape(xml.content, SPEC_SERVICES)
    root = xml_of(xml.content)
    assert [s.findtext("service_code") for s in root] == [str(service.pk)]
    assert root[0].findtext("service_name") == "Obat"
    assert root[0].findtext("group") == "Badan Pengawas Obat dan Makanan"
    assert root[0].findtext("metadata") == "true"

    data = client.get(f"{BASE}/services.json").json()
    assert json_types(data) == json_types(SPEC_SERVICES_JSON)
    assert list(data[0]) == list(SPEC_SERVICES_JSON[0])


def test_a_service_definition_lists_the_attributes(client, service):
    xml = client.get(f"{BASE}/services/{service.pk}.xml")
    assert xml.status_code == 200
    root = xml_of(xml.content)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == str(service.pk)
    spec_attr = xml_of(SPEC_DEFINITION.encode()).find("attributes/attribute")
    for attr in root.find("attributes"):
        # Every attribute has the specification's fields in its order; lists also have values.
        tags = [c.tag for c in attr]
        expected = [c.tag for c in spec_attr]
        assert tags == (
            expected if attr.findtext("datatype") == "singlevaluelist" else expected[:-1]
        )
    codes = [a.findtext("code") for a in root.find("attributes")]
    assert codes == ["kind", "title", "incident_date", "anonymous", "confidential"]

    data = client.get(f"{BASE}/services/{service.pk}.json").json()
    kind = data["attributes"][0]
    assert json_types(kind) == json_types(SPEC_DEFINITION_JSON["attributes"][0])
    assert [v["key"] for v in kind["values"]] == ["complaint", "information_request", "suggestion"]


def test_an_unknown_service_is_a_404_in_the_error_format(client):
    xml = client.get(f"{BASE}/services/999999.xml")
    assert xml.status_code == 404
    root = xml_of(xml.content)
    assert shape(root) == shape(xml_of(SPEC_ERRORS.encode()))
    assert root.findtext("error/code") == "404"
    data = client.get(f"{BASE}/services/999999.json")
    assert data.status_code == 404
    assert data.json() == [{"code": 404, "description": data.json()[0]["description"]}]


# --- filing ---------------------------------------------------------------------------------


def test_filing_makes_an_ordinary_open311_complaint(client, service, api_key):
    response = post_request(client, api_key, service, **{"attribute[kind]": "complaint"})
    assert response.status_code == 200
    same_xml_shape_created(response.content)
    root = xml_of(response.content)
    number = root.findtext("request/service_request_id")
    c = Complaint.objects.get(tracking_number=number)
    assert c.channel == Channel.OPEN311
    assert c.status == Status.SUBMITTED
    assert c.agency == service.agency
    assert c.category == service
    assert c.title == "Obat kedaluwarsa dijual di apotek."
    assert c.reporter_name == "Siti Aminah"
    assert c.reporter_email == "warga@example.com"
    assert str(c.latitude) == "-6.200000"
    assert c.location_text == "Jl. Merdeka 1, Jakarta"
    assert c.events.get().data["channel"] == "open311"
    request = Open311Request.objects.get(complaint=c)
    assert request.client.name == "Aplikasi Kota"
    assert root.findtext("request/token") == request.token
    # The notice carries the access code, the one time it is shown.
    notice = root.findtext("request/service_notice")
    assert c.display_tracking_number in notice
    code = re.search(r"kode akses ([A-Z0-9]{4}-[A-Z0-9]{4})", notice).group(1)
    assert access_code_matches(c, code)


def same_xml_shape_created(content: bytes) -> None:
    ours = xml_of(content)
    spec = xml_of(SPEC_CREATED.encode())
    assert ours.tag == spec.tag
    tags = [c.tag for c in ours[0]]
    # service_request_id, then our token (the specification's alternative id), then the rest.
    assert tags == ["service_request_id", "token", "service_notice", "account_id"]
    assert ours[0].find("account_id").text is None


def test_filing_in_json(client, service, api_key):
    response = post_request(client, api_key, service, fmt="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert list(body[0]) == ["service_request_id", "token", "service_notice", "account_id"]
    assert body[0]["account_id"] is None
    assert Complaint.objects.filter(tracking_number=body[0]["service_request_id"]).exists()


@pytest.mark.parametrize(
    ("key", "status"),
    [("", 403), ("not-a-key-at-all", 403), ("short", 403)],
)
def test_filing_without_a_valid_key_is_refused_and_stores_nothing(client, service, key, status):
    response = post_request(client, key, service)
    assert response.status_code == status
    root = xml_of(response.content)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "403"
    assert not Complaint.objects.exists()


def test_a_revoked_key_no_longer_files(client, service, api_key):
    out = StringIO()
    call_command("open311_key", "revoke", api_key[:8], stdout=out)
    assert post_request(client, api_key, service).status_code == 403
    assert not Complaint.objects.exists()


def test_a_key_with_a_right_prefix_but_wrong_rest_is_refused(client, service, api_key):
    forged = api_key[:8] + "x" * (len(api_key) - 8)
    assert post_request(client, forged, service).status_code == 403


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"service_code": ""}, 400),
        ({"service_code": "424242"}, 404),
        ({"lat": "", "long": "", "address_string": ""}, 400),
        ({"lat": "north", "long": "106"}, 400),
        ({"lat": "91", "long": "106"}, 400),
        ({"lat": "-6.2", "long": ""}, 400),
        ({"description": "  "}, 400),
        ({"email": "not an email"}, 400),
        ({"attribute[kind]": "complaint'; drop"}, 400),
        ({"attribute[anonymous]": "maybe"}, 400),
        ({"attribute[incident_date]": "kemarin"}, 400),
    ],
)
def test_bad_requests_are_refused_in_the_error_format(client, service, api_key, change, status):
    for fmt in ("xml", "json"):
        response = post_request(client, api_key, service, fmt=fmt, **change)
        assert response.status_code == status
        if fmt == "json":
            (err,) = response.json()
            assert err["code"] == status
            assert err["description"]
        else:
            assert xml_of(response.content).findtext("error/code") == str(status)
    assert not Complaint.objects.exists()


def test_the_flags_come_from_the_attributes(client, service, api_key):
    response = post_request(
        client,
        api_key,
        service,
        fmt="json",
        **{"attribute[anonymous]": "yes", "attribute[confidential]": "yes"},
    )
    c = Complaint.objects.get(tracking_number=response.json()[0]["service_request_id"])
    assert c.is_anonymous
    assert c.is_confidential


# --- reading requests -----------------------------------------------------------------------


def filed(client, key, service, **extra) -> Complaint:
    number = post_request(client, key, service, fmt="json", **extra).json()[0]["service_request_id"]
    return Complaint.objects.get(tracking_number=number)


def test_a_request_by_id_matches_the_specification(client, service, api_key):
    c = filed(client, api_key, service)
    xml = client.get(f"{BASE}/requests/{c.tracking_number}.xml")
    assert xml.status_code == 200
    same_xml_shape(xml.content, SPEC_REQUESTS)
    item = xml_of(xml.content)[0]
    assert item.findtext("status") == "open"
    assert item.findtext("service_code") == str(service.pk)
    assert item.findtext("agency_responsible") == service.agency.name
    assert item.findtext("lat") == "-6.2"
    assert item.findtext("requested_datetime").endswith("+07:00")

    (data,) = client.get(f"{BASE}/requests/{c.tracking_number}.json").json()
    assert list(data) == [e.tag for e in xml_of(SPEC_REQUESTS.encode())[0]]
    assert data["lat"] == -6.2
    assert data["long"] == 106.816666
    assert data["media_url"] is None
    assert data["zipcode"] is None
    # The display form with hyphens finds it too.
    assert client.get(f"{BASE}/requests/{c.display_tracking_number}.json").status_code == 200


def test_identity_and_the_account_never_show(client, service, api_key):
    c = filed(client, api_key, service, **{"attribute[anonymous]": "yes"})
    for fmt in ("xml", "json"):
        body = client.get(f"{BASE}/requests/{c.tracking_number}.{fmt}").content.decode()
        assert "Siti" not in body
        assert "warga@example.com" not in body
        assert "Di rak depan" not in body


def test_rahasia_requests_are_never_shown(client, service, api_key):
    c = filed(client, api_key, service, **{"attribute[confidential]": "yes"})
    token = Open311Request.objects.get(complaint=c).token
    assert client.get(f"{BASE}/requests/{c.tracking_number}.xml").status_code == 404
    assert client.get(f"{BASE}/tokens/{token}.json").status_code == 404
    listing = client.get(f"{BASE}/requests.json", {"service_request_id": c.tracking_number})
    assert listing.json() == []
    assert client.get(f"{BASE}/requests.json").json() == []


def test_a_token_finds_its_request(client, service, api_key):
    c = filed(client, api_key, service)
    token = Open311Request.objects.get(complaint=c).token
    xml = client.get(f"{BASE}/tokens/{token}.xml")
    same_xml_shape(xml.content, SPEC_TOKEN)
    assert xml_of(xml.content).findtext("request/service_request_id") == c.tracking_number
    assert client.get(f"{BASE}/tokens/{token}.json").json() == [
        {"service_request_id": c.tracking_number, "token": token}
    ]
    missing = client.get(f"{BASE}/tokens/nope.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404


def test_the_request_list_filters(client, api_key):
    agency = f.AgencyFactory()
    a, b = f.CategoryFactory(agency=agency), f.CategoryFactory(agency=agency)
    first = filed(client, api_key, a)
    second = filed(client, api_key, b)
    Complaint.objects.filter(pk=second.pk).update(status=Status.CLOSED)
    old = filed(client, api_key, a)
    Complaint.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(days=200))

    def ids(**params) -> list[str]:
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    # Default: the last 90 days, newest first.
    assert ids() == [second.tracking_number, first.tracking_number]
    assert ids(service_code=str(a.pk)) == [first.tracking_number]
    assert ids(service_code=f"{a.pk},{b.pk}") == [second.tracking_number, first.tracking_number]
    assert ids(status="open") == [first.tracking_number]
    assert ids(status="closed") == [second.tracking_number]
    assert ids(status="open,closed") == [second.tracking_number, first.tracking_number]
    # service_request_id overrides every other filter, old requests included.
    assert ids(
        service_request_id=f"{old.tracking_number},{first.tracking_number}", status="closed"
    ) == [
        first.tracking_number,
        old.tracking_number,
    ]
    start = (timezone.now() - dt.timedelta(days=250)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - dt.timedelta(days=180)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(start_date=start, end_date=end) == [old.tracking_number]
    assert ids(start_date=start) == [old.tracking_number]
    # XML: every request in the specification's shape.
    same_xml_shape(client.get(f"{BASE}/requests.xml").content, SPEC_REQUESTS)


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"start_date": "2026-01-01"},
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
    ],
)
def test_bad_list_filters_are_a_400(client, params):
    response = client.get(f"{BASE}/requests.xml", params)
    assert response.status_code == 400
    assert xml_of(response.content).findtext("error/code") == "400"


@pytest.mark.parametrize("path", ["discovery", "services", "requests/ABCD", "tokens/abc"])
def test_other_methods_are_refused_in_the_error_format(client, path):
    response = client.post(f"{BASE}/{path}.json")
    assert response.status_code == 405
    assert response.json()[0]["code"] == 405


def test_unknown_request_is_a_404(client):
    response = client.get(f"{BASE}/requests/ZZZZZZZZZZZZ.xml")
    assert response.status_code == 404
    assert xml_of(response.content).findtext("error/code") == "404"


@pytest.mark.parametrize("rows", [1, 6])
def test_the_request_list_is_one_query(client, django_assert_num_queries, api_key, rows):
    service = f.CategoryFactory()
    for _ in range(rows):
        filed(client, api_key, service)
    # 1: the complaints with their category and agency.
    with django_assert_num_queries(1):
        response = client.get(f"{BASE}/requests.json")
    assert len(response.json()) == rows


@pytest.mark.parametrize("rows", [1, 6])
def test_the_service_list_is_one_query(client, django_assert_num_queries, rows):
    agency = f.AgencyFactory()
    for _ in range(rows):
        f.CategoryFactory(agency=agency)
    # 1: the categories with their agency.
    with django_assert_num_queries(1):
        response = client.get(f"{BASE}/services.json")
    assert len(response.json()) == rows


# --- keys -----------------------------------------------------------------------------------


def test_the_command_prints_a_working_key_once(client, service):
    out = StringIO()
    call_command("open311_key", "create", "Aplikasi", "Kota", stdout=out)
    key = next(
        line.split(": ", 1)[1] for line in out.getvalue().splitlines() if line.startswith("api_key")
    )
    c = Open311Client.objects.get()
    assert c.name == "Aplikasi Kota"
    assert key not in c.key_hash
    assert c.key_hash != key
    assert post_request(client, key, service).status_code == 200
    listing = StringIO()
    call_command("open311_key", "list", stdout=listing)
    assert key[:8] in listing.getvalue()
    assert key not in listing.getvalue()


def test_the_admin_makes_a_key_and_shows_it_once(client, service):
    admin = f.UserFactory(is_staff=True, is_superuser=True, is_national_admin=True)
    client.force_login(admin)
    response = client.post(
        "/admin/complaints/open311client/add/", {"name": "Aplikasi Admin"}, follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    (message,) = [m for m in messages if "api_key" in m]
    key = message.rsplit(" ", 1)[1]
    client.logout()
    assert post_request(client, key, service).status_code == 200
    # The change page never shows it again.
    c = Open311Client.objects.get(name="Aplikasi Admin")
    client.force_login(admin)
    page = client.get(f"/admin/complaints/open311client/{c.pk}/change/")
    assert key not in page.content.decode()
    assert json.dumps(key) not in page.content.decode()
