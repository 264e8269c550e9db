#!/usr/bin/env python3
"""Times single requests one after another (no concurrency): for operations measured by their
latency alone (handover generation, reports). Prints "median max runs" in milliseconds and fails
on any non-2xx answer.
    time_requests.py --runs 10 GET http://127.0.0.1:18080/api/incident-ops/reports/desk?period=month
    time_requests.py --runs 10 --body '{"region":"BR-SP","shiftEndsAt":"{shift_end}"}' POST http://…/handovers
{shift_end} becomes a distinct hour for each run, so each run generates a new handover.
"""
import argparse
import datetime
import http.client
import os
import statistics
import sys
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--runs", type=int, default=10)
parser.add_argument("--warmup", type=int, default=1)
parser.add_argument("--body")
parser.add_argument("method")
parser.add_argument("url")
args = parser.parse_args()

url = urllib.parse.urlsplit(args.url)
connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
headers = {"Authorization": "Bearer " + os.environ["TOKEN"], "Content-Type": "application/json"}
base = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
timings = []
for n in range(args.warmup + args.runs):
    body = None
    if args.body:
        shift_end = (base + datetime.timedelta(hours=n + 1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = args.body.replace("{shift_end}", shift_end)
    started = time.perf_counter()
    connection.request(args.method, url.path + ("?" + url.query if url.query else ""), body=body, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status >= 300:
        sys.exit(f"{args.method} {args.url}: {response.status} {payload[:300]!r}")
    if n >= args.warmup:
        timings.append(elapsed)
print(f"{statistics.median(timings):.1f} {max(timings):.1f} {len(timings)} {len(payload)}")
