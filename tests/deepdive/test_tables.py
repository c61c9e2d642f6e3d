"""The deep-dive's tables and charts as the page shows them: plain dicts in, no database.

The figures are the Habo report's own (2020–2023 against 2024-01-01..2024-10-31)."""

import copy

import pytest
from django.utils import translation

from painpath.analytics.suppression import hide_small_counts
from painpath.deepdive.charts import chart_specs, chart_svgs
from painpath.deepdive.formats import combination_label
from painpath.deepdive.tables import build_tables, headlines

HABO = {
    "diagnoses": ["R52.2"],
    "period": {"from": "2020-01-01", "to": "2023-12-31"},
    "patients": 124,
    "listed_patients": 10598,
    "share_of_listed": 0.0117,
    "sex": {"female": 77, "male": 47, "unknown": 0},
    "birth_year": {"min": 1932, "max": 1995},
    "by_profession": {
        "physician": 106,
        "physiotherapist": 28,
        "occupational_therapist": 11,
        "nurse": 9,
        "psychologist": 1,
        "assistant_nurse": 1,
    },
    "professions_per_patient": {"1": 102, "2": 15, "3": 5, "4": 2},
    "combinations": [
        {"professions": ["physician", "physiotherapist"], "patients": 9},
        {"professions": ["physician", "occupational_therapist"], "patients": 3},
        {"professions": ["physician", "nurse"], "patients": 2},
        {"professions": ["physiotherapist", "occupational_therapist"], "patients": 1},
        {"professions": ["physician", "physiotherapist", "occupational_therapist"], "patients": 2},
        {"professions": ["physician", "nurse", "physiotherapist"], "patients": 2},
        {"professions": ["physician", "nurse", "assistant_nurse"], "patients": 1},
        {
            "professions": ["physician", "nurse", "physiotherapist", "occupational_therapist"],
            "patients": 1,
        },
        {
            "professions": [
                "physician",
                "physiotherapist",
                "occupational_therapist",
                "psychologist",
            ],
            "patients": 1,
        },
    ],
    "multi_profession": {"patients": 22, "share": 0.1774},
    "single_profession_same_caregiver": 87,
    "same_profession_several_caregivers": {
        "patients": 15,
        "by_profession": {"physician": 14, "physiotherapist": 1},
    },
    "contacts": {
        "threshold": 10,
        "frequent_attenders": 106,
        "clinic_top10": [{"rank": 1, "contacts": 380}, {"rank": 2, "contacts": 359}],
        "per_patient": [
            {"band": "0", "patients": 0},
            {"band": "1–5", "patients": 8},
            {"band": "6–10", "patients": 10},
            {"band": "11–20", "patients": 40},
            {"band": "21–50", "patients": 50},
            {"band": "51–100", "patients": 12},
            {"band": ">100", "patients": 4},
        ],
    },
    "sick_leave": {
        "patients": 6,
        "female": 2,
        "male": 4,
        "spells": 6,
        "under_90_days": 5,
        "longest_days": 365,
    },
}
HABO_2024 = {
    **copy.deepcopy(HABO),
    "period": {"from": "2024-01-01", "to": "2024-10-31"},
    "patients": 33,
    "share_of_listed": 0.0031,
    "by_profession": {
        "physician": 26,
        "physiotherapist": 8,
        "occupational_therapist": 2,
        "nurse": 1,
        "assistant_nurse": 1,
        "rehab_coordinator": 1,
    },
    "professions_per_patient": {"1": 29, "2": 4},
    "combinations": [
        {"professions": ["physician", "physiotherapist"], "patients": 3},
        {"professions": ["physician", "nurse"], "patients": 1},
    ],
    "multi_profession": {"patients": 4, "share": 0.1212},
}


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def result(main=HABO, compare=None, hide_small=False):
    return {"query": {"hide_small": hide_small}, "main": main, "compare": compare}


def tables(res):
    return {table.key: table for table in build_tables(res)}


def rows(table):
    return [(row.label, [cell.text for cell in row.cells]) for g in table.groups for row in g.rows]


def test_professions_are_listed_as_the_report_lists_them_most_patients_first():
    professions = tables(result())["professions"]

    assert (professions.label_heading, professions.value_heading) == (
        "Profession",
        "Antal patienter",
    )
    assert rows(professions) == [
        ("Läkare", ["106"]),
        ("Fysioterapeut/sjukgymnast", ["28"]),
        ("Arbetsterapeut", ["11"]),
        ("Sjuksköterska", ["9"]),
        ("Undersköterska", ["1"]),
        ("Psykolog", ["1"]),
    ]


def test_combinations_are_grouped_by_how_many_professions_the_patient_met():
    combinations = tables(result())["combinations"]

    assert [group.heading for group in combinations.groups] == [
        "Patienten har träffat 4 professioner",
        "Patienten har träffat 3 professioner",
        "Patienten har träffat 2 professioner",
    ]
    assert rows(combinations)[-4:] == [
        ("Arbetsterapeut, fysioterapeut/sjukgymnast", ["1"]),
        ("Arbetsterapeut, läkare", ["3"]),
        ("Fysioterapeut/sjukgymnast, läkare", ["9"]),
        ("Läkare, sjuksköterska", ["2"]),
    ]


def test_a_combination_reads_as_the_report_writes_it_in_swedish_order():
    label = combination_label(["physician", "nurse", "physiotherapist", "occupational_therapist"])

    assert label == "Arbetsterapeut, fysioterapeut/sjukgymnast, läkare, sjuksköterska"


def test_numbers_are_written_the_swedish_way():
    summary = dict(rows(tables(result())["summary"]))

    assert summary["Listade patienter (periodens sista dag)"] == ["10\xa0598"]
    assert summary["Andel av listade"] == ["1,2 %"]


def test_a_comparison_gives_period_b_and_the_difference_in_counts_and_percentage_points():
    both = tables(result(HABO, HABO_2024))

    assert dict(rows(both["professions"]))["Läkare"] == ["106", "26", "−80"]
    assert dict(rows(both["professions"]))["Rehabkoordinator"] == ["0", "1", "+1"]
    assert dict(rows(both["professions"]))["Psykolog"] == ["1", "0", "−1"]
    continuity = dict(rows(both["continuity"]))
    assert continuity["Andel som träffat mer än en profession"] == [
        "17,7 %",
        "12,1 %",
        "−5,6 %-enheter",
    ]
    assert dict(rows(both["professions_per_patient"]))["3 professioner"] == ["5", "0", "−5"]
    assert [line["patients"].text for line in headlines(result(HABO, HABO_2024))] == ["124", "33"]


def test_hidden_counts_show_as_under_five_and_parts_of_a_total_as_a_dash():
    hidden = tables(result(hide_small_counts(HABO), hide_small=True))

    assert dict(rows(hidden["professions"]))["Psykolog"] == ["<5"]
    assert dict(rows(hidden["professions"]))["Läkare"] == ["106"]
    # "4 professioner": 2, and "3 professioner": 5 is hidden with it, and is not under 5
    per_patient = dict(rows(hidden["professions_per_patient"]))
    assert (per_patient["4 professioner"], per_patient["3 professioner"]) == (["–"], ["–"])
    assert dict(rows(hidden["birth_year"]))["Äldst: född år"] == ["–"]
    assert rows(hidden["clinic_top10"]) == [] and "Dolt" in hidden["clinic_top10"].empty_text


def test_a_difference_with_a_hidden_side_is_hidden_too():
    both = tables(result(hide_small_counts(HABO), hide_small_counts(HABO_2024), hide_small=True))

    assert dict(rows(both["professions"]))["Arbetsterapeut"] == ["11", "<5", "–"]
    assert dict(rows(both["professions"]))["Läkare"] == ["106", "26", "−80"]


def test_the_charts_draw_the_tables_figures_in_swedish():
    specs = chart_specs(result())
    svgs = chart_svgs(result())

    assert set(specs) == set(svgs) == {"professions", "combinations", "contacts_per_patient"}
    drawn = {row["label"]: row["patients"] for row in specs["professions"]["data"]["values"]}
    assert drawn["Läkare"] == 106 and drawn["Fysioterapeut/sjukgymnast"] == 28
    assert (
        svgs["professions"].startswith("<svg")
        and "Fysioterapeut/sjukgymnast" in svgs["professions"]
    )
    assert ">Antal patienter<" in svgs["contacts_per_patient"]


@pytest.mark.parametrize(
    ("key", "offset"),
    [("professions", "yOffset"), ("combinations", "yOffset"), ("contacts_per_patient", "xOffset")],
)
def test_with_a_comparison_the_charts_group_the_bars_by_period(key, offset):
    spec = chart_specs(result(HABO, HABO_2024))[key]

    assert spec["encoding"][offset]["field"] == "period"
    periods = {row["period"] for row in spec["data"]["values"]}
    assert periods == {"2020-01-01 – 2023-12-31", "2024-01-01 – 2024-10-31"}


def test_hidden_counts_are_not_drawn():
    spec = chart_specs(result(hide_small_counts(HABO), hide_small=True))["professions"]

    assert "Psykolog" not in {row["label"] for row in spec["data"]["values"]}


def test_no_chart_is_drawn_without_figures():
    empty = {**HABO, "by_profession": {}, "combinations": [], "contacts": {"per_patient": []}}

    assert chart_specs(result(empty)) == {}
