"""What the management commands share: a progress bar, a fresh database set up on first use."""

from contextlib import contextmanager

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


def ensure_schema(console: Console) -> None:
    """Set up (or bring up to date) the database schema, saying so, before the first use."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        console.print("[dim]Databasen sätts upp (painpath migrate)…[/dim]")
        call_command("migrate", verbosity=0, interactive=False)


@contextmanager
def progress_bar(console: Console):
    """Yields a callback(label, done, total) that draws one bar per label."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        tasks: dict[str, int] = {}

        def update(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done, total=total)

        yield update


def imported_clinic(code: str):
    """The clinic with the code, or a CommandError saying to import an extract first (the
    demo commands work on an imported clinic)."""
    from django.core.management.base import CommandError

    from painpath.records.models import Clinic

    found = Clinic.objects.filter(code=code).first()
    if found is None:
        raise CommandError(f"Ingen vårdcentral med koden {code!r}: importera ett utdrag först.")
    return found
