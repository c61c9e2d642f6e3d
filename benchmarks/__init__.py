"""Region-scale timings of painpath against the plainest way each engine can do the same work.

Run with `make bench` (or `python -m benchmarks --help`). Figures and how to read them are in
benchmarks/README.md; raw results go to benchmarks/out/ (not committed).
"""

from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
