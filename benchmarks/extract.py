"""The synthetic extract the benchmarks load, made by painpath.synth and cached in out/.

`painpath.synth.clinic.write_clinic` makes a clinic by its number of listed patients; the
benchmarks ask for a number of contacts. CONTACTS_PER_PATIENT turns one into the other; it
was measured on the generator (see README.md). If the extract comes out more than
TOLERANCE off the number asked for, it is made once more with the ratio it actually showed.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import OUT
from benchmarks.baseline import extract_files

CONTACTS_PER_PATIENT = 14.05  # measured: 148,965 contacts for 10,600 patients, seed 1
TOLERANCE = 0.05
SEED = 1
CLINIC = "habo"
MANIFEST = "extract.json"


def folder_for(contacts: int) -> Path:
    return OUT / f"extract-{contacts}"


def cached(contacts: int) -> dict | None:
    """The manifest of a finished extract for `contacts`, or None."""
    manifest = folder_for(contacts) / MANIFEST
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text())


def _write_clinic():
    """painpath.synth's writer, or None while it does not exist yet (it is being written)."""
    try:
        from painpath.synth.clinic import write_clinic
    except ImportError:
        return None
    return write_clinic


def _count_rows(folder: Path) -> dict[str, int]:
    counts = {}
    for file in extract_files(folder):
        with file.open("rb") as data:
            counts[file.stem] = sum(1 for _ in data) - 1  # minus the header
    return counts


def _generate(folder: Path, patients: int, say) -> tuple[dict, float]:
    """Run the generator in a child with a fixed PYTHONHASHSEED, so that the files cannot
    depend on the order of a set of strings (a draft of painpath.synth once did)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    command = [sys.executable, "-m", "benchmarks.extract", str(folder), str(patients)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"painpath.synth.clinic failed (exit {done.returncode})")
    seconds = time.perf_counter() - started
    counts = _count_rows(folder)
    returned = json.loads(done.stdout.strip().splitlines()[-1])
    counts.update({Path(k).stem: int(n) for k, n in returned.items() if Path(k).stem in counts})
    say(f"  {patients:,} patients -> {counts.get('contacts', 0):,} contacts in {seconds:.0f} s")
    return counts, seconds


def ensure(
    contacts: int,
    *,
    regenerate: bool = False,
    say: Callable[[str], None] = print,
    wait_seconds: int = 0,
) -> tuple[Path, dict]:
    """The folder of an extract with about `contacts` contacts, and its manifest; made
    (into a scratch folder, moved in place when complete) unless already cached."""
    folder = folder_for(contacts)
    manifest = None if regenerate else cached(contacts)
    if manifest:
        say(f"Reusing the extract in {folder} ({manifest['counts']['contacts']:,} contacts)")
        return folder, manifest
    deadline = time.monotonic() + wait_seconds
    while _write_clinic() is None and time.monotonic() < deadline:
        say("painpath.synth.clinic is not there yet; trying again in a minute …")
        time.sleep(60)
    if _write_clinic() is None:
        raise SystemExit("painpath.synth.clinic.write_clinic is needed to make the extract.")
    scratch = folder.with_name(folder.name + ".partial")
    patients = max(1, round(contacts / CONTACTS_PER_PATIENT))
    say(f"Generating a synthetic extract of ~{contacts:,} contacts in {folder} …")
    counts, seconds = _generate(scratch, patients, say)
    made = counts.get("contacts", 0)
    if made and abs(made - contacts) > TOLERANCE * contacts:
        patients = max(1, round(patients * contacts / made))
        say(f"  off by {made / contacts - 1:+.0%}; again with {patients:,} patients")
        counts, seconds = _generate(scratch, patients, say)
    manifest = {
        "contacts_asked": contacts,
        "patients": patients,
        "seed": SEED,
        "clinic_id": CLINIC,
        "generator": "painpath.synth.clinic.write_clinic",
        "generate_seconds": round(seconds, 1),
        "counts": counts,
        "bytes": sum(p.stat().st_size for p in scratch.glob("*.csv")),
    }
    (scratch / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    if folder.exists():
        shutil.rmtree(folder)
    scratch.rename(folder)
    return folder, manifest


def main() -> None:
    """`python -m benchmarks.extract FOLDER PATIENTS`: write one extract, print its counts."""
    folder, patients = Path(sys.argv[1]), int(sys.argv[2])
    counts = _write_clinic()(folder, patients=patients, seed=SEED, clinic_id=CLINIC)
    print(json.dumps(counts), flush=True)


if __name__ == "__main__":
    main()
