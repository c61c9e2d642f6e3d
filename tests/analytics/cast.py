"""Plain row makers for the spec suite: one line per fact, defaults for the rest."""

from datetime import date


def d(text: str) -> date:
    return date.fromisoformat(text)


def patient(pid: int, sex: str = "female", birth_year: int | None = 1960) -> dict:
    return {"patient_id": pid, "sex": sex, "birth_year": birth_year}


def listing(pid: int, clinic: str = "a", listed_from=None, listed_to=None) -> dict:
    return {
        "patient_id": pid,
        "clinic_id": clinic,
        "listed_from": d(listed_from) if listed_from else None,
        "listed_to": d(listed_to) if listed_to else None,
    }


def dx(pid, day, code="R52.2", caregiver="c1", profession="physician", clinic="a") -> dict:
    return {
        "patient_id": pid,
        "clinic_id": clinic,
        "date": d(day),
        "code": code,
        "caregiver_id": caregiver,
        "profession": profession,
    }


def contact(pid: int, day: str, clinic: str = "a") -> dict:
    return {"patient_id": pid, "clinic_id": clinic, "date": d(day)}


def contacts(pid: int, count: int, day: str = "2021-06-01", clinic: str = "a") -> list[dict]:
    return [contact(pid, day, clinic) for _ in range(count)]


def certificate(pid, start, end, code="R52.2", clinic="a") -> dict:
    return {"patient_id": pid, "clinic_id": clinic, "start": d(start), "end": d(end),
            "code": code}  # fmt: skip


def rx(pid, day, atc="N02AA05", strength=5.0, pack_size=20.0, packages=1.0, clinic="a"):
    return {"patient_id": pid, "clinic_id": clinic, "date": d(day), "atc": atc,
            "strength_mg": strength, "pack_size": pack_size, "packages": packages}  # fmt: skip
