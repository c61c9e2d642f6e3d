"""The report's content (painpath/improvement/report.py): the region's template in its
order and wording, filled in from a project like Vendelsö's (the seed)."""

from datetime import date

import pytest

from painpath.improvement import actions, report
from painpath.improvement.report import Field, Figure, Heading, Paragraph, Table

pytestmark = pytest.mark.django_db

THEME = "Kronisk smärta"


def vendelso(clinic):
    """A project like the seed's, with a shared indicator measured for 12 months (one
    month without a value and its reason) and a count that is not measured yet."""
    project = actions.create_project(
        clinic,
        None,
        year=2023,
        theme=THEME,
        unit="Vendelsö vårdcentral",
        head_of_unit="Lena Bäckström",
        contact_name="Lena Bäckström",
        contact_profession="Specialist i allmänmedicin",
        patient_involvement="Uppföljande enkäter",
        mapping="Patienter med kronisk smärta upplevs som en svår grupp.",
        goals="Mindre negativ inverkan på dagliga livet\nMer jämlik vård",
        action_plan="Utarbetande av tydlig rutin för bokning, bedömning, behandling och "
        "uppföljning\nInsamling av enkäter före och efter intervention",
        tested="En rutin för bokning, bedömning och uppföljning.",
        comments="Indikator 3 lades till efter planen.",
        learned="Projektet var för omfattande.",
        patient_knowledge="Enkäter före och efter.",
        plan_ahead="Minska förskrivningen av beroendeframkallande läkemedel.",
    )
    actions.add_team_member(project, "Hanna Winberg", "ST-läkare Allmänmedicin")
    actions.add_team_member(project, "Jennelie Kjörling", "PTP-psykolog")
    knowledge = actions.add_cause(project, "Bristande kunskap hos vårdgivare")
    actions.add_idea(knowledge, "Internutbildning")
    via_apc = actions.add_idea(knowledge, "Utbildning via APC")
    actions.add_cause(project, "Tidsbrist vid bedömningssamtal")
    share = actions.add_indicator(
        project,
        name="Andel patienter som upplever minskad smärta",
        kind="outcome",
        source="Enkät före och efter",
        start_value=0,
        start_period="230313",
        target=50,
        target_text=">50 %",
        target_date=date(2023, 12, 31),
        result_value=25,
        result_date=date(2023, 12, 15),
    )
    for month in range(1, 13):
        if month == 6:
            actions.enter_value(share, date(2023, 6, 1), None, note="enkäterna inte insamlade")
        else:
            actions.enter_value(share, date(2023, month, 1), None, numerator=month, denominator=20)
    actions.add_indicator(project, name="Antal recept Oxikodon", kind="balancing", source="Medrave")
    actions.start_pdsa(
        project,
        None,
        indicators=[share],
        idea=via_apc,
        title="Utbildning av läkargruppen",
        objective="Bättre bedömning",
        prediction="Fler känner sig säkra",
        plan="Två föreläsningar i mars",
        starts_on=date(2023, 3, 13),
        do="Genomfört",
        study="Som väntat",
        act="adopt",
    )
    return project


def headings(built, level=None) -> list[str]:
    return [b.text for b in built.blocks if isinstance(b, Heading) and level in (None, b.level)]


def after(built, heading: str):
    """The block right after a heading."""
    index = next(i for i, b in enumerate(built.blocks) if getattr(b, "text", None) == heading)
    return built.blocks[index + 1]


def test_part_1_follows_the_templates_order_and_wording(clinic):
    built = report.build(vendelso(clinic), part2=False, charts=False)

    assert built.name == "Vendelsö vårdcentral Kronisk smärta 2023 del 1"
    assert headings(built)[:8] == [
        "Kvalitetsarbete/Förbättringsarbete 2023",
        "Information om husläkarmottagningen",
        "DEL 1 – Planen",
        "Kontaktperson för kvalitetsarbetet med namn, profession och e-postadress",
        "Att involvera flera",
        "A: Ange övriga teammedlemmar och deras professioner",
        headings(built)[6],
        "Kartläggning. Vad vill ni åstadkomma och varför?",
    ]
    assert headings(built)[8:] == [
        "Val av tema för förbättringsarbetet",
        "Mål (Vad vill ni uppnå?)",
        "Mått och mätetal (indikatorer)",
        "Action",
        "PGSA 1: Utbildning av läkargruppen",
    ]
    assert Paragraph("del 1 och del 2: Kronisk smärta") in built.blocks
    assert Field("Mottagningens namn", "Vendelsö vårdcentral") in built.blocks
    assert after(built, "A: Ange övriga teammedlemmar och deras professioner").text == (
        "Hanna Winberg, ST-läkare Allmänmedicin\nJennelie Kjörling, PTP-psykolog"
    )
    assert "DEL 2 – Slutredovisningen" not in headings(built)
    assert after(built, "Action").text.startswith("Utarbetande av tydlig rutin")  # then PGSA 1


def test_it_leaves_out_the_regions_instructions_and_addresses(clinic):
    built = report.build(vendelso(clinic), part2=True, charts=False)
    text = repr(built.blocks)
    for instruction in ("http", "regionstockholm.se", "Radera EJ", "Spara detta dokument"):
        assert instruction not in text


def test_causes_sit_beside_their_numbered_ideas(clinic):
    built = report.build(vendelso(clinic), part2=False, charts=False)
    [causes] = [b for b in built.blocks if isinstance(b, Table) and "Orsaker" in b.header[0]]
    assert causes.header[1] == "Idéer till lösningar (För att nå målen)"
    assert causes.rows == (
        ("1: Bristande kunskap hos vårdgivare", "1.1: Internutbildning\n1.2: Utbildning via APC"),
        ("2: Tidsbrist vid bedömningssamtal", ""),
    )


def test_the_indicator_table_has_the_templates_columns_and_rows(clinic):
    built = report.build(vendelso(clinic), part2=False, charts=False)
    table = after(built, "Mått och mätetal (indikatorer)")
    assert table.header[1:] == (
        "Indikatornamn",
        "Nuläge = Startläge (% eller antal)",
        "Datum/period för startläge",
        "Mål (% eller antal)",
        "Källa",
        "Datum för att uppnå målvärdet",
    )
    assert table.rows[0] == (
        "Indikator 1",
        "Andel patienter som upplever minskad smärta",
        "0 %",
        "230313",
        ">50 %",
        "Enkät före och efter",
        "2023-12-31",
    )
    assert [row[0] for row in table.rows] == ["Indikator 1", "Indikator 2"]


def test_part_2_adds_results_at_least_five_rows_and_the_reflection(clinic):
    built = report.build(vendelso(clinic), part2=True, charts=False)

    assert built.name == "Vendelsö vårdcentral Kronisk smärta 2023 del 1 och 2"
    part2 = headings(built)[headings(built).index("DEL 2 – Slutredovisningen") :]
    assert part2[1:4] == [
        "Vilka förbättringsidéer har ni testat och vilka arbetssätt har ni infört och "
        "standardiserat?",
        "Resultat",
        "Övriga kommentarer",
    ]
    assert part2[4:6] == ["Slutreflektion", "Vad har ni lärt er?"]
    assert part2[-1] == "Vad har ni för plan framåt gällande detta område?"
    results = after(built, "Resultat")
    assert results.header[5] == "Resultat (% eller antal)"
    assert results.header[7] == "Datum/period för resultatvärdet"
    assert results.rows[0][2:] == (
        "0 %",
        "230313",
        ">50 %",
        "25 %",
        "Enkät före och efter",
        "2023-12-15",
    )
    assert [row[0] for row in results.rows] == [f"Indikator {n}" for n in range(1, 6)]
    assert after(built, "Vad har ni lärt er?").text == "Projektet var för omfattande."


def test_a_result_in_words_and_its_period_as_vendelso_wrote_them(clinic):
    project = vendelso(clinic)
    oxycodone = project.indicators.get(number=2)
    oxycodone.result_text = "Minskning med 17 %"
    oxycodone.result_period = "Jmf 230313–231231 med 220313–221231"
    oxycodone.definition = "Recept på oxikodon (N02AA05) utfärdade under perioden."
    oxycodone.save()
    built = report.build(project, part2=True, charts=False)

    row = after(built, "Resultat").rows[1]
    assert (row[5], row[7]) == ("Minskning med 17 %", "Jmf 230313–231231 med 220313–221231")
    assert after(built, "Operationella definitioner").text == (
        "Indikator 2: Recept på oxikodon (N02AA05) utfärdade under perioden."
    )


def test_each_measured_indicator_has_its_chart_and_months_below_the_table(clinic):
    part1 = report.build(vendelso(clinic), part2=False)

    [figure] = part1.figures  # the count has no measurement yet: nothing to draw
    assert figure.png.startswith(b"\x89PNG")
    assert figure.caption == "Indikator 1: Andel patienter som upplever minskad smärta"
    assert figure.table.rows[0] == ("januari 2023", "1", "20", "5 %", "")
    assert figure.table.rows[5] == ("juni 2023", "", "", "", "enkäterna inte insamlade")
    assert len(figure.table.rows) == 12


def test_a_whole_report_draws_the_charts_once_under_the_results(clinic):
    built = report.build(vendelso(clinic), part2=True, charts=False)
    index = {id(b): i for i, b in enumerate(built.blocks)}
    [figure] = built.figures
    assert index[id(figure)] > built.blocks.index(Heading("Resultat", 2))


def test_the_pdsa_cycle_gives_the_four_steps(clinic):
    built = report.build(vendelso(clinic), part2=False, charts=False)
    start = built.blocks.index(Heading("PGSA 1: Utbildning av läkargruppen", 3))
    fields = {b.label: b.value for b in built.blocks[start + 1 : start + 11]}
    assert fields["Idé"] == "1.2: Utbildning via APC"
    assert fields["Planera"] == "Två föreläsningar i mars"
    assert (fields["Göra"], fields["Studera"], fields["Agera"]) == (
        "Genomfört",
        "Som väntat",
        "Införa",
    )


def test_a_personnummer_typed_into_an_answer_is_masked_but_a_period_is_kept(clinic):
    project = vendelso(clinic)
    actions.update_project(project, comments="Patient 19121212-1212, perioden 220313-221231")
    built = report.build(project, part2=True, charts=False)
    assert after(built, "Övriga kommentarer").text == (
        "Patient [personnummer], perioden 220313-221231"
    )


def test_an_empty_project_still_has_every_heading_and_the_templates_rows(clinic):
    project = actions.create_project(clinic, None, year=2025, theme="Smärta")
    built = report.build(project, part2=True, charts=False)
    assert "Slutreflektion" in headings(built)
    assert not built.figures
    assert len(after(built, "Mått och mätetal (indikatorer)").rows) == 2
    assert isinstance(built.blocks[-1], Paragraph)
    assert all(not isinstance(b, Figure) for b in built.blocks)
