"""Open data: no rahasia, no personal data or free text, small counts suppressed, the data
dictionary and licence, the DCAT catalogue; query counts at 1 and N."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from reporting.facts import facts_refresh_due
from tests import factories as f
from tests.reporting import opendata_peers
from tests.reporting.helpers import Actor
from tests.sqlite_harness import run_on_sqlite

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db):
    actor = Actor()
    a = f.AgencyFactory(name="Badan Obat", responses_need_approval=False)
    b = f.AgencyFactory(name="Dinas Kecil", responses_need_approval=False)
    cat = f.CategoryFactory(agency=a, name="Obat")
    for _ in range(5):
        c = f.complaint(a, title="Budi Santoso di Jalan Melati", reporter_name="Budi Santoso")
        actor.verify(c, None, category=cat)
    for _ in range(3):
        f.complaint(a, is_confidential=True, title="RAHASIA")
    for _ in range(2):
        f.complaint(b)
    facts_refresh_due()
    return a, b


def _csv(client, name: str) -> list[list[str]]:
    response = client.get(reverse("statistics:open_data_download", args=[name, "csv"]))
    assert response["X-License"].startswith("https://creativecommons.org/")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_aggregates_leave_rahasia_out_and_suppress_small_counts(client, published):
    rows = _csv(client, "agregat")
    assert rows[0] == ["month", "agency", "kind", "status", "complaints", "suppressed"]
    by_agency = {(r[1], r[3]): r for r in rows[1:]}
    # 5 verified at Badan Obat (the 3 rahasia are not there: they would make 3 submitted)
    assert by_agency[("Badan Obat", "verified")][4:] == ["5", "0"]
    assert ("Badan Obat", "submitted") not in by_agency
    # Dinas Kecil has 2: suppressed
    assert by_agency[("Dinas Kecil", "submitted")][4:] == ["", "1"]


def test_records_have_no_personal_data_and_no_small_groups(client, published):
    rows = _csv(client, "laporan")
    body = json.dumps(rows)
    assert "Budi" not in body
    assert "Melati" not in body
    assert "RAHASIA" not in body
    assert len(rows) == 1 + 5  # Dinas Kecil's 2 records stand in a group under 5
    assert {r[1] for r in rows[1:]} == {"Badan Obat"}
    assert all(len(r[0]) == 7 for r in rows[1:])  # the month only
    response = client.get(reverse("statistics:open_data_download", args=["laporan", "json"]))
    data = json.loads(b"".join(response.streaming_content))
    assert data["licence"].startswith("Creative Commons")
    assert len(data["records"]) == 5
    assert set(data["records"][0]) == set(rows[0])


def test_data_dictionary_and_dcat_catalogue(client, published):
    html = client.get(reverse("statistics:open_data")).content.decode()
    assert "CC BY 4.0" in html
    assert "<code>response_days</code>" in html
    catalog = json.loads(client.get(reverse("statistics:open_data_catalog")).content)
    assert catalog["@type"] == "dcat:Catalog"
    assert len(catalog["dcat:dataset"]) == 2
    urls = [
        d["dcat:downloadURL"]["@id"]
        for s in catalog["dcat:dataset"]
        for d in s["dcat:distribution"]
    ]
    assert any(u.endswith("/statistik/data/unduh/laporan.csv") for u in urls)
    assert client.get("/statistik/data/unduh/nope.csv").status_code == 404


@pytest.mark.parametrize("n", [1, 9])
def test_download_query_counts(client, django_assert_num_queries, n):
    agency = f.AgencyFactory()
    for _ in range(n):
        f.complaint(agency)
    facts_refresh_due()
    # the aggregate: one GROUP BY
    with django_assert_num_queries(1):
        _csv(client, "agregat")
    # the records: the read transaction (a savepoint here, and its release); the one SELECT
    # runs on a server-side cursor of the raw connection, fetched in chunks, which Django
    # does not log
    with django_assert_num_queries(2):
        rows = _csv(client, "laporan")
    assert len(rows) == (1 + n if n >= 5 else 1)


PEERS_ON_SQLITE = r"""
import json

import django
django.setup()
from django.core.management import call_command

call_command("migrate", "--noinput", verbosity=0)
from tests.reporting import opendata_peers

opendata_peers.build()
print("RESULT:" + json.dumps(opendata_peers.published()))
"""

# The six alike at Peer A; the one in unit A2 and all of Peer B (four web and one API
# complaint) share their agency, category and month with at least 5 but are alone or four in
# their published combination.
PEERS_PUBLISHED = [["Peer A", "A1", "web"]] * 6


def test_records_need_five_peers_on_every_published_value(client):
    # given groups of at least 5 by agency, category and month, split by unit or channel
    opendata_peers.build()
    # then only the six complaints alike in every published value are published
    assert opendata_peers.published() == PEERS_PUBLISHED
    rows = _csv(client, "laporan")
    assert sorted((r[1], r[2], r[5]) for r in rows[1:]) == [("Peer A", "A1", "web")] * 6


def test_records_need_five_peers_on_every_published_value_on_sqlite(tmp_path):
    # given the same complaints on the embedded default (SQLite)
    published = run_on_sqlite(PEERS_ON_SQLITE, tmp_path)
    # then its spelling of the statement publishes the same records
    assert published == PEERS_PUBLISHED
