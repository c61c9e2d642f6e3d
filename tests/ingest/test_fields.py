from datetime import date

import pytest

from painpath.ingest import fields as f


@pytest.mark.parametrize(
    "text", ["2021-03-04", "20210304", "2021-03-04 08:30", "2021-03-04 08:30:15", " 2021-03-04 "]
)
def test_it_reads_every_accepted_date_form(text):
    assert f.parse_date(text, "date") == date(2021, 3, 4)


@pytest.mark.parametrize("text", ["2021-13-01", "04/03/2021", "2021-02-30", "igår"])
def test_it_rejects_a_bad_date_naming_the_column_and_value(text):
    with pytest.raises(f.RowError, match=rf"^date: ogiltigt datum '{text}'"):
        f.parse_date(text, "date")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("R522", "R52.2"),
        ("R52.2", "R52.2"),
        ("r52.2", "R52.2"),
        ("R522A", "R52.2A"),
        ("r52.2b", "R52.2B"),
        ("R52", "R52"),
        ("M79.7", "M79.7"),
        ("F454", "F45.4"),
        ("M54.5 ", "M54.5"),
    ],
)
def test_icd10_codes_are_one_code_whatever_their_form(text, code):
    assert f.parse_icd10(text) == code


@pytest.mark.parametrize("text", ["", "522", "RR52", "R5", "R52.2.2", "R52.", "R.522"])
def test_it_rejects_what_is_not_an_icd10_code(text):
    with pytest.raises(f.RowError, match="ogiltig ICD-10-kod"):
        f.parse_icd10(text)


@pytest.mark.parametrize(
    ("text", "code"), [("n02aa05", "N02AA05"), ("N02A", "N02A"), ("N", "N"), ("M01AE01", "M01AE01")]
)
def test_atc_codes_are_read_in_any_case(text, code):
    assert f.parse_atc(text) == code


def test_it_rejects_a_bad_atc_code():
    with pytest.raises(f.RowError, match="ogiltig ATC-kod 'N2AA05'"):
        f.parse_atc("N2AA05")


@pytest.mark.parametrize(
    ("text", "sex"),
    [("K", "female"), ("kvinna", "female"), ("F", "female"), ("female", "female"),
     ("W", "female"), ("M", "male"), ("man", "male"), ("Male", "male"), ("", "unknown"),
     ("x", "unknown")],
)  # fmt: skip
def test_sex_is_read_from_swedish_and_english_forms(text, sex):
    assert f.parse_sex(text) == sex


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("läkare", "physician"), ("Allmänläkare", "physician"), ("ST-läkare", "physician"),
        ("AT-läkare", "physician"), ("sjuksköterska", "nurse"),
        ("Distriktssköterska", "nurse"), ("undersköterska", "assistant_nurse"),
        ("fysioterapeut", "physiotherapist"), ("Sjukgymnast", "physiotherapist"),
        ("fysioterapeut/sjukgymnast", "physiotherapist"),
        ("arbetsterapeut", "occupational_therapist"), ("psykolog", "psychologist"),
        ("PTP-psykolog", "psychologist"), ("kurator", "counsellor"),
        ("rehabkoordinator", "rehab_coordinator"), ("dietist", "dietitian"),
        ("Physician", "physician"), ("physiotherapist", "physiotherapist"), ("", ""),
    ],
)  # fmt: skip
def test_professions_are_read_from_every_listed_label(label, code):
    assert f.parse_profession(label) == code


def test_an_unknown_profession_is_an_error_naming_the_label():
    with pytest.raises(f.RowError, match="okänd profession 'Trollkarl'"):
        f.parse_profession("Trollkarl")


def test_numbers_take_a_swedish_decimal_comma():
    assert f.parse_number("2,5", "strength_mg") == 2.5
    assert f.parse_number("", "strength_mg") is None


def test_a_birth_date_gives_its_year():
    assert f.parse_year("1974-05-12", "birth_date") == 1974
    with pytest.raises(f.RowError, match="ogiltigt födelseår"):
        f.parse_year("74", "birth_year")


def test_contact_types_map_to_codes_and_free_text_is_kept():
    assert f.parse_contact_type("Besök") == "visit"
    assert f.parse_contact_type("telefon") == "phone"
    assert f.parse_contact_type("Videosamtal") == "Videosamtal"
