"""Small-cell protection for a deep-dive shared outside the clinic.

With few patients a count can point at a person. `hide_small_counts` returns a copy of a
deep-dive where:
- every count of patients from 1 to `threshold - 1` (default 5: counts under 5) is None;
- secondary suppression: where cells add up to a total that is shown (sex, professions per
  patient, contacts per patient, combinations, sick leave by sex), a single hidden cell
  could be recovered by subtraction, so the next smallest shown cell is hidden too;
- a share whose numerator or denominator is hidden is hidden;
- figures about single persons (earliest and latest birth year, the clinic's heaviest
  users, the longest sick-leave spell) are hidden altogether.
Zero is shown: it reveals no one. The threshold is a policy (shared/spec/engines.md).
"""

import copy

THRESHOLD = 5


def hide_small_counts(result: dict, threshold: int = THRESHOLD) -> dict:
    out = copy.deepcopy(result)

    def small(value) -> bool:
        return isinstance(value, int) and 0 < value < threshold

    def hide(mapping: dict, key: str) -> None:
        if small(mapping.get(key)):
            mapping[key] = None

    def hide_group(cells: list[tuple[dict, str]], total) -> None:
        for mapping, key in cells:
            hide(mapping, key)
        if total is None:
            return
        hidden = [cell for cell in cells if cell[0][cell[1]] is None]
        shown = [cell for cell in cells if cell[0][cell[1]]]
        if len(hidden) == 1 and shown:
            mapping, key = min(shown, key=lambda cell: cell[0][cell[1]])
            mapping[key] = None

    hide(out, "patients")
    patients = out["patients"]
    if patients is None:
        out["share_of_listed"] = None
    hide_group([(out["sex"], key) for key in out["sex"]], patients)
    out["birth_year"] = {"min": None, "max": None}
    for key in out["by_profession"]:
        hide(out["by_profession"], key)
    hide_group([(out["professions_per_patient"], k) for k in out["professions_per_patient"]],
               patients)  # fmt: skip
    multi = out["multi_profession"]
    hide(multi, "patients")
    hide_group([(c, "patients") for c in out["combinations"]], multi["patients"])
    if multi["patients"] is None or patients is None:
        multi["share"] = None
    hide(out, "single_profession_same_caregiver")
    several = out["same_profession_several_caregivers"]
    hide(several, "patients")
    for key in several["by_profession"]:
        hide(several["by_profession"], key)
    contacts = out["contacts"]
    hide(contacts, "frequent_attenders")
    contacts["clinic_top10"] = None
    if "per_patient" in contacts:
        hide_group([(band, "patients") for band in contacts["per_patient"]], patients)
    leave = out["sick_leave"]
    hide(leave, "patients")
    hide_group([(leave, "female"), (leave, "male")], leave["patients"])
    hide(leave, "spells")
    hide(leave, "under_90_days")
    leave["longest_days"] = None
    out["hidden_below"] = threshold
    return out
