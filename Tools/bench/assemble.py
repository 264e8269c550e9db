#!/usr/bin/env python3
"""Puts BENCHMARKS.md together: the header, each database's latest results, the analysis."""
import os, sys
root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../..")
results = os.path.join(root, "Tools/bench/results")
parts = ["""# Benchmarks

Measured with `make bench` (SQLite) and `make bench DB=postgres` (Tools/bench/run.sh): a release
build of `vigil` serving a fresh database, loaded by wrk (2 threads) or timed request by request
from a second process on the same machine over loopback. Load and data use fixed seeds
(Tools/bench/*.lua, seed_desk.py). The 1,000,000-case database holds two years of closed history
and 45,000 open cases (10,000 in BR-SP), three SLA clocks per case, SOP steps and escalations.
"""]
for name in ("sqlite.md", "postgres.md", "it-sqlite.md", "console.md", "report-beside-reads.md", "compare.md"):
    path = os.path.join(results, name)
    if os.path.exists(path):
        parts.append(open(path).read())
parts.append(open(os.path.join(root, "Tools/bench/analysis.md")).read())
open(os.path.join(root, "BENCHMARKS.md"), "w").write("\n".join(parts))
