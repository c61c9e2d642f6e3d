import pytest
from django.urls import reverse

from painpath.access.models import AuditEvent
from painpath.ingest.actions import run_import
from painpath.records import identity
from painpath.records.models import Patient
from tests.factories import PNR_ANNA, make_user, write_extract

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(habo_and_annan):
    return Patient.objects.get(id_hash=identity.personnummer_hash(PNR_ANNA))


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def anna_at_annan(other_clinic):
    return make_user("anna", other_clinic)


@pytest.mark.parametrize(
    "url",
    ["/", "/patienter/", "/patienter/PANYTHING/", "/admin/", "/patienter/?sida=2"],
)
def test_every_page_needs_a_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert (
        response["Location"].startswith("/konto/logga-in/")
        or "/admin/login/" in response["Location"]
    )


def test_the_login_page_is_in_swedish(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert '<html lang="sv">' in response.text and "Lösenord" in response.text


def test_a_clinician_reads_their_patient_and_the_view_is_audited(client, anna, lena):
    client.force_login(lena)

    response = client.get(reverse("patient_detail", args=[anna.pseudonym]))

    assert response.status_code == 200
    assert "19420310-9147" in response.text and "R52.2" in response.text
    event = AuditEvent.objects.filter(action="view", patient=anna).get()
    assert (event.username, event.path) == ("lena", f"/patienter/{anna.pseudonym}/")


def test_a_user_of_another_clinic_cannot_read_the_patient_by_guessing_the_url(
    client, anna, anna_at_annan
):
    client.force_login(anna_at_annan)

    response = client.get(reverse("patient_detail", args=[anna.pseudonym]))

    assert response.status_code == 404
    assert "Sidan hittades inte" in response.text
    assert "19420310" not in response.text
    assert not AuditEvent.objects.filter(action="view", patient=anna).exists()
    lookup = AuditEvent.objects.get(action="lookup", username="anna")
    assert anna.pseudonym in lookup.detail


def test_the_patient_list_shows_only_the_users_clinic_and_is_audited(client, anna, anna_at_annan):
    client.force_login(anna_at_annan)

    response = client.get(reverse("patient_list"))

    assert [p.external_id for p in response.context["page"]] == ["A-1"]
    assert anna.pseudonym not in response.text
    assert AuditEvent.objects.filter(
        action="view", username="anna", detail__startswith="patientlista"
    ).exists()


def test_the_first_page_shows_the_clinics_data_at_a_glance(client, anna, lena):
    client.force_login(lena)

    response = client.get(reverse("home"))

    overview = response.context["overview"]
    assert (overview.patients, overview.contacts, overview.diagnoses) == (3, 3, 3)
    assert (overview.prescriptions, overview.sick_leaves) == (1, 1)
    assert overview.listed_today == 2  # the third left the listing in 2023
    assert (str(overview.first_day), str(overview.last_day)) == ("2021-03-04", "2022-01-10")
    assert overview.last_import.exit_code == 0
    assert 'data-figure="contacts">3<' in response.text


def test_a_user_without_a_clinic_is_told_so_and_sees_no_data(client, anna):
    client.force_login(make_user("nils", None))

    response = client.get(reverse("home"))

    assert "inte kopplat till någon vårdcentral" in response.text
    assert client.get(reverse("patient_list")).context["page"].paginator.count == 0


def test_the_admin_shows_no_patient_data(admin_client):
    from django.contrib import admin

    registered = {model.__name__ for model in admin.site._registry}
    assert registered.isdisjoint({"Patient", "Contact", "Diagnosis", "Prescription", "SickLeave"})
    assert admin_client.get("/admin/").status_code == 200


def test_of_a_patient_who_moved_each_clinic_sees_only_its_own_records(
    client, tmp_path, anna, lena, anna_at_annan
):
    write_extract(
        tmp_path / "moved",
        {
            "patients": f"patient_id,clinic_id,listed_from\n{PNR_ANNA},annan,2023-01-01\n",
            "contacts": f"contact_id,patient_id,date,clinic_id\nm1,{PNR_ANNA},2023-05-05,annan\n",
        },
    )
    run_import(tmp_path / "moved")

    client.force_login(anna_at_annan)
    at_annan = client.get(reverse("patient_detail", args=[anna.pseudonym]))
    client.force_login(lena)
    at_habo = client.get(reverse("patient_detail", args=[anna.pseudonym]))

    assert [c.date.isoformat() for c in at_annan.context["contacts"]] == ["2023-05-05"]
    assert (
        list(at_annan.context["diagnoses"]) == [] and list(at_annan.context["prescriptions"]) == []
    )
    assert "2023-05-05" not in [c.date.isoformat() for c in at_habo.context["contacts"]]
    assert len(at_habo.context["contacts"]) == 2
    listed = client.get(reverse("patient_list")).context["page"]
    assert {p.pseudonym: p.n_contacts for p in listed}[anna.pseudonym] == 2


def test_the_ui_is_swedish_whatever_language_the_browser_prefers(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "Lösenord" in response.text and response["Content-Language"] == "sv"


def test_a_user_can_choose_english(client, lena):
    client.force_login(lena)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(reverse("home"))

    assert "Data at a glance" in response.text and '<html lang="en">' in response.text
    assert ">Svenska</button>" in response.text  # the way back, in its own language
