"""The synthetic clinic: the extract contract, ids of nobody real, and the Habo story.

Every figure is computed here from the CSV files alone, with the definitions of
shared/spec/extract-format.md, independently of how the generator planned them.
"""

import csv
import io
import re
from collections import Counter, defaultdict
from datetime import date
from functools import cache
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from personnummer import personnummer

from painpath.synth.clinic import write_clinic
from painpath.synth.management.commands.synth import Command
from painpath.synth.testnumbers import SKATTEVERKET_TEST_NUMBERS

# The contract's table of professions, in the labels a generated extract may use.
PROFESSION = {
    "läkare": "physician", "allmänläkare": "physician", "st-läkare": "physician",
    "at-läkare": "physician", "sjuksköterska": "nurse", "distriktssköterska": "nurse",
    "undersköterska": "assistant_nurse", "fysioterapeut": "physiotherapist",
    "sjukgymnast": "physiotherapist", "fysioterapeut/sjukgymnast": "physiotherapist",
    "arbetsterapeut": "occupational_therapist", "psykolog": "psychologist",
    "ptp-psykolog": "psychologist", "kurator": "counsellor",
    "rehabkoordinator": "rehab_coordinator", "dietist": "dietitian",
}  # fmt: skip
CONTRACT = {
    "patients.csv": {"patient_id", "sex", "birth_year", "listed_from", "listed_to", "clinic_id"},
    "staff.csv": {"caregiver_id", "profession", "name", "clinic_id"},
    "contacts.csv": {
        "patient_id", "date", "contact_id", "caregiver_id", "profession", "contact_type",
        "clinic_id",
    },
    "diagnoses.csv": {"patient_id", "date", "code", "caregiver_id", "profession", "contact_id"},
    "prescriptions.csv": {
        "patient_id", "date", "atc", "prescription_id", "product", "strength_mg", "packages",
        "pack_size", "caregiver_id", "profession",
    },
    "sick_leave.csv": {
        "patient_id", "start", "end", "code", "extent_percent", "certificate_id", "caregiver_id",
    },
}  # fmt: skip
BASELINE = ("2020-01-01", "2023-12-31")
FOLLOW_UP = ("2024-01-01", "2024-10-31")
PERSONNUMMER_SHAPE = re.compile(r"^\d{6}(\d{2})?[-+]?\d{4}$")


@cache
def pnr(patient_id: str) -> str:
    """One key per patient: a personnummer as 12 digits, any other id as written."""
    if PERSONNUMMER_SHAPE.match(patient_id):
        return personnummer.parse(patient_id).format(True)
    return patient_id


def is_r522(code: str) -> bool:
    return code.replace(".", "").strip().upper().startswith("R522")


def ordinal(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


class Extract:
    def __init__(self, folder, counts):
        self.folder, self.counts = folder, counts
        self.rows = {}
        for name in CONTRACT:
            with (folder / name).open(encoding="utf-8", newline="") as handle:
                self.rows[name] = list(csv.DictReader(handle))
        self.patients = {pnr(r["patient_id"]): r for r in self.rows["patients.csv"]}
        self.staff = {r["caregiver_id"]: r for r in self.rows["staff.csv"]}

    def profession(self, row) -> str:
        label = row["profession"] or self.staff[row["caregiver_id"]]["profession"]
        return PROFESSION[label.lower()]

    def listed_on(self, iso: str) -> int:
        return sum(
            1
            for r in self.patients.values()
            if r["listed_from"] <= iso and (not r["listed_to"] or r["listed_to"] >= iso)
        )

    def contacts_in(self, first, last) -> Counter:
        rows = self.rows["contacts.csv"]
        return Counter(pnr(r["patient_id"]) for r in rows if first <= r["date"] <= last)


def deep_dive(extract: Extract, first: str, last: str) -> dict:
    """The R52.2 deep-dive of the contract, computed from the files."""
    met = defaultdict(lambda: defaultdict(set))  # patient -> profession -> caregivers
    for row in extract.rows["diagnoses.csv"]:
        if first <= row["date"] <= last and is_r522(row["code"]):
            met[pnr(row["patient_id"])][extract.profession(row)].add(row["caregiver_id"])
    contacts = extract.contacts_in(first, last)
    top10 = [patient for patient, _ in contacts.most_common(10)]
    several = Counter(p for m in met.values() for p, cs in m.items() if len(cs) > 1)
    spells = _sick_leave_spells(extract, met, first, last)
    sexes = Counter(extract.patients[p]["sex"] for p in met)
    born = [int(extract.patients[p]["birth_year"]) for p in met] or [0]
    return {
        "patients": len(met),
        "female": sexes["K"],
        "male": sexes["M"],
        "born": (min(born), max(born)),
        "by_profession": Counter(p for m in met.values() for p in m),
        "professions_per_patient": Counter(len(m) for m in met.values()),
        "combinations": Counter(tuple(sorted(m)) for m in met.values() if len(m) > 1),
        "same_caregiver": sum(
            1 for m in met.values() if len(m) == 1 and len(next(iter(m.values()))) == 1
        ),
        "several_caregivers": sum(1 for m in met.values() if any(len(c) > 1 for c in m.values())),
        "several_by_profession": several,
        "frequent_attenders": sum(1 for p in met if contacts[p] > 10),
        "top10_ranks_in_cohort": [rank for rank, p in enumerate(top10, 1) if p in met],
        "top10_contacts": [contacts[p] for p in top10],
        "sick_leave_sexes": Counter(extract.patients[p]["sex"] for p, _ in spells),
        "sick_leave_days": sorted(days for _, days in spells),
        "met": met,
    }


def _sick_leave_spells(extract, cohort, first, last) -> list[tuple[str, int]]:
    certificates = defaultdict(list)
    for row in extract.rows["sick_leave.csv"]:
        patient = pnr(row["patient_id"])
        overlaps = row["start"] <= last and row["end"] >= first
        if patient in cohort and is_r522(row["code"]) and overlaps:
            certificates[patient].append((ordinal(row["start"]), ordinal(row["end"])))
    spells = []
    for patient, periods in certificates.items():
        periods.sort()
        start, end = periods[0]
        for next_start, next_end in periods[1:]:
            if next_start > end + 1:
                spells.append((patient, end - start + 1))
                start = next_start
            end = max(end, next_end)
        spells.append((patient, end - start + 1))
    return spells


def near(actual: int, target: int, rel: float = 0.15) -> bool:
    return abs(actual - target) <= max(1, rel * target)


@pytest.fixture(scope="module")
def habo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("habo")
    return Extract(folder, write_clinic(folder, patients=10600, seed=1))


@pytest.fixture(scope="module")
def baseline(habo):
    return deep_dive(habo, *BASELINE)


@pytest.fixture(scope="module")
def follow_up(habo):
    return deep_dive(habo, *FOLLOW_UP)


def test_it_writes_every_file_of_the_contract(habo):
    assert sorted(p.name for p in habo.folder.iterdir()) == sorted(CONTRACT)
    for name, columns in CONTRACT.items():
        header = (habo.folder / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert set(header.split(",")) == columns, name
        assert habo.counts[name] == len(habo.rows[name]) > 0
    assert {r["clinic_id"] for r in habo.rows["contacts.csv"]} == {"habo"}


def test_it_is_deterministic_for_a_seed(tmp_path):
    def files(folder, seed):
        write_clinic(folder, patients=300, seed=seed)
        return {name: (folder / name).read_bytes() for name in CONTRACT}

    first = files(tmp_path / "a", 7)
    assert files(tmp_path / "b", 7) == first
    assert files(tmp_path / "c", 8)["contacts.csv"] != first["contacts.csv"]


def test_patient_ids_are_published_test_numbers_or_opaque(habo):
    published = {number.replace("-", ""): sex for number, sex in SKATTEVERKET_TEST_NUMBERS}
    ids = [r["patient_id"] for r in habo.rows["patients.csv"]]
    assert len({pnr(patient_id) for patient_id in ids}) == len(ids)
    numbered = [r for r in habo.rows["patients.csv"] if PERSONNUMMER_SHAPE.match(r["patient_id"])]
    assert len(numbered) >= len(published) - 2  # a clinic this size has someone for nearly each
    for row in numbered:
        assert personnummer.valid(row["patient_id"])
        number = pnr(row["patient_id"])
        assert published[number] == row["sex"]  # only Skatteverket's test numbers: no real person
        assert number[:4] == row["birth_year"]
    assert all(re.fullmatch(r"habo-p\d{6}", i) for i in ids if not PERSONNUMMER_SHAPE.match(i))
    # Written mostly YYYYMMDD-NNNC, some YYYYMMDDNNNC, a few YYMMDD-NNNC; rows mix them.
    forms = Counter(len(row["patient_id"]) for row in numbered)
    assert forms[13] >= forms[12] >= forms[11] > 0
    written = {r["patient_id"] for rows in habo.rows.values() for r in rows if "patient_id" in r}
    assert len({pnr(i) for i in written}) == len(ids) < len(written)


def test_every_row_refers_to_a_known_patient_caregiver_and_contact(habo):
    contacts = {r["contact_id"]: r for r in habo.rows["contacts.csv"]}
    assert len(contacts) == len(habo.rows["contacts.csv"])
    for name in ("contacts.csv", "diagnoses.csv", "prescriptions.csv", "sick_leave.csv"):
        for row in habo.rows[name]:
            assert pnr(row["patient_id"]) in habo.patients
            assert row["caregiver_id"] in habo.staff or (
                name == "contacts.csv" and row["profession"]
            )
    for row in habo.rows["diagnoses.csv"]:
        contact = contacts[row["contact_id"]]
        assert pnr(contact["patient_id"]) == pnr(row["patient_id"])
        assert (contact["date"], contact["caregiver_id"]) == (row["date"], row["caregiver_id"])


def test_professions_are_swedish_labels_of_the_contract(habo):
    staff = Counter(PROFESSION[r["profession"].lower()] for r in habo.rows["staff.csv"])
    assert 8 <= staff["physician"] <= 10 and 8 <= staff["nurse"] <= 9
    assert staff["assistant_nurse"] == 3 and staff["physiotherapist"] == 3
    assert staff["occupational_therapist"] == 2 and 1 <= staff["psychologist"] <= 2
    assert staff["counsellor"] == staff["rehab_coordinator"] == staff["dietitian"] == 1
    filled = [r for r in habo.rows["contacts.csv"] if r["profession"]]
    assert 0 < len(filled) < len(habo.rows["contacts.csv"]) / 5  # most left to the caregiver
    assert all(r["profession"].lower() in PROFESSION for r in filled)
    types = Counter(r["contact_type"] for r in habo.rows["contacts.csv"])
    assert set(types) == {"visit", "phone", "digital", "home", "group"}
    assert types["visit"] > types["phone"] > types["digital"] > types["home"]


def test_rows_fall_in_the_period_and_the_patients_listing(habo):
    for name, column in (("contacts.csv", "date"), ("diagnoses.csv", "date"),
                         ("prescriptions.csv", "date"), ("sick_leave.csv", "start")):  # fmt: skip
        dates = [r[column] for r in habo.rows[name]]
        assert min(dates) >= "2020-01-01" and max(dates) <= "2024-10-31", name
    for row in habo.rows["contacts.csv"]:
        patient = habo.patients[pnr(row["patient_id"])]
        assert patient["listed_from"] <= row["date"]
        assert not patient["listed_to"] or row["date"] <= patient["listed_to"]


def test_the_listing_looks_like_habo(habo):
    assert near(habo.listed_on("2023-12-31"), 10598, rel=0.005)
    rows = habo.rows["patients.csv"]
    assert sum(1 for r in rows if r["listed_to"]) > 500  # some leave
    assert sum(1 for r in rows if r["listed_from"] >= "2024-01-01") > 100  # some join later
    assert sum(1 for r in rows if r["listed_from"] < "2020-01-01" and not r["listed_to"]) > 8000
    years = Counter(int(r["birth_year"]) for r in rows)
    assert min(years) == 1925 and max(years) == 2024
    old = sum(n for year, n in years.items() if year < 1959)  # 65 and over
    assert 0.15 < old / len(rows) < 0.25


def test_the_cohort_tells_the_habo_story(baseline):
    assert near(baseline["patients"], 124)
    assert near(baseline["female"], 77) and near(baseline["male"], 47)
    assert baseline["born"] == (1932, 1995)
    by_profession = baseline["by_profession"]
    for profession, patients in (("physician", 106), ("physiotherapist", 28),
                                 ("occupational_therapist", 11), ("nurse", 9),
                                 ("psychologist", 1), ("assistant_nurse", 1)):  # fmt: skip
        assert near(by_profession[profession], patients), profession
    assert set(by_profession) <= {"physician", "physiotherapist", "occupational_therapist",
                                  "nurse", "psychologist", "assistant_nurse"}  # fmt: skip
    per_patient = baseline["professions_per_patient"]
    assert near(per_patient[1], 102) and near(per_patient[2], 15)
    assert near(per_patient[3], 5) and near(per_patient[4], 2)
    (most_common, patients), *_ = baseline["combinations"].most_common()
    assert most_common == ("physician", "physiotherapist") and near(patients, 9)
    assert near(baseline["same_caregiver"], 87)
    assert near(baseline["several_caregivers"], 15)
    assert near(baseline["several_by_profession"]["physician"], 14)
    assert near(baseline["frequent_attenders"], 106)
    assert baseline["top10_ranks_in_cohort"][:2] == [1, 2]
    assert near(sum(baseline["top10_contacts"][:2]), 739, rel=0.05)
    assert baseline["sick_leave_sexes"] == Counter({"K": 2, "M": 4})
    days = baseline["sick_leave_days"]
    assert len(days) == 6 and sum(1 for d in days if d < 90) == 5 and near(days[-1], 365, 0.05)


def test_the_follow_up_tells_the_2024_story(follow_up):
    assert near(follow_up["patients"], 33)
    by_profession = follow_up["by_profession"]
    for profession, patients in (("physician", 26), ("physiotherapist", 8),
                                 ("occupational_therapist", 2), ("nurse", 1),
                                 ("assistant_nurse", 1), ("rehab_coordinator", 1)):  # fmt: skip
        assert near(by_profession[profession], patients), profession
    assert by_profession["psychologist"] == 0
    assert follow_up["combinations"] == Counter(
        {("physician", "physiotherapist"): 3, ("nurse", "physician"): 1}
    )
    assert max(follow_up["professions_per_patient"]) == 2
    assert follow_up["several_by_profession"] == Counter({"physician": 2})


def test_a_physician_leaves_in_2024_and_a_colleague_takes_over(habo, follow_up):
    last_seen = {}
    for row in habo.rows["contacts.csv"]:
        last_seen[row["caregiver_id"]] = max(row["date"], last_seen.get(row["caregiver_id"], ""))
    leavers = [c for c, last in last_seen.items() if "2024-04-01" <= last < "2024-06-01"]
    assert len(leavers) == 1
    handed_over = [
        m["physician"] for m in follow_up["met"].values() if len(m.get("physician", ())) == 2
    ]
    assert len(handed_over) == 2
    colleagues = {c for caregivers in handed_over for c in caregivers if c != leavers[0]}
    assert all(leavers[0] in caregivers for caregivers in handed_over)
    assert len(colleagues) == 1 and last_seen[colleagues.pop()] >= "2024-10-01"


def test_a_listed_patient_has_about_three_contacts_a_year(habo):
    years = 0.0
    end = ordinal("2024-10-31")
    for row in habo.rows["patients.csv"]:
        first = max(ordinal("2020-01-01"), ordinal(row["listed_from"]))
        last = min(end, ordinal(row["listed_to"])) if row["listed_to"] else end
        years += max(0, last - first + 1) / 365.25
    assert 2.7 < len(habo.rows["contacts.csv"]) / years < 3.3
    counts = sorted(habo.contacts_in(*BASELINE).values())
    median, mean = counts[len(counts) // 2], sum(counts) / len(counts)
    assert median < 0.7 * mean and counts[int(0.99 * len(counts))] > 5 * median  # a long tail


def test_oxycodone_is_prescribed_on_the_vendelso_scale_and_drops_in_2024(habo):
    def oxycodone(first, last):
        rows = [r for r in habo.rows["prescriptions.csv"] if r["atc"] == "N02AA05"]
        rows = [r for r in rows if first <= r["date"] <= last]
        return len(rows), len({pnr(r["patient_id"]) for r in rows})

    prescriptions, patients = oxycodone("2023-01-01", "2023-12-31")
    assert 250 <= prescriptions <= 340 and 115 <= patients <= 160
    before, _ = oxycodone("2023-01-01", "2023-10-31")
    after, _ = oxycodone("2024-01-01", "2024-10-31")
    assert -0.20 <= after / before - 1 <= -0.15
    atc = {r["atc"] for r in habo.rows["prescriptions.csv"]}
    assert {"N02AJ06", "N02AX02", "N02AA01", "N02BE01", "M01AE01", "N06AX16"} <= atc
    assert {"N03AX12", "N02BF01", "C09AA05", "A10BA02"} <= atc  # gabapentin: old and new code


def test_sick_leave_certificates_chain_into_spells(habo):
    rows = habo.rows["sick_leave.csv"]
    assert {r["extent_percent"] for r in rows} == {"25", "50", "75", "100"}
    assert all(r["start"] <= r["end"] for r in rows)
    by_patient = defaultdict(list)
    for row in rows:
        by_patient[pnr(row["patient_id"])].append((ordinal(row["start"]), ordinal(row["end"])))
    adjacent = overlapping = 0
    for periods in by_patient.values():
        periods.sort()
        for (_, end), (start, _) in pairwise(periods):
            adjacent += start == end + 1
            overlapping += start <= end
    assert adjacent > 500 and overlapping > 50


def test_it_scales_to_a_small_clinic(tmp_path):
    counts = write_clinic(tmp_path, patients=500, seed=1, clinic_id="liten")
    small = Extract(tmp_path, counts)
    assert near(small.listed_on("2023-12-31"), 500, rel=0.01)
    assert 3 <= deep_dive(small, *BASELINE)["patients"] <= 10
    assert all(r["patient_id"].startswith("liten-p") for r in small.rows["patients.csv"][:10])
    assert 5 <= counts["staff.csv"] <= 15
    assert all(r["caregiver_id"].startswith("hsa-liten-") for r in small.rows["staff.csv"])


def test_it_refuses_a_clinic_of_fewer_than_100_patients(tmp_path):
    with pytest.raises(ValueError, match="at least 100"):
        write_clinic(tmp_path, patients=99)


def test_the_command_writes_a_clinic_and_sums_up_in_swedish(tmp_path):
    out = io.StringIO()
    call_command(Command(), "clinic", "--out", str(tmp_path), "--patients", "150", stdout=out)
    assert "contacts.csv" in out.getvalue() and "rader" in out.getvalue()
    assert (tmp_path / "sick_leave.csv").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--patients", "50"], "minst 100"),
        (["--clinic-id", "Habo VC"], "Ogiltig --clinic-id"),
    ],
)
def test_the_command_explains_a_bad_argument_in_swedish(tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command(Command(), "clinic", "--out", str(tmp_path), *arguments)


def test_the_command_explains_an_unwritable_folder_in_swedish(tmp_path):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(CommandError, match="Kan inte skriva i mappen"):
        call_command(Command(), "clinic", "--out", str(tmp_path / "a-file"), "--patients", "100")
