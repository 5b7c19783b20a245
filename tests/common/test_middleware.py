import pytest


@pytest.mark.django_db
def test_indonesian_is_the_default_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_choice_wins(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="id")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_a_page_answering_a_form_switches_language_back_to_where_the_form_was(client):
    from complaints.models import Role
    from tests import factories as f

    agency = f.AgencyFactory()
    complaint = f.complaint(agency)
    client.force_login(f.staff(agency, Role.VERIFIER))
    queue = "/staf/laporan/?kind=complaint"
    # the bulk archive's confirmation page is the answer to a form: its address takes no GET
    page = client.post(
        "/staf/laporan/massal/",
        {"action": "archive", "items": [f"{complaint.pk}:{complaint.version}"]},
        HTTP_REFERER=f"http://testserver{queue}",
    )
    assert page.status_code == 200
    assert 'name="next" type="hidden" value="/staf/laporan/?kind=complaint"' in page.text
    # a referer from elsewhere is not followed
    page = client.post(
        "/staf/laporan/massal/",
        {"action": "archive", "items": [f"{complaint.pk}:{complaint.version}"]},
        HTTP_REFERER="https://evil.example/staf/laporan/",
    )
    assert 'name="next" type="hidden" value="/"' in page.text
    # a page opened with GET returns to itself
    page = client.get(queue)
    assert 'name="next" type="hidden" value="/staf/laporan/?kind=complaint"' in page.text


@pytest.mark.django_db
def test_an_address_that_takes_only_forms_opened_directly_explains_itself(client):
    from complaints.models import Role
    from tests import factories as f

    agency = f.AgencyFactory()
    client.force_login(f.staff(agency, Role.VERIFIER))
    response = client.get("/staf/laporan/massal/")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert "Halaman ini hanya terbuka dari formulir" in response.text
    assert 'href="/"' in response.text
    # not for other methods, and not for a 405 that already has a body
    assert client.put("/staf/laporan/massal/").content == b""
