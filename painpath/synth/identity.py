"""Patient ids and staff names for synthetic data: nobody real.

Only Skatteverket's published test personnummer (testnumbers.py) may stand for a person. Any
other number with a valid check digit may be someone's: the födelsenummer series 980-999,
sometimes said to be reserved for tests, is not. Skatteverket's own list uses it for people
born around 1900, and other series for later years (238/239 for 1990, for instance), so a
generated `19620921-9887` can be a real person, and here they would get a made-up pain
diagnosis.

So a patient whose birth year and sex match a published test number is given it (each
number once per clinic) with their birth date set to its date, written in the forms extracts
use, to exercise the importer: `YYYYMMDD-NNNC` mostly, some `YYYYMMDDNNNC`, a few ten-digit
`YYMMDD-NNNC`. Everyone else gets an opaque id, `habo-p000123`, as a pseudonymised extract
gives them. Staff names are common Swedish first names and surnames combined at random.
"""

import random
from datetime import date

from painpath.synth.testnumbers import SKATTEVERKET_TEST_NUMBERS

ID_FORMS = ("dashed", "compact", "short")
# Mostly dashed, then compact, now and then the ten-digit form.
_FORM_CYCLE = ("dashed", "compact", "dashed", "short", "dashed", "compact")


def written(number: str, form: str) -> str:
    """A 12-digit personnummer in one of the written forms."""
    if form == "compact":
        return number
    if form == "short":
        return f"{number[2:8]}-{number[8:]}"
    return f"{number[:8]}-{number[8:]}"


def short_form_allowed(birth_year: int) -> bool:
    """The ten-digit form leaves the century to the reader (`+` after a hundredth birthday):
    only for people who read the same for decades either way."""
    return 1940 <= birth_year <= 2015


def assign_ids(rng: random.Random, patients: list, clinic_id: str) -> None:
    """Give every patient an opaque id, and the published test numbers to matching patients."""
    born: dict[tuple[int, str], list] = {}
    for n, patient in enumerate(patients, 1):
        patient.patient_id = f"{clinic_id}-p{n:06d}"
        born.setdefault((patient.birth_year, patient.sex), []).append(patient)
    for index, (number, sex) in enumerate(SKATTEVERKET_TEST_NUMBERS):
        compact = number.replace("-", "")
        birth = date(int(compact[:4]), int(compact[4:6]), int(compact[6:8])).toordinal()
        candidates = [
            p
            for p in born.get((int(compact[:4]), sex), ())
            if p.number is None and p.listed_from > birth + 30
        ]
        if not candidates:
            continue  # a small clinic may have nobody born that year
        patient = rng.choice(candidates)
        patient.number, patient.birth = compact, birth
        form = _FORM_CYCLE[index % len(_FORM_CYCLE)]
        if form == "short" and not short_form_allowed(patient.birth_year):
            form = "dashed"
        patient.id_form = form


FEMALE_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Johanna", "Lena", "Kristina", "Elin",
    "Sofia", "Malin", "Linnea", "Ida", "Helena", "Cecilia", "Frida", "Hanna", "Ingrid",
    "Amira", "Leila", "Agnes", "Therese", "Ulrika", "Jenny", "Åsa", "Maja", "Camilla",
)  # fmt: skip
MALE_NAMES = (
    "Lars", "Anders", "Johan", "Per", "Erik", "Karl", "Peter", "Mikael", "Fredrik", "Jonas",
    "Magnus", "Mattias", "Henrik", "Oskar", "Viktor", "Gustav", "Björn", "Stefan", "Ali",
    "Omar", "Nils", "Olof", "David", "Tobias", "Pontus", "Jakob", "Emil", "Rasmus",
)  # fmt: skip
SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Bengtsson", "Lindberg",
    "Magnusson", "Olofsson", "Lindström", "Lindqvist", "Lindgren", "Axelsson", "Bergström",
    "Lundberg", "Lundgren", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Forsberg",
    "Sjöberg", "Wallin", "Engström", "Eklund", "Håkansson", "Holm", "Fransson", "Nyström",
    "Holmberg", "Arvidsson", "Hassan", "Ahmadi", "Nieminen", "Kowalski", "Ek", "Dahl",
)  # fmt: skip


def staff_names(rng: random.Random, count: int) -> list[str]:
    """`count` different fictional names, women and men about equally."""
    names: list[str] = []
    while len(names) < count:
        first = rng.choice(FEMALE_NAMES if rng.random() < 0.55 else MALE_NAMES)
        name = f"{first} {rng.choice(SURNAMES)}"
        if name not in names:
            names.append(name)
    return names
