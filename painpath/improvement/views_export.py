"""Downloads of an improvement project: the region's template as Word or PDF (part 1, or
parts 1 and 2 with ?del=2), and the measurements as an Excel workbook. Each download is
audited as an export with the file's name."""

import unicodedata
from urllib.parse import quote

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from painpath.access.models import AuditAction
from painpath.access.policies import audit
from painpath.improvement import export_docx, export_excel, export_pdf, report
from painpath.improvement.lookup import get_project_for_user

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(name: str) -> str:
    """Content-Disposition for a Swedish file name: filename* in UTF-8 (RFC 6266) for
    å, ä, ö, and a plain ASCII filename for clients that read only that."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = "".join(c for c in plain if c.isprintable() and c not in '"\\;') or "export"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _download(request, content: bytes, content_type: str, name: str) -> HttpResponse:
    audit(request, AuditAction.EXPORT, detail=name)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _report(request, pk: int) -> report.Report:
    project = get_project_for_user(request, pk)
    return report.build(project, part2=request.GET.get("del") == "2")


@require_GET
def export_docx_view(request, pk: int):
    built = _report(request, pk)
    return _download(request, export_docx.write(built), DOCX, f"{built.name}.docx")


@require_GET
def export_pdf_view(request, pk: int):
    built = _report(request, pk)
    return _download(request, export_pdf.write(built), "application/pdf", f"{built.name}.pdf")


@require_GET
def export_xlsx_view(request, pk: int):
    project = get_project_for_user(request, pk)
    name = export_excel.file_name(project)
    return _download(request, export_excel.write(project), XLSX, name)
