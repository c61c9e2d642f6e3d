"""The chart's signals in plain Swedish words (painpath/improvement/signals.py)."""

from painpath.improvement import signals, spc

LABELS = [f"m{i}" for i in range(1, 21)]


def test_a_shift_is_named_as_a_long_run_and_too_few_crossings():
    result = spc.analyse("run", values=[2] * 10 + [8] * 10, labels=LABELS)
    words = signals.describe(result, direction="up")  # of two runs as long, the latest
    assert words[0] == (
        "Ovanligt lång serie: 10 punkter i rad över medianen (gränsen är 7), från m11 till "
        "m20 – tecken på en verklig förändring. Förändringen är åt det håll ni vill."
    )
    assert words[1].startswith("För få korsningar: kurvan korsar medianen 1 gång, men minst 6")
    assert not any("Inga tecken" in sentence for sentence in words)


def test_the_run_above_the_centre_is_the_wished_for_direction_when_higher_is_better():
    values = [2, 3, 2, 3, 2, 3] + [9] * 9 + [2, 3, 2, 3, 2]
    result = spc.analyse("run", values=values, labels=LABELS)
    [run] = [s for s in signals.describe(result, direction="up") if s.startswith("Ovanligt")]
    assert "9 punkter i rad över medianen" in run and "från m7 till m15" in run
    assert run.endswith("Förändringen är åt det håll ni vill.")


def test_random_looking_variation_has_no_signal():
    values = [5, 3, 6, 2, 7, 4, 8, 3, 5, 6, 2, 7, 4, 6, 3, 8, 5, 2, 6, 4]
    result = spc.analyse("run", values=values, labels=LABELS)
    assert not result.phases[0].runs_signal  # the series is what it claims to be
    assert signals.describe(result) == [
        "Inga tecken på icke-slumpmässig variation: kurvan varierar som slumpen väntas."
    ]


def test_a_point_outside_the_limits_is_named_by_its_month():
    values = [4, 5, 6, 5, 4, 5, 6, 5, 4, 30, 5, 4]
    labels = ["januari 2024", "februari 2024", "mars 2024", "april 2024", "maj 2024",
              "juni 2024", "juli 2024", "augusti 2024", "september 2024", "oktober 2024",
              "november 2024", "december 2024"]  # fmt: skip
    result = spc.analyse("c", values=values, labels=labels)
    words = signals.describe(result, direction="down")
    assert (
        "Punkt utanför kontrollgränserna: oktober 2024 – en särskild orsak är trolig. "
        "Förändringen är åt fel håll."
    ) in words


def test_a_short_series_says_the_rules_can_say_little():
    result = spc.analyse("run", values=[1, 2, 3, 2, 1], labels=LABELS[:5])
    assert any(s.startswith("Bara 3 användbara punkter") for s in signals.describe(result))


def test_phases_are_named_and_nothing_measured_says_so():
    result = spc.analyse("run", values=[2] * 10 + [8] * 10, labels=LABELS, parts=[10])
    words = signals.describe(result)
    assert all(s.startswith(("Fas 1: ", "Fas 2: ", "Inga tecken")) for s in words)
    assert signals.describe(None) == ["Inga mätvärden ännu: ingen månad har något värde."]
