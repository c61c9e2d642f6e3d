"""Prescriptions of a synthetic region: long-term medicines renewed, and short courses.

Each patient takes a few regular medicines, more with age and in the pain cohort (where
paracetamol, the gabapentinoids, amitriptyline and the opioids are common), each renewed a
few times a year while they take it; and now and then a short course (antibiotics, an NSAID,
a few days of codeine, tramadol or oxycodone after an injury). Oxycodone falls 17 % in 2024,
the change an opioid indicator should show. Gabapentin and pregabalin move from N03AX to
the newer N02BF codes in 2022, as registers did. Strength, packages and pack size are
mostly known; a patch's strength is per hour, not in mg, so it is missing.
"""

from datetime import date

import numpy as np

from painpath.synth.region_arrays import FOLLOW_UP_FIRST, Table, choose, expand, offset, workdays
from painpath.synth.region_population import Population

# key: (ATC, strength in mg or None, pack sizes, regular use weight: child, adult, 65+,
# cohort extra; short-course weight: child, adult)
PRODUCTS = {
    "ramipril": ("C09AA05", 5, (30, 100), (0, 8, 14, 0), (0, 0)),
    "amlodipine": ("C08CA01", 5, (30, 100), (0, 6, 11, 0), (0, 0)),
    "atorvastatin": ("C10AA05", 20, (30, 100), (0, 8, 14, 0), (0, 0)),
    "metformin": ("A10BA02", 500, (100,), (0, 4, 6, 0), (0, 0)),
    "levothyroxine": ("H03AA01", 0.1, (100,), (0, 4, 5, 0), (0, 0)),
    "omeprazole": ("A02BC01", 20, (28, 56, 100), (0, 6, 8, 2), (0, 0)),
    "aspirin": ("B01AC06", 75, (100,), (0, 1, 5, 0), (0, 0)),
    "apixaban": ("B01AF02", 5, (60, 168), (0, 0.5, 5, 0), (0, 0)),
    "sertraline": ("N06AB06", 50, (30, 100), (0.3, 5, 2, 2), (0, 0)),
    "escitalopram": ("N06AB10", 10, (28, 98), (0.2, 4, 2, 1), (0, 0)),
    "mirtazapine": ("N06AX11", 15, (30, 100), (0, 1.5, 2.5, 1), (0, 0)),
    "salbutamol": ("R03AC02", 0.1, (200,), (6, 3, 3, 0), (0, 0)),
    "budesonide_formoterol": ("R03AK07", 0.16, (120,), (1, 2, 3, 0), (0, 0)),
    "cetirizine": ("R06AE07", 10, (30, 100), (3, 2, 0.5, 0), (3, 2)),
    "paracetamol": ("N02BE01", 1000, (20, 100), (0, 3, 6, 3), (0, 0)),
    "paracetamol_depot": ("N02BE01", 665, (98,), (0, 1, 3, 6), (0, 0)),
    "ibuprofen": ("M01AE01", 400, (30, 100), (0, 2, 1, 4), (2, 6)),
    "naproxen": ("M01AE02", 250, (30, 100), (0, 1, 0.5, 2), (0, 3)),
    "oxazepam": ("N05BA04", 10, (25, 100), (0, 1.2, 1.5, 1), (0, 0)),
    "diazepam": ("N05BA01", 5, (25, 100), (0, 0.6, 0.5, 0.5), (0, 0)),
    "alprazolam": ("N05BA12", 0.5, (30, 100), (0, 0.4, 0.2, 0.3), (0, 0)),
    "zopiclone": ("N05CF01", 5, (30, 100), (0, 1.5, 3, 1.5), (0, 1)),
    "codeine_paracetamol": ("N02AJ06", 30, (20, 50, 100), (0, 0.6, 1, 3), (0, 2)),
    "tramadol": ("N02AX02", 50, (20, 100), (0, 0.4, 0.8, 2), (0, 1.5)),
    "oxycodone": ("N02AA05", 5, (20, 30, 100), (0, 0.2, 0.6, 1.5), (0, 1.5)),
    "oxycodone_depot": ("N02AA05", 10, (28, 98), (0, 0.2, 0.8, 2), (0, 0)),
    "morphine": ("N02AA01", 10, (30, 100), (0, 0.05, 0.3, 0.3), (0, 0)),
    "fentanyl": ("N02AB03", None, (5,), (0, 0.03, 0.2, 0.3), (0, 0)),
    "buprenorphine": ("N02AE01", None, (4,), (0, 0.03, 0.3, 0.3), (0, 0)),
    "gabapentin": ("N03AX12", 300, (100,), (0, 0.4, 0.6, 2), (0, 0)),
    "pregabalin": ("N03AX16", 75, (56, 100), (0, 0.6, 0.6, 3), (0, 0)),
    "amitriptyline": ("N06AA09", 10, (100,), (0, 0.6, 0.6, 3), (0, 0)),
    "duloxetine": ("N06AX21", 60, (28, 98), (0, 0.4, 0.3, 1.5), (0, 0)),
    "penicillin_v": ("J01CE02", 1000, (20, 40), (0, 0, 0, 0), (12, 10)),
    "amoxicillin": ("J01CA04", 500, (21, 30), (0, 0, 0, 0), (6, 4)),
    "pivmecillinam": ("J01CA08", 200, (10, 15), (0, 0, 0, 0), (0.5, 4)),
    "nitrofurantoin": ("J01XE01", 50, (30,), (0, 0, 0, 0), (0.5, 3)),
    "doxycycline": ("J01AA02", 100, (8, 14), (0, 0, 0, 0), (0, 3)),
    "prednisolone": ("H02AB06", 5, (20, 100), (0, 0.3, 1, 0), (1, 2)),
}
NEWER_ATC = {"gabapentin": "N02BF01", "pregabalin": "N02BF02"}  # from 2022
NEWER_ATC_FROM = offset(date(2022, 1, 1))
OXYCODONE_2024 = 0.83
REGULAR_MEDICINES = (0.15, 0.45, 0.9, 1.8, 2.6)  # mean count by age: <18, <45, <65, <80, 80+
COHORT_MEDICINES = 1.5
SHORT_COURSES = (0.3, 0.22, 0.3)  # a year, by age: <18, 18-64, 65+
UNKNOWN = 0.02  # packages or pack size not filled in

_KEYS = list(PRODUCTS)
ATCS = sorted({p[0] for p in PRODUCTS.values()} | set(NEWER_ATC.values()))
_ATC = np.array([ATCS.index(PRODUCTS[k][0]) for k in _KEYS])
_STRENGTH = np.array([np.nan if p[1] is None else p[1] for p in PRODUCTS.values()])
_PACKS = np.array([(list(p[2]) * 3)[:3] for p in PRODUCTS.values()], dtype=np.float64)
_PACK_CHOICES = np.array([len(p[2]) for p in PRODUCTS.values()])
_REGULAR = np.array([p[3] for p in PRODUCTS.values()]).T  # child, adult, old, cohort
_SHORT = np.array([p[4] for p in PRODUCTS.values()]).T  # child, adult


def make_prescriptions(
    rng: np.random.Generator, population: Population, cohort: np.ndarray
) -> Table:
    """`cohort` is a mask over patients: the long-term pain cohort."""
    age = population.age_in(2022)
    first, last = population.first, population.last
    group = np.select([age < 18, age < 65], [0, 1], 2)

    # Regular medicines: which ones, then renewals while taking them.
    mean = np.take(REGULAR_MEDICINES, np.searchsorted([18, 45, 65, 80], age, "right"))
    owner, _ = expand(rng.poisson(mean + COHORT_MEDICINES * cohort))
    product = np.empty(len(owner), dtype=np.int16)
    for g, weights in enumerate(_REGULAR[:3]):
        rows = np.flatnonzero(group[owner] == g)
        pain = cohort[owner[rows]] & (rng.random(len(rows)) < 0.5)
        product[rows] = np.where(
            pain, choose(rng, _REGULAR[3], len(rows)), choose(rng, weights, len(rows))
        )
    start, end = first[owner], last[owner]
    part = rng.random(len(owner)) < 0.3  # started or stopped during the period
    middle = start + (rng.random(len(owner)) * (end - start + 1)).astype(np.int32)
    later = rng.random(len(owner)) < 0.5
    start = np.where(part & later, middle, start)
    end = np.where(part & ~later, middle, end)
    a_year = rng.uniform(1.5, 4.0, len(owner))
    renewals = rng.poisson(a_year * (end - start + 1) / 365.25)
    rows, _ = expand(renewals)
    patient, product = owner[rows], product[rows]
    day = workdays(rng, start[rows], end[rows])
    packages = np.where(
        rng.random(len(rows)) < 0.7, 1.0, np.where(rng.random(len(rows)) < 0.33, 2.0, 3.0)
    )

    # Short courses.
    years = (last - first + 1) / 365.25
    short, _ = expand(rng.poisson(np.take(SHORT_COURSES, group) * years))
    short_product = np.where(
        group[short] == 0,
        choose(rng, _SHORT[0], len(short)),
        choose(rng, _SHORT[1], len(short)),
    )
    patient = np.concatenate([patient, short]).astype(np.int32)
    product = np.concatenate([product, short_product])
    day = np.concatenate([day, workdays(rng, first[short], last[short])])
    packages = np.concatenate([packages, np.ones(len(short))])

    keep = _fewer_oxycodone_in_2024(rng, product, day)
    patient, product, day, packages = patient[keep], product[keep], day[keep], packages[keep]
    return _table(rng, population, patient, product, day, packages)


def _fewer_oxycodone_in_2024(rng, product, day) -> np.ndarray:
    oxycodone = np.isin(product, [_KEYS.index("oxycodone"), _KEYS.index("oxycodone_depot")])
    return ~(oxycodone & (day >= FOLLOW_UP_FIRST) & (rng.random(len(day)) > OXYCODONE_2024))


def _table(rng, population, patient, product, day, packages) -> Table:
    # Sorted while narrow (product is two bytes); the other columns follow from it in order.
    order = Table({"patient_id": patient, "date": day, "product": product, "packages": packages})
    columns = order.sorted_by("date").columns
    patient, day, product, packages = columns.values()
    n = len(patient)
    atc = _ATC[product]
    for key, newer in NEWER_ATC.items():
        atc[(product == _KEYS.index(key)) & (day >= NEWER_ATC_FROM)] = ATCS.index(newer)
    pack = (rng.random(n) * _PACK_CHOICES[product]).astype(np.int64)
    pack_size = _PACKS[product, pack]
    strength = _STRENGTH[product]
    strength[rng.random(n) < UNKNOWN / 2] = np.nan
    packages[rng.random(n) < UNKNOWN] = np.nan
    pack_size[rng.random(n) < UNKNOWN] = np.nan
    columns = {
        "patient_id": patient,
        "clinic_id": population.clinic_on(patient, day),
        "date": day,
        "atc": atc,
        "strength_mg": strength,
        "packages": packages,
        "pack_size": pack_size,
    }
    return Table(columns, {"clinic_id": population.clinic_ids, "atc": ATCS})
