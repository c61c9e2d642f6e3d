"""Comparison (/forbattring/jamforelse/): a funnel plot of one indicator across clinics or
across the caregivers of one of the user's clinics, with a table of the same numbers, or
with ?format=json the numbers alone. Any logged-in user may compare clinics (aggregates
only); caregivers only of their own clinics. Counts only, so the audit event names no
patient."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from painpath.access.models import AuditAction
from painpath.access.policies import audit, clinics_for
from painpath.deepdive.charts import to_svg
from painpath.improvement import comparison
from painpath.improvement.catalogue import CATALOGUE
from painpath.improvement.forms_funnel import ComparisonForm
from painpath.improvement.funnel_charts import funnel_spec


def comparison_page(request):
    clinics = list(clinics_for(request.user))
    query = request.GET.copy()
    as_json = query.pop("format", [""])[-1] == "json"
    form = ComparisonForm(query, clinics=clinics, today=timezone.localdate())
    if not form.is_valid():
        if as_json:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return render(request, "improvement/funnel.html", {"form": form, "clinics": clinics})
    result = _compare(form)
    audit(request, AuditAction.VIEW, detail=f"jämförelse {result['indicator']}")
    if as_json:
        return JsonResponse(result, json_dumps_params={"ensure_ascii": False, "indent": 2})
    spec = funnel_spec(result, title=result["name"])
    context = {
        "form": form,
        "clinics": clinics,
        "result": result,
        "svg": to_svg(spec) if spec else None,
        "rows": _rows(result),
        "notes": _notes(result),
        "clinic_name": form.chosen_clinic().name if result["clinic"] else "",
        "overdispersion_text": _overdispersion_text(result),
        "theta_percent": None if result["theta"] is None else result["theta"] * 100,
        "json_query": _json_query(form),
    }
    return render(request, "improvement/funnel.html", context)


def _compare(form) -> dict:
    data = form.cleaned_data
    key, start, end, unit = data["indicator"], data["start"], data["end"], data["unit"]
    clinic = form.chosen_clinic()
    unattributed = 0
    if unit == comparison.CAREGIVERS:
        units, unattributed = comparison.caregiver_units(key, clinic, start, end)
    else:
        units = comparison.clinic_units(key, start, end, own=form.own_clinics)
    found = comparison.compare(units, data["overdispersion"])
    return {
        "indicator": key,
        "name": CATALOGUE[key].name,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "unit": unit,
        "clinic": clinic.code if unit == comparison.CAREGIVERS else None,
        "unattributed": unattributed,
        **found,
    }


def _json_query(form) -> str:
    data = form.cleaned_data
    clinic = form.chosen_clinic()
    return "?" + urlencode(
        {
            "indicator": data["indicator"],
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "unit": data["unit"],
            "clinic": clinic.code if clinic else "",
            "overdispersion": data["overdispersion"],
            "format": "json",
        }
    )


def _rows(result: dict) -> list[dict]:
    """The table's rows: the unit's name (or why it has none) and its position in words."""
    small = (
        _("Vårdgivare med färre än %(n)d patienter")
        if result["unit"] == comparison.CAREGIVERS
        else _("Vårdcentral med färre än %(n)d patienter")
    ) % {"n": comparison.SMALL}
    return [
        row
        | {
            "label": row["name"] or small,
            "words": comparison.POSITION_WORDS[row["position"]],
            "percent": row["share"] * 100,
        }
        for row in result["units"]
    ]


def _notes(result: dict) -> list[str]:
    notes = []
    if not result["units"]:
        notes.append(_("Ingen enhet har något att räkna under perioden."))
    if result["left_out"]:
        notes.append(
            ngettext(
                "%(n)d enhet utan något att räkna (nämnaren 0) är utelämnad.",
                "%(n)d enheter utan något att räkna (nämnaren 0) är utelämnade.",
                result["left_out"],
            )
            % {"n": result["left_out"]}
        )
    if result["unattributed"]:
        notes.append(
            ngettext(
                "%(n)d patient kunde inte knytas till någon vårdgivare (ingen registrering "
                "anger vårdgivare) och räknas inte här.",
                "%(n)d patienter kunde inte knytas till någon vårdgivare (ingen registrering "
                "anger vårdgivare) och räknas inte här.",
                result["unattributed"],
            )
            % {"n": result["unattributed"]}
        )
    if any(not row["named"] for row in result["units"]):
        notes.append(
            _("Enheter med färre än %(n)d patienter visas utan namn, av hänsyn till patienterna.")
            % {"n": comparison.SMALL}
        )
    return notes


def _overdispersion_text(result: dict) -> str:
    chosen = result["overdispersion"]
    if chosen == "none" or not result["units"]:
        return ""
    phi = result["phi"]
    if phi is None:
        return _("För få enheter för att skatta överspridning; gränserna är de exakta.")
    figures = {"phi": number_format(phi, 2), "tau2": number_format(result["tau2"] or 0, 4)}
    if chosen == "multiplicative":
        if phi <= 1:
            return _("φ = %(phi)s: ingen överspridning, gränserna vidgas inte.") % figures
        return (
            _(
                "φ = %(phi)s: enheterna varierar mer än slumpen förklarar, så gränserna är "
                "vidgade med √φ."
            )
            % figures
        )
    return (
        _("τ² = %(tau2)s (DerSimonian–Laird, från φ = %(phi)s): gränserna är vidgade med den "
          "variation mellan enheterna som slumpen inte förklarar.")
        % figures
    )  # fmt: skip
