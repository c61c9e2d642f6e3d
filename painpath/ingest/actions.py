"""Running an import as the command (and later the web page) does: import, write the
rejects file, record the run, log it."""

import csv
import getpass
import os
import re
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from painpath.access.models import AuditAction, AuditEvent
from painpath.ingest.importer import ImportResult, Progress, Reject, import_extract
from painpath.ingest.models import ImportRun
from painpath.ingest.readers import ExtractError

QUOTED = re.compile(r"\s*'[^']*'|\s*\"[^\"]*\"")


def reason_kind(reason: str) -> str:
    """A reason without the row's values and line numbers, for counting in the run log."""
    return re.sub(r"\d+", "N", QUOTED.sub("", reason))


def run_import(
    path: Path,
    *,
    default_clinic: str | None = None,
    rejects_path: Path | None = None,
    progress: Progress | None = None,
    user: str | None = None,
) -> tuple[ImportResult | None, ImportRun]:
    """Import `path`; returns the result (None when the extract was unusable) and the run."""
    started = timezone.now()
    user = user or f"cli:{getpass.getuser()}"
    run = ImportRun(started_at=started, source=str(path), imported_by=user)
    target = rejects_path or default_rejects_path(path, started)
    try:
        ensure_writable(target)  # before importing: rejects must never be lost after commit
        result = import_extract(path, default_clinic=default_clinic, progress=progress)
    except ExtractError as error:
        run.exit_code, run.error = 2, str(error)
        result = None
    except DatabaseError as error:
        # Nothing was written (one transaction); the run is still recorded.
        run.exit_code, run.error = 2, f"databasfel, inget importerades: {error}"[:2000]
        result = None
    else:
        run.exit_code = result.exit_code
        run.files = {name: vars(summary) for name, summary in result.files.items()}
        run.rejected = len(result.rejects)
        run.reasons = dict(Counter(reason_kind(r.reason) for r in result.rejects))
        if result.rejects:
            write_rejects(result.rejects, target)
            run.rejects_path = str(target)
    run.finished_at = timezone.now()
    run.save()
    if result:
        run.clinics.set(result.clinics)
    AuditEvent.objects.create(
        username=user,
        action=AuditAction.IMPORT,
        path=str(path)[:500],
        detail=f"import {run.pk}: exit {run.exit_code}, {run.rejected} avvisade rader",
    )
    return result, run


def default_rejects_path(source: Path, when) -> Path:
    stamp = timezone.localtime(when).strftime("%Y%m%d-%H%M%S")
    return settings.DATA_DIR / "rejects" / f"{source.stem or 'extract'}-{stamp}.csv"


def ensure_writable(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExtractError(
            f"kan inte skapa mappen för avvisade rader {target.parent}: {error.strerror}"
        ) from None
    if not os.access(target.parent, os.W_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise ExtractError(f"kan inte skriva avvisade rader till {target}")


def write_rejects(rejects: list[Reject], target: Path) -> None:
    """A CSV Swedish Excel opens as it is (BOM, `;`): file, line, reason, then the row as
    it was given. It holds patient ids, so only its owner may read it."""
    columns: dict[str, None] = {}
    for reject in rejects:
        columns.update(dict.fromkeys(reject.row))
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["file", "line", "reason", *columns])
        for r in rejects:
            writer.writerow([r.source, r.line, r.reason, *(r.row.get(c, "") for c in columns)])
