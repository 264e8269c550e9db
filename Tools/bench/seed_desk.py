#!/usr/bin/env python3
"""Fills a migrated Vigil database with an incident desk's history for benchmarks.

Deterministic: the same seed and counts give the same rows; instants are laid out relative to
--now (default: the current time, so open cases are live when the server reads them).

What it writes, following the IncidentOps migrations:
- analysts per region (capacity 100), on shift around --now;
- --cases cases in total: two years of resolved/closed history, then --open-per-region open
  cases per region created in the last three days, spread over the given queues;
- three SLA clocks per case (stopped for history; running, paused or stopped for open cases, with
  warnings and breaches already recorded except for --pending clocks the scanner has still to find);
- SOP checklist steps for four categories, and escalations for S1 cases.

    seed_desk.py --sqlite vigil.sqlite --cases 1000000 --queue BR-SP=<id> ...
    seed_desk.py --postgres postgres://... --cases 1000000 ...
    seed_desk.py --sqlite vigil.sqlite --cases 0 --analysts 600 --region BR-SP --region BR-RJ
"""
import argparse
import csv
import io
import os
import random
import sqlite3
import subprocess
import tempfile
import time

parser = argparse.ArgumentParser()
target = parser.add_mutually_exclusive_group(required=True)
target.add_argument("--sqlite")
target.add_argument("--postgres")
parser.add_argument("--cases", type=int, default=1_000_000)
parser.add_argument("--open-per-region", action="append", default=[], metavar="REGION=N",
                    help="open cases of a region (default BR-SP=10000 BR-RJ=15000 MX-CMX=10000 CO-DC=10000)")
parser.add_argument("--queue", action="append", default=[], metavar="REGION=ID", help="a queue of a region (repeat)")
parser.add_argument("--region", action="append", default=[], help="regions to seed analysts for (default: those with open cases)")
parser.add_argument("--analysts", type=int, default=40, help="analysts per region")
parser.add_argument("--capacity", type=int, default=100)
parser.add_argument("--pending", type=int, default=1000, help="crossed clocks the scanner has not recorded yet")
parser.add_argument("--now", type=float, default=None, help="epoch seconds; default now")
parser.add_argument("--seed", type=int, default=20261125)
args = parser.parse_args()

rng = random.Random(args.seed)
now = int((args.now or time.time()) * 1_000_000)
HOUR = 3_600_000_000
DAY = 24 * HOUR
MAX = 9_223_372_036_854_775_807

open_per_region = {"BR-SP": 10_000, "BR-RJ": 15_000, "MX-CMX": 10_000, "CO-DC": 10_000}
if args.open_per_region:
    open_per_region = {k: int(v) for k, v in (item.split("=", 1) for item in args.open_per_region)}
if args.cases == 0:
    open_per_region = {}
queues = {}
for item in args.queue:
    region, queue_id = item.split("=", 1)
    queues.setdefault(region, []).append(queue_id)
analyst_regions = args.region or sorted(set(open_per_region) | {"BR-SP", "BR-RJ", "MX-CMX", "CO-DC"})
history_regions = ["BR-SP"] * 6 + ["BR-RJ"] * 2 + ["MX-CMX", "CO-DC"]
lines = ["drivers", "clients", "business-units"]
categories = ["traffic-accident", "assault", "robbery", "harassment", "medical-emergency", "threat",
              "dangerous-goods", "fraud", "lost-item", "property-damage", "other"]
sop_categories = {"traffic-accident", "assault", "robbery", "medical-emergency"}
severities = ["S1", "S2", "S2", "S3", "S3", "S3", "S4", "S4"]
urgency_priority = {("S1", "high"): "P1", ("S1", "medium"): "P1", ("S1", "low"): "P2", ("S2", "high"): "P1", ("S2", "medium"): "P2",
                    ("S2", "low"): "P3", ("S3", "high"): "P2", ("S3", "medium"): "P3", ("S3", "low"): "P4", ("S4", "high"): "P3",
                    ("S4", "medium"): "P4", ("S4", "low"): "P4"}
open_statuses = ["new"] * 15 + ["triaged"] * 10 + ["assigned"] * 25 + ["in-progress"] * 30 + ["waiting"] * 10 + ["escalated"] * 10
resolutions = ["resolved"] * 6 + ["referred-to-authorities", "no-action-needed", "unable-to-contact", "duplicate"]
# Built-in targets in minutes (acknowledge, first action, resolve) by severity.
targets = {"S1": (5, 15, 240), "S2": (15, 60, 1440), "S3": (60, 240, 4320), "S4": (240, 1440, 10080)}
kinds = ["acknowledge", "first-action", "resolve"]
CALENDAR = '{"always":{}}'

CASE_COLUMNS = ["id", "reference", "region", "business_line", "category", "severity", "status", "description",
                "location_address", "latitude", "longitude", "sensitive", "reporter_name", "reporter_contact", "occurred_at",
                "created_at", "created_by", "updated_at", "version", "waiting_on", "resolution_code", "resolved_at", "closed_at",
                "reopen_count", "queue_id", "assignee", "assigned_at", "sop_id", "next_due_at", "subcategory", "urgency", "priority"]
CLOCK_COLUMNS = ["case_id", "kind", "region", "target_seconds", "warning_percent", "calendar", "started_at", "elapsed_seconds",
                 "running_since", "due_at", "warning_at", "stopped_at", "warned_at", "breached_at", "pauses"]
STEP_COLUMNS = ["case_id", "step_key", "title", "mandatory", "due_at", "done_at", "done_by", "waived_at", "waived_by", "waiver_reason"]
ESCALATION_COLUMNS = ["id", "case_id", "region", "trigger_kind", "reason", "level", "target_roles", "state", "raised_at", "raised_by",
                      "level_since", "next_level_at", "acknowledged_at", "acknowledged_by", "closed_at", "closed_by"]
ANALYST_COLUMNS = ["user_id", "name", "actor", "region", "skills", "languages", "capacity", "sensitive_ok", "active_cases",
                   "last_assigned_at", "updated_at", "version"]
SHIFT_COLUMNS = ["id", "region", "user_id", "role", "starts_at", "ends_at", "kind", "approved_by", "note", "created_at"]

counter = 0


def uuid7(micros):
    global counter
    counter += 1
    value = ((micros // 1000) << 80) | (0x7 << 76) | ((counter & 0xFFF) << 64) | (0b10 << 62) | rng.getrandbits(62)
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class SQLiteSink:
    def __init__(self, path):
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = OFF")
        self.batches = {}

    def sequences(self):
        return {s: v for s, v in self.db.execute("SELECT series, value FROM vigil_sequences WHERE series LIKE 'INC-%'")}

    def has_column(self, table, column):
        return any(row[1] == column for row in self.db.execute(f"PRAGMA table_info({table})"))

    def add(self, table, columns, row):
        batch = self.batches.setdefault((table, tuple(columns)), [])
        batch.append(tuple(int(v) if isinstance(v, bool) else v for v in row))
        if len(batch) >= 20_000:
            self.flush(table, columns)

    def flush(self, table, columns):
        batch = self.batches.get((table, tuple(columns)), [])
        if batch:
            self.db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", batch)
            batch.clear()

    def finish(self, sequences):
        for table, columns in list(self.batches):
            self.flush(table, list(columns))
        for series, value in sequences.items():
            self.db.execute("INSERT INTO vigil_sequences (series, value) VALUES (?, ?) ON CONFLICT (series) DO UPDATE SET value = excluded.value",
                            (series, value))
        self.db.commit()
        self.db.execute("ANALYZE")
        self.db.close()


class PostgresSink:
    """Rows go to CSV files, then COPY in parent-first order (foreign keys hold at each step)."""

    def __init__(self, url):
        self.url = url
        self.dir = tempfile.mkdtemp(prefix="vigil-seed-")
        self.files = {}

    def psql(self, *extra, stdin=None):
        return subprocess.run(["psql", self.url, "-v", "ON_ERROR_STOP=1", "-qAt", *extra], check=True, stdin=stdin,
                              capture_output=True, text=True).stdout

    def sequences(self):
        out = self.psql("-c", "SELECT series || '=' || value FROM vigil_sequences WHERE series LIKE 'INC-%'")
        return {line.split("=")[0]: int(line.split("=")[1]) for line in out.split() if line}

    def has_column(self, table, column):
        return self.psql("-c", f"SELECT 1 FROM information_schema.columns WHERE table_name = '{table}' AND column_name = '{column}'").strip() != ""

    def add(self, table, columns, row):
        key = (table, tuple(columns))
        if key not in self.files:
            handle = open(os.path.join(self.dir, f"{table}.csv"), "w", newline="")
            self.files[key] = (handle, csv.writer(handle))
        self.files[key][1].writerow(["" if v is None else ("true" if v is True else "false" if v is False else v) for v in row])

    def finish(self, sequences):
        order = ["incident_analysts", "incident_shifts", "incident_cases", "incident_sla_clocks", "incident_case_steps", "incident_escalations"]
        for table in order:
            for (name, columns), (handle, _) in self.files.items():
                if name != table:
                    continue
                handle.close()
                with open(handle.name) as source:
                    self.psql("-c", f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)", stdin=source)
                os.remove(handle.name)
        values = ", ".join(f"('{series}', {value})" for series, value in sequences.items())
        if values:
            self.psql("-c", f"INSERT INTO vigil_sequences (series, value) VALUES {values} ON CONFLICT (series) DO UPDATE SET value = excluded.value")
        self.psql("-c", "ANALYZE")
        os.rmdir(self.dir)


sink = SQLiteSink(args.sqlite) if args.sqlite else PostgresSink(args.postgres)
# Each case row keeps its running clocks' trouble (migration 0014: breached, at warning, soonest due
# not breached); a database migrated before those columns gets rows without them.
keeps_sla_trouble = sink.has_column("incident_cases", "sla_watch_due")
if keeps_sla_trouble:
    CASE_COLUMNS += ["sla_breached", "sla_at_risk", "sla_watch_due"]
started = time.time()

# Analysts and their shifts (covering --now), per region.
analysts = {}
for region in analyst_regions:
    analysts[region] = []
    for n in range(args.analysts):
        user_id = uuid7(now - 30 * DAY)
        analysts[region].append(user_id)
        skills = "," + ",".join(rng.sample(["medical", "legal", "traffic", "fraud", "dangerous-goods"], 2)) + ","
        languages = "," + ",".join(["pt-BR"] + rng.sample(["en", "es", "zh"], 1)) + ","
        sink.add("incident_shifts", SHIFT_COLUMNS, (uuid7(now - DAY), region, user_id, "analyst", now - 4 * HOUR, now + 20 * HOUR,
                                                    "planned", None, None, now - DAY))
analyst_load = {user_id: 0 for ids in analysts.values() for user_id in ids}

per_year = {int(series[4:]): value for series, value in sink.sequences().items()}
stats = {"cases": 0, "open": 0, "clocks": 0, "open_clocks": 0, "pending": 0, "steps": 0, "escalations": 0}


def reference(created):
    year = time.gmtime(created / 1_000_000).tm_year
    per_year[year] = per_year.get(year, 0) + 1
    return f"INC-{year}-{per_year[year]:06d}"


def add_case(created, region, status):
    severity = rng.choice(severities)
    urgency = rng.choice(["high", "medium", "medium", "low"])
    category = rng.choice(categories)
    case_id = uuid7(created)
    is_open = status not in ("resolved", "closed")
    assignee = None
    assigned_at = None
    if status not in ("new", "triaged") and analysts.get(region):
        choice = rng.choice(analysts[region])
        if not is_open or analyst_load[choice] < args.capacity:
            assignee, assigned_at = choice, created + rng.randrange(60_000_000, 1_800_000_000)
            if is_open:
                analyst_load[choice] += 1
        elif is_open:
            status = "triaged"
    ack_t, fa_t, res_t = (m * 60 for m in targets[severity])
    resolved_at = closed_at = None
    if not is_open:
        resolved_at = created + int(rng.lognormvariate(0, 1.2) * res_t * 0.3 * 1_000_000)
        closed_at = resolved_at + HOUR if status == "closed" else None
    queue_id = rng.choice(queues[region]) if queues.get(region) else None

    # Clocks: acknowledged and first action happen at a lognormal share of their targets.
    next_due = MAX
    sla_breached = sla_at_risk = 0
    watch_due = MAX
    for kind, target_s in zip(kinds, (ack_t, fa_t, res_t)):
        target = target_s * 1_000_000
        stop_at = {"acknowledge": created + int(rng.lognormvariate(-0.5, 0.8) * target),
                   "first-action": created + int(rng.lognormvariate(-0.4, 0.8) * target),
                   "resolve": resolved_at}[kind]
        running = is_open and (kind == "resolve" or (kind == "acknowledge" and status in ("new", "triaged"))
                               or (kind == "first-action" and status in ("new", "triaged", "assigned")))
        paused = running and status == "waiting"
        warning = target * 80 // 100
        if not running:
            stop_at = min(stop_at, now) if stop_at else now
            elapsed = (stop_at - created) // 1_000_000
            row = (case_id, kind, region, target_s, 80, CALENDAR, created, elapsed, None, None, None, stop_at,
                   created + warning if stop_at - created >= warning else None,
                   created + target if stop_at - created >= target else None, 0)
        elif paused:
            elapsed = min(target_s - 1, rng.randrange(0, max(1, target_s)))
            row = (case_id, kind, region, target_s, 80, CALENDAR, created, elapsed, None, None, None, None,
                   created + warning if elapsed * 1_000_000 >= warning else None, None, 1)
            sla_at_risk += 1 if row[12] is not None else 0
            stats["open_clocks"] += 1
        else:
            due_at, warning_at = created + target, created + warning
            # Crossings already recorded by an earlier scan, except the pending ones.
            pending = stats["pending"] < args.pending and warning_at <= now and rng.random() < 0.05
            stats["pending"] += 1 if pending else 0
            warned = warning_at if warning_at <= now and not pending else None
            breached = due_at if due_at <= now and not pending else None
            row = (case_id, kind, region, target_s, 80, CALENDAR, created, 0, created, due_at, warning_at, None, warned, breached, 0)
            next_due = min(next_due, due_at)
            sla_breached += 1 if breached else 0
            sla_at_risk += 1 if warned and not breached else 0
            watch_due = due_at if not breached and due_at < watch_due else watch_due
            stats["open_clocks"] += 1
        sink.add("incident_sla_clocks", CLOCK_COLUMNS, row)
        stats["clocks"] += 1

    sop_id = None
    if category in sop_categories:
        sop_id = f"seed-sop-{category}"
        for key, title, minutes in (("contact-reporter", "Contact the reporter", 15), ("document-evidence", "Document the evidence", 1440)):
            due = created + minutes * 60_000_000
            done = None
            if not is_open or rng.random() < 0.6:
                done = created + int(rng.lognormvariate(-0.3, 0.7) * minutes * 60_000_000)
                done = min(done, now)
            sink.add("incident_case_steps", STEP_COLUMNS, (case_id, key, title, True, due, done, assignee if done else None, None, None, None))
            stats["steps"] += 1
    if severity == "S1" or status == "escalated":
        state = "closed" if not is_open else rng.choice(["open", "acknowledged"])
        sink.add("incident_escalations", ESCALATION_COLUMNS, (
            uuid7(created), case_id, region, "severity", f"{severity} case", 1, '["specialist","coordinator"]', state, created, "system:intake",
            created, None if state != "open" else created + 10 * 60_000_000, created + 300_000_000 if state != "open" else None,
            "seed:coordinator" if state != "open" else None, closed_at if state == "closed" else None, "seed:coordinator" if state == "closed" else None))
        stats["escalations"] += 1

    trouble = (sla_breached, sla_at_risk, watch_due) if keeps_sla_trouble else ()
    sink.add("incident_cases", CASE_COLUMNS, (
        case_id, reference(created), region, rng.choice(lines), category, severity, status,
        f"Seeded case: incident reported during a delivery in {region}, details recorded by the analyst on duty.",
        f"Rua {rng.randrange(1, 5000)}", -23.5 + rng.random(), -46.6 + rng.random(), rng.random() < 0.05,
        None, None, None, created, "system:seed", closed_at or resolved_at or created, 1,
        "reporter" if status == "waiting" else None, rng.choice(resolutions) if not is_open else None, resolved_at, closed_at,
        1 if not is_open and rng.random() < 0.03 else 0, queue_id, assignee, assigned_at, sop_id,
        next_due if is_open else MAX, None, urgency, urgency_priority[(severity, urgency)]) + trouble)
    stats["cases"] += 1
    stats["open"] += 1 if is_open else 0


# Two years of history ending two days ago, then the open cases of the last three days.
open_total = sum(open_per_region.values())
history = max(0, args.cases - open_total)
history_end = now - 2 * DAY
history_start = history_end - 730 * DAY
step = (history_end - history_start) // max(1, history)
for n in range(history):
    add_case(history_start + n * step + rng.randrange(step), rng.choice(history_regions), rng.choice(["resolved", "closed", "closed", "closed"]))
open_regions = [region for region, count in open_per_region.items() for _ in range(count)]
rng.shuffle(open_regions)
window = 3 * DAY
for n, region in enumerate(open_regions):
    add_case(now - window + n * window // max(1, len(open_regions)), region, rng.choice(open_statuses))

for region, ids in analysts.items():
    for user_id in ids:
        n = ids.index(user_id)
        sink.add("incident_analysts", ANALYST_COLUMNS, (user_id, f"Seed Analyst {region} {n + 1}", f"user:seed-{region.lower()}-{n + 1}@example.com",
                                                        region, ",traffic,medical,", ",pt-BR,en,", args.capacity, n % 4 == 0,
                                                        analyst_load[user_id], now - HOUR + n, now - DAY, 1))
sink.finish({f"INC-{year}": value for year, value in per_year.items()})
print(" ".join(f"{k}={v}" for k, v in stats.items()) + f" analysts={sum(len(v) for v in analysts.values())} in {time.time() - started:.1f} s")
