"""The deep-dive page ("Djupdykning") and its CSV download: the same GET query for both."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from painpath.access.policies import clinics_for
from painpath.deepdive.charts import chart_svgs
from painpath.deepdive.export import deep_dive_csv
from painpath.deepdive.forms import DeepDiveForm
from painpath.deepdive.service import run_deep_dive
from painpath.deepdive.tables import build_tables, headlines


def deep_dive(request):
    clinics = list(clinics_for(request.user))
    form = DeepDiveForm(request.GET or None, clinics=clinics)
    context = {"form": form, "clinics": clinics, "result": None}
    if clinics and form.is_valid():
        result = run_deep_dive(form.query(), user=request.user, request=request)
        context |= {
            "result": result,
            "headlines": headlines(result),
            "tables": {table.key: table for table in build_tables(result)},
            "charts": chart_svgs(result),
        }
    # Mistakes are answered 200 with the form saying what is wrong, as any search form.
    return render(request, "deepdive/deep_dive.html", context)


def deep_dive_download(request):
    form = DeepDiveForm(request.GET, clinics=clinics_for(request.user))
    if not form.is_valid():  # the page says what is wrong
        return redirect(f"{reverse('deep_dive')}?{request.GET.urlencode()}")
    result = run_deep_dive(form.query(), user=request.user, request=request)
    response = HttpResponse(
        _for_excel(deep_dive_csv(result)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(form)}"'
    return response


def _for_excel(text: str) -> bytes:
    # Swedish Excel reads a CSV as UTF-8 only when it starts with a byte-order mark.
    return (text if text.startswith("\ufeff") else "\ufeff" + text).encode("utf-8")


def _file_name(form: DeepDiveForm) -> str:
    data = form.cleaned_data
    codes = "-".join(data["diagnoses"]).replace(".", "")
    return f"djupdykning-{codes}-{data['start']}-{data['end']}.csv"
