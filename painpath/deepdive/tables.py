"""The deep-dive's figures as the tables the Habo report shows, ready for a template.

One column per period; with a comparison a third, "Skillnad": period B minus period A, in
counts, or in percentage points for shares. A value hidden by small-cell suppression
(None in the result) is shown as "<5" where it is a count and "–" where it is derived; a
difference involving a hidden value is hidden too, so it cannot give the value away.
"""

from dataclasses import dataclass, field
from enum import Enum

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from painpath.analytics.cohort import CONTACT_BANDS
from painpath.deepdive.formats import combination_label, profession_label, swedish_sort_key
from painpath.records.professions import PROFESSIONS

BANDS = tuple(name for name, _low, _high in CONTACT_BANDS)
HIDDEN = "<5"
NOTHING = "–"
MINUS = "\u2212"  # a real minus sign, as Swedish typography and screen readers want


class Kind(Enum):
    COUNT = "count"  # of patients: hidden when under 5, shown as "<5"
    # A count among parts of a shown total (sex, bands, combinations …): hidden when small,
    # or when it would let a small one be worked out by subtraction. Not "<5" then, as it
    # may be larger: "–".
    PART = "part"
    DERIVED = "derived"  # a count hidden for what it would reveal, not for being small: "–"
    SHARE = "share"  # a fraction 0..1, shown as a percentage; differences in %-enheter
    YEAR = "year"  # shown without grouping; no difference
    RANKED = "ranked"  # different patients in each period: no difference; never hidden


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | None = None
    hidden: bool = False  # suppressed for sharing: the template explains it


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]
    key: str = ""  # a stable name for data-figure attributes and tests
    level: int = 0  # 1: a "varav" row under the one before
    percent: bool = False  # values in per cent, the difference in percentage points


@dataclass(frozen=True)
class Group:
    heading: str
    rows: list[Row]


@dataclass
class Table:
    key: str
    caption: str
    label_heading: str
    value_heading: str
    groups: list[Group] = field(default_factory=list)
    note: str = ""
    empty_text: str = ""

    @property
    def empty(self) -> bool:
        return not any(group.rows for group in self.groups)


def period_label(contract: dict) -> str:
    return f"{contract['period']['from']} – {contract['period']['to']}"


def headlines(result: dict) -> list[dict]:
    """Per period, what the report's first sentence says: period, codes, unique patients."""
    hide_small = bool(result.get("query", {}).get("hide_small"))
    contracts = [result["main"]] + ([result["compare"]] if result.get("compare") else [])
    return [
        {
            "start": contract["period"]["from"],
            "end": contract["period"]["to"],
            "diagnoses": ", ".join(contract.get("diagnoses") or []),
            "patients": format_value(contract.get("patients"), Kind.COUNT, hide_small),
        }
        for contract in contracts
    ]


def build_tables(result: dict) -> list[Table]:
    """Every table of the page, in the report's order."""
    columns = _Columns(result)
    return [
        _summary(columns),
        _professions(columns),
        _professions_per_patient(columns),
        _combinations(columns),
        _continuity(columns),
        _contacts(columns),
        _contacts_per_patient(columns),
        _top_ten(columns),
        _sick_leave(columns),
        _sex(columns),
        _birth_years(columns),
    ]


def format_value(value, kind: Kind, hide_small: bool) -> Cell:
    if value is None:
        if kind is Kind.RANKED:  # no cohort patient at that place
            return Cell(NOTHING)
        small = hide_small and kind is Kind.COUNT
        return Cell(HIDDEN if small else NOTHING, None, hidden=hide_small)
    if kind is Kind.SHARE:
        # Rounded here: Django's number_format cuts off decimals rather than rounding.
        return Cell(f"{number_format(round(value * 100, 1), 1)} %", round(value * 100, 2))
    if kind is Kind.YEAR:
        return Cell(str(value), value)
    return Cell(number_format(value, force_grouping=True), value)


def format_difference(a, b, kind: Kind) -> Cell:
    if kind in (Kind.YEAR, Kind.RANKED):
        return Cell("")
    if a is None or b is None:
        return Cell(NOTHING)
    if kind is Kind.SHARE:
        points = round((b - a) * 100, 1)
        return Cell(_("%(points)s %%-enheter") % {"points": _signed(points, 1)}, points)
    return Cell(_signed(b - a, 0), b - a)


def _signed(number, decimals: int) -> str:
    text = number_format(abs(number), decimals or None, force_grouping=True)
    if number > 0:
        return f"+{text}"
    return f"{MINUS}{text}" if number < 0 else text


class _Columns:
    """The periods side by side: one value getter gives a row of cells for all of them."""

    def __init__(self, result: dict):
        self.main = result["main"]
        self.compare = result.get("compare")
        self.periods = [self.main] + ([self.compare] if self.compare else [])
        self.hide_small = bool(result.get("query", {}).get("hide_small"))

    def row(self, label: str, get, kind: Kind = Kind.COUNT, key: str = "", level: int = 0):
        values = [_safe(get, period) for period in self.periods]
        cells = [format_value(value, kind, self.hide_small) for value in values]
        if self.compare:
            cells.append(format_difference(values[0], values[1], kind))
        return Row(label, cells, key=key, level=level, percent=kind is Kind.SHARE)

    def table(self, key, caption, label_heading, value_heading=None, note="") -> Table:
        return Table(key, caption, label_heading, value_heading or _("Antal patienter"), note=note)


def _safe(get, contract: dict):
    """The value, or None where the result has no such figure (hidden or absent)."""
    try:
        return get(contract)
    except (KeyError, TypeError, IndexError):
        return None


def _share(part, whole):
    if part is None or not whole:
        return None
    return round(part / whole, 4)


def _summary(c: _Columns) -> Table:
    table = c.table("summary", _("Patienter"), _("Mått"), _("Antal"))
    table.groups.append(
        Group(
            "",
            [
                c.row(_("Unika patienter med diagnosen"), lambda r: r["patients"], key="patients"),
                c.row(
                    _("Listade patienter (periodens sista dag)"),
                    lambda r: r["listed_patients"],
                    key="listed_patients",
                ),
                c.row(
                    _("Andel av listade"),
                    lambda r: r["share_of_listed"],
                    Kind.SHARE,
                    key="share_of_listed",
                ),
            ],
        )
    )
    return table


def _profession_codes(c: _Columns, get) -> list[str]:
    """Codes present in any period, most patients (in period A) first, as the report does."""
    codes = {code for period in c.periods for code in (_safe(get, period) or {})}

    def order(code):
        count = (_safe(get, c.main) or {}).get(code)
        known = code in PROFESSIONS
        return (count is None, -(count or 0), not known, PROFESSIONS.index(code) if known else 0)

    return sorted(codes, key=order)


def _professions(c: _Columns) -> Table:
    table = c.table(
        "professions",
        _("Fördelning mellan professioner"),
        _("Profession"),
        note=_("Samma patient kan ha träffat mer än en profession."),
    )
    rows = [
        c.row(
            profession_label(code), lambda r, code=code: r["by_profession"].get(code, 0), key=code
        )
        for code in _profession_codes(c, lambda r: r["by_profession"])
    ]
    table.groups.append(Group("", rows))
    return table


def _professions_per_patient(c: _Columns) -> Table:
    table = c.table("professions_per_patient", _("Antal professioner per patient"), _("Antal"))
    counts = sorted(
        {int(n) for period in c.periods for n in (period.get("professions_per_patient") or {})}
    )
    rows = [
        c.row(
            ngettext("%(n)s profession", "%(n)s professioner", n) % {"n": n},
            lambda r, n=n: r["professions_per_patient"].get(str(n), 0),
            Kind.PART,
            key=str(n),
        )
        for n in counts
    ]
    table.groups.append(Group("", rows))
    return table


def _combinations(c: _Columns) -> Table:
    table = c.table("combinations", _("Kombinationer av professioner"), _("Professioner"))
    seen: dict[tuple, None] = {}
    for period in c.periods:
        for combination in period.get("combinations") or []:
            seen.setdefault(tuple(combination["professions"]), None)

    def patients(r, professions):
        for combination in r["combinations"]:
            if tuple(combination["professions"]) == professions:
                return combination["patients"]
        return 0  # a combination no patient had in this period

    by_size: dict[int, list[Row]] = {}
    for professions in seen:
        row = c.row(
            combination_label(professions),
            lambda r, p=professions: patients(r, p),
            Kind.PART,
            key="+".join(professions),
        )
        by_size.setdefault(len(professions), []).append(row)
    for size in sorted(by_size, reverse=True):
        heading = _("Patienten har träffat %(n)s professioner") % {"n": size}
        rows = sorted(by_size[size], key=lambda row: swedish_sort_key(row.label))
        table.groups.append(Group(heading, rows))
    return table


def _continuity(c: _Columns) -> Table:
    several = "same_profession_several_caregivers"
    rows = [
        c.row(
            _("Har bara träffat en profession"),
            lambda r: r["professions_per_patient"].get("1", 0),
            Kind.PART,
            key="one_profession",
        ),
        c.row(
            _("varav samma vårdgivare varje gång"),
            lambda r: r["single_profession_same_caregiver"],
            key="single_profession_same_caregiver",
            level=1,
        ),
        c.row(
            _("Har träffat mer än en profession"),
            lambda r: r["multi_profession"]["patients"],
            key="multi_profession",
        ),
        c.row(
            _("Andel som träffat mer än en profession"),
            lambda r: r["multi_profession"]["share"],
            Kind.SHARE,
            key="multi_profession_share",
        ),
        c.row(
            _("Har träffat minst två personer i samma profession"),
            lambda r: r[several]["patients"],
            key=several,
        ),
    ]
    for code in _profession_codes(c, lambda r: r[several]["by_profession"]):
        rows.append(
            c.row(
                _("varav %(profession)s") % {"profession": profession_label(code).lower()},
                lambda r, code=code: r[several]["by_profession"].get(code, 0),
                key=f"{several}.{code}",
                level=1,
            )
        )
    table = c.table("continuity", _("Kontinuitet"), _("Patienter som …"))
    table.groups.append(Group("", rows))
    return table


def _contacts(c: _Columns) -> Table:
    threshold = c.main.get("contacts", {}).get("threshold", 10)
    rows = [
        c.row(
            _("Mångsökare: fler än %(n)s kontakter") % {"n": threshold},
            lambda r: r["contacts"]["frequent_attenders"],
            key="frequent_attenders",
        ),
        c.row(
            _("Andel mångsökare av kohorten"),
            lambda r: _share(r["contacts"]["frequent_attenders"], r["patients"]),
            Kind.SHARE,
            key="frequent_attenders_share",
        ),
        c.row(
            _("Bland vårdcentralens tio patienter med flest kontakter"),
            lambda r: len(r["contacts"]["clinic_top10"]),
            Kind.DERIVED,
            key="clinic_top10",
        ),
    ]
    table = c.table("contacts", _("Kontakter och mångsökare"), _("Mått"))
    table.groups.append(Group("", rows))
    return table


def _contacts_per_patient(c: _Columns) -> Table:
    def patients(r, band):
        for entry in r["contacts"]["per_patient"]:
            if entry["band"] == band:
                return entry["patients"]
        return 0

    rows = [
        c.row(band, lambda r, band=band: patients(r, band), Kind.PART, key=band) for band in BANDS
    ]
    table = c.table("contacts_per_patient", _("Kontakter per patient"), _("Kontakter i perioden"))
    table.groups.append(Group("", rows))
    return table


def _top_ten(c: _Columns) -> Table:
    def contacts(r, rank):
        for entry in r["contacts"]["clinic_top10"]:
            if entry["rank"] == rank:
                return entry["contacts"]
        return None

    ranks = sorted(
        {
            entry["rank"]
            for period in c.periods
            for entry in (_safe(lambda r: r["contacts"]["clinic_top10"], period) or [])
        }
    )
    rows = [
        c.row(
            _("Plats %(rank)s") % {"rank": rank},
            lambda r, rank=rank: contacts(r, rank),
            Kind.RANKED,
            key=str(rank),
        )
        for rank in ranks
    ]
    table = c.table(
        "clinic_top10",
        _("Kohortens patienter bland vårdcentralens tio med flest kontakter"),
        _("Plats på vårdcentralen"),
        _("Kontakter"),
        note=_("Olika patienter i olika perioder: ingen skillnad räknas.") if c.compare else "",
    )
    table.groups.append(Group("", rows))
    if c.hide_small:  # about single persons: never shared
        table.empty_text = _("Dolt vid delning: uppgifter om enskilda patienter.")
    return table


def _sick_leave(c: _Columns) -> Table:
    rows = [
        c.row(
            _("Patienter med sjukskrivning kopplad till diagnosen"),
            lambda r: r["sick_leave"]["patients"],
            key="sick_leave",
        ),
        c.row(_("varav kvinnor"), lambda r: r["sick_leave"]["female"], Kind.PART, "female", 1),
        c.row(_("varav män"), lambda r: r["sick_leave"]["male"], Kind.PART, "male", 1),
        c.row(_("Sjukskrivningsperioder"), lambda r: r["sick_leave"]["spells"], key="spells"),
        c.row(
            _("varav kortare än 90 dagar"),
            lambda r: r["sick_leave"]["under_90_days"],
            key="under_90_days",
            level=1,
        ),
        c.row(
            _("Längsta period, dagar"),
            lambda r: r["sick_leave"]["longest_days"],
            Kind.DERIVED,
            key="longest_days",
        ),
    ]
    table = c.table("sick_leave", _("Sjukskrivning"), _("Mått"), _("Antal"))
    table.groups.append(Group("", rows))
    return table


def _sex(c: _Columns) -> Table:
    rows = [
        c.row(_("Kvinnor"), lambda r: r["sex"]["female"], Kind.PART, "female"),
        c.row(_("Män"), lambda r: r["sex"]["male"], Kind.PART, "male"),
        c.row(_("Okänt kön"), lambda r: r["sex"]["unknown"], Kind.PART, "unknown"),
    ]
    table = c.table("sex", _("Fördelning kön"), _("Kön"))
    table.groups.append(Group("", rows))
    return table


def _birth_years(c: _Columns) -> Table:
    rows = [
        c.row(_("Äldst: född år"), lambda r: r["birth_year"]["min"], Kind.YEAR, key="min"),
        c.row(_("Yngst: född år"), lambda r: r["birth_year"]["max"], Kind.YEAR, key="max"),
    ]
    table = c.table("birth_year", _("Åldersspridning"), _("Mått"), _("År"))
    table.groups.append(Group("", rows))
    return table
