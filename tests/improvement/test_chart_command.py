"""`painpath chart`: a CSV series in, the core's numbers as JSON or a picture out."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

SEMICOLON_EXTRACT = """månad;täljare;nämnare;notering
2024-01;12;50;
2024-02;15;50;
2024-03;8;50;PDSA 1: ny kallelse
2024-04;10;50;
2024-05;4;50;
2024-06;7;50;
2024-07;16;50;
2024-08;9;50;
2024-09;14;50;
2024-10;10;50;
2024-11;5;50;
2024-12;6;50;
2025-01;17;50;
2025-02;12;50;
2025-03;22;50;
"""


def run(tmp_path, text, *args, encoding="utf-8"):
    path = tmp_path / "serie.csv"
    path.write_bytes(text.encode(encoding))
    out = StringIO()
    call_command("chart", *args[:1], str(path), *args[1:], stdout=out)
    return out.getvalue()


def test_it_prints_the_qicharts2_summary_names_as_json(tmp_path):
    data = json.loads(run(tmp_path, SEMICOLON_EXTRACT, "p", "--exclude", "15", "--target", "0,2"))
    phase = data["phases"][0]
    for name in ("cl", "n_useful", "longest_run", "longest_run_max", "n_crossings"):
        assert name in phase
    assert (phase["n_useful"], phase["n_crossings_min"], phase["runs_signal"]) == (14, 4, False)
    assert phase["cl"] == pytest.approx(
        (12 + 15 + 8 + 10 + 4 + 7 + 16 + 9 + 14 + 10 + 5 + 6 + 17 + 12) / 700
    )
    point = data["points"][2]
    assert point["y"] == 8 / 50 and point["note"] == "PDSA 1: ny kallelse"
    assert {"cl", "lcl", "ucl", "sigma_signal"} <= set(point)
    assert data["target"] == 0.2
    assert data["points"][14]["included"] is False and data["points"][14]["sigma_signal"] is True
    assert data["signals"] == ["1 punkt utanför styrgränserna: 2025-03."]


def test_it_reads_commas_decimal_commas_and_windows_1252(tmp_path):
    text = 'vecka,värde\nv1,"3,5"\nv2,4\nv3,"4,5"\nv4,\nv5,5\n'
    data = json.loads(run(tmp_path, text, "run", encoding="cp1252"))
    assert [p["y"] for p in data["points"]] == [3.5, 4.0, 4.5, None, 5.0]
    assert data["phases"][0]["cl"] == 4.25


def test_it_splits_phases_and_freezes_a_baseline(tmp_path):
    text = "period;value\n" + "".join(
        f"{i};{v}\n" for i, v in enumerate([5, 6, 5, 7, 6, 9, 9, 8, 9, 9], 1)
    )
    data = json.loads(run(tmp_path, text, "i", "--part", "5"))
    assert [p["cl"] for p in data["phases"]] == [pytest.approx(5.8), pytest.approx(8.8)]
    data = json.loads(run(tmp_path, text, "i", "--freeze", "5"))
    assert data["phases"][0]["freeze"] == 5 and data["phases"][0]["cl"] == pytest.approx(5.8)


def test_it_draws_svg_to_stdout_and_png_to_a_file(tmp_path):
    svg = run(tmp_path, SEMICOLON_EXTRACT, "p", "--format", "svg", "--freeze", "12")
    assert svg.startswith("<svg") and "PDSA 1: ny kallelse" in svg and "Efter baslinjen" in svg
    out = tmp_path / "diagram.png"
    run(tmp_path, SEMICOLON_EXTRACT, "p", "--format", "png", "--out", str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "text, args, message",
    [
        ("period;value\n1;2\n2;x\n", ["run"], "Rad 3: 'x' i kolumnen 'value' är inget tal."),
        ("period;antal\n1;2\n", ["run"], "Rad 1: okänd kolumn 'antal'"),
        ("period;value\n1;2\n1;3\n", ["run"], "Rad 3: perioden '1' finns redan på rad 2."),
        ("period;value\n1;2\n2;3\n", ["p"], "behöver kolumnerna 'numerator' och 'denominator'"),
        ("p;numerator;denominator\n1;6;5\n", ["p"], "täljaren (6) är större än nämnaren (5)"),
        ("period;value\n1;2\n2;3\n", ["i", "--exclude", "3"], "--exclude 3: filen har 2 punkter"),
        ("period;value\n1;2\n2;3\n", ["i", "--part", "a"], "ange positioner som heltal"),
        ("", ["run"], "Filen är tom"),
    ],
)
def test_it_stops_with_a_swedish_message_and_exit_status_2(tmp_path, text, args, message):
    with pytest.raises(CommandError) as error:
        run(tmp_path, text, *args)
    assert message in str(error.value)
    assert error.value.returncode == 2


def test_a_file_it_cannot_read_as_text_or_a_place_it_cannot_write_is_exit_2(tmp_path):
    png = tmp_path / "bild.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x81\x8d\x8f\x90\x9d")
    with pytest.raises(CommandError, match="inte en textfil") as error:
        call_command("chart", "run", str(png))
    assert error.value.returncode == 2
    series = tmp_path / "serie.csv"
    series.write_text("period,value\n1,2\n2,3\n")
    for out in (tmp_path / "saknas" / "x.json", tmp_path):
        with pytest.raises(CommandError, match="Kan inte skriva") as error:
            call_command("chart", "run", str(series), "--out", str(out))
        assert error.value.returncode == 2
    for target in ("nan", "inf", "1e400"):
        with pytest.raises(CommandError, match="är inget tal"):
            call_command("chart", "run", str(series), "--target", target)


def test_it_reads_excels_unicode_text_and_says_when_the_period_column_is_missing(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("månad\tvalue\n2024-01\t3\n2024-02\t5\n".encode("utf-16"))
    out = StringIO()
    call_command("chart", "run", str(path), stdout=out)
    assert [p["label"] for p in json.loads(out.getvalue())["points"]] == ["2024-01", "2024-02"]
    with pytest.raises(CommandError, match="den första kolumnen ska vara perioden"):
        run(tmp_path, "value\n2\n3\n", "run")


def test_a_month_of_0_of_0_has_no_limits_and_screening_can_be_turned_off(tmp_path):
    text = "m,numerator,denominator\n1,30,100\n2,32,100\n3,0,0\n4,28,100\n5,35,100\n"
    point = json.loads(run(tmp_path, text, "p"))["points"][2]
    assert (point["y"], point["lcl"], point["ucl"]) == (None, None, None)
    values = "m,value\n" + "".join(
        f"{i},{v}\n" for i, v in enumerate([5, 6] * 5 + [40] + [5, 6] * 5, 1)
    )
    screened = json.loads(run(tmp_path, values, "i"))["points"][0]["ucl"]
    every = json.loads(run(tmp_path, values, "i", "--no-screening"))["points"][0]["ucl"]
    assert every > screened
