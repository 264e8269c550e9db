#!/usr/bin/env python3
"""Fills a migrated Vigil SQLite database with incident cases for benchmarks.

Deterministic: the same seed and count give the same rows. Rows follow the incident_cases schema
of IncidentOps migration 0001; ids are UUIDv7-shaped and time-ordered like the server's.
    seed_cases.py vigil.sqlite 1000000 [--seed 20261125]
"""
import argparse
import random
import sqlite3
import time

parser = argparse.ArgumentParser()
parser.add_argument("database")
parser.add_argument("count", type=int)
parser.add_argument("--seed", type=int, default=20261125)
args = parser.parse_args()

rng = random.Random(args.seed)
regions = ["BR-SP"] * 6 + ["BR-RJ"] * 2 + ["MX-CMX", "CO-DC"]
lines = ["drivers", "clients", "business-units"]
categories = ["traffic-accident", "assault", "robbery", "harassment", "medical-emergency", "threat",
              "dangerous-goods", "fraud", "lost-item", "property-damage", "other"]
severities = ["S1", "S2", "S2", "S3", "S3", "S3", "S4", "S4"]
statuses = ["new", "triaged", "assigned", "in-progress", "waiting", "escalated", "resolved", "closed", "closed", "closed"]

# Two years of history ending 2026-11-01, one case every ~63 seconds on average.
end_micros = 1_793_491_200_000_000
start_micros = end_micros - 2 * 365 * 86_400 * 1_000_000
step = (end_micros - start_micros) // args.count

def uuid7(micros, n):
    millis = micros // 1000
    rand_a = n & 0xFFF
    rand_b = rng.getrandbits(62)
    value = (millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

connection = sqlite3.connect(args.database)
connection.execute("PRAGMA journal_mode = WAL")
connection.execute("PRAGMA synchronous = OFF")
started = time.time()
batch = []
# Continue the reference series where the database left them (a benchmark may have added cases).
per_year = {int(series[4:]): value for series, value in connection.execute("SELECT series, value FROM vigil_sequences WHERE series LIKE 'INC-%'")}
for n in range(args.count):
    created = start_micros + n * step + rng.randrange(step)
    year = time.gmtime(created / 1_000_000).tm_year
    per_year[year] = per_year.get(year, 0) + 1
    reference = f"INC-{year}-{per_year[year]:06d}"
    batch.append((
        uuid7(created, n), reference, rng.choice(regions), rng.choice(lines), rng.choice(categories),
        rng.choice(severities), rng.choice(statuses),
        f"Seeded case {n}: incident reported during a delivery, details recorded by the analyst on duty.",
        f"Rua {rng.randrange(1, 5000)}", -23.5 + rng.random(), -46.6 + rng.random(),
        1 if rng.random() < 0.05 else 0, None, None, None, created, "system:seed", created, 1,
    ))
    if len(batch) == 20_000:
        connection.executemany("INSERT INTO incident_cases VALUES (" + ",".join("?" * 19) + ")", batch)
        batch.clear()
if batch:
    connection.executemany("INSERT INTO incident_cases VALUES (" + ",".join("?" * 19) + ")", batch)
for year, value in per_year.items():
    connection.execute("INSERT INTO vigil_sequences (series, value) VALUES (?, ?) ON CONFLICT (series) DO UPDATE SET value = excluded.value",
                       (f"INC-{year}", value))
connection.commit()
connection.execute("ANALYZE")
connection.close()
print(f"seeded {args.count} cases in {time.time() - started:.1f} s")
