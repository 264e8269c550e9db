#!/usr/bin/env python3
"""Live dashboards under intake: LISTENERS browsers follow /console/live while cases arrive
through the API at RATE per second. Prints one line of figures (see the end).

An event's id is the instant (ms) the server's live feed read the outbox, so every case whose
POST had been answered before that instant is in the page the browser fetches on that event.
A case's delivery to a browser is therefore the first event whose id is later than the case's
answer; its latency is counted from when the POST was *sent* (commit and answer included).

    live_fanout.py --base http://127.0.0.1:18080 --session COOKIE --token API_TOKEN \\
                   --listeners 200 --rate 500 --seconds 30
"""
import argparse
import asyncio
import bisect
import json
import random
import statistics
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--base", required=True)
parser.add_argument("--session", required=True, help="a console session cookie's value")
parser.add_argument("--token", required=True, help="an API token that may open cases")
parser.add_argument("--listeners", type=int, default=200)
parser.add_argument("--rate", type=float, default=500)
parser.add_argument("--seconds", type=float, default=30)
parser.add_argument("--senders", type=int, default=16, help="keep-alive connections the intake uses")
parser.add_argument("--region", action="append", default=[], help="regions of the cases (default BR-SP)")
parser.add_argument("--seed", type=int, default=20261204)
args = parser.parse_args()
url = urllib.parse.urlsplit(args.base)
HOST, PORT = url.hostname, url.port or 80
now_ms = lambda: time.time() * 1000


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return status


async def listener(events: list, ready: asyncio.Event, opened: list):
    reader, writer = await asyncio.open_connection(HOST, PORT)
    writer.write((f"GET /console/live?domains=incident-ops HTTP/1.1\r\nHost: {HOST}:{PORT}\r\n"
                  f"Cookie: vigil_session={args.session}\r\nAccept: text/event-stream\r\n\r\n").encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 200 " not in head.split(b"\r\n")[0]:
        raise SystemExit("live stream refused: " + head.split(b"\r\n")[0].decode())
    opened.append(1)
    await ready.wait()
    while True:
        line = await reader.readline()
        if not line:
            return
        # Chunked framing: size lines are hex digits alone; event lines start with a field name.
        if line.startswith(b"id: "):
            events.append((int(line[4:].strip()), now_ms()))


async def sender(schedule: asyncio.Queue, start: float, sent: list, rng: random.Random):
    reader, writer = await asyncio.open_connection(HOST, PORT)
    regions = args.region or ["BR-SP"]
    while True:
        index = await schedule.get()
        if index is None:
            writer.close()
            return
        delay = start + index / args.rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        body = json.dumps({
            "region": rng.choice(regions), "businessLine": rng.choice(["drivers", "clients"]),
            "category": rng.choice(["traffic-accident", "assault", "robbery", "medical-emergency"]),
            "severity": rng.choice(["S1", "S2", "S3", "S4"]),
            "description": f"Live bench case {index}: rider reported an incident", "location": {"address": "Av. Paulista 1000"},
        }).encode()
        sent_at = now_ms()
        writer.write((f"POST /api/incident-ops/cases HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nAuthorization: Bearer {args.token}\r\n"
                      f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body)
        await writer.drain()
        status = await read_response(reader)
        sent.append((sent_at, now_ms(), status))


async def main():
    ready = asyncio.Event()
    streams = [[] for _ in range(args.listeners)]
    opened = []
    tasks = [asyncio.create_task(listener(streams[i], ready, opened)) for i in range(args.listeners)]
    while len(opened) < args.listeners:
        await asyncio.sleep(0.05)
        for task in tasks:
            if task.done() and task.exception():
                raise task.exception()
    ready.set()
    await asyncio.sleep(1)
    total = int(args.rate * args.seconds)
    schedule = asyncio.Queue()
    for index in range(total):
        schedule.put_nowait(index)
    for _ in range(args.senders):
        schedule.put_nowait(None)
    sent = []
    rng = random.Random(args.seed)
    start = time.monotonic()
    await asyncio.gather(*(sender(schedule, start, sent, rng) for _ in range(args.senders)))
    elapsed = time.monotonic() - start
    await asyncio.sleep(3)  # the last cases' events
    for task in tasks:
        task.cancel()

    latencies, missing = [], 0
    for events in streams:
        ids = [event[0] for event in events]
        for sent_at, answered_at, status in sent:
            if status >= 300:
                continue
            position = bisect.bisect_right(ids, int(answered_at))
            if position == len(ids):
                missing += 1
            else:
                latencies.append(events[position][1] - sent_at)
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))]
    answers = sorted(answered - sent_at for sent_at, answered, _ in sent)
    refused = sum(1 for *_, status in sent if status >= 300)
    events = sum(len(s) for s in streams) / max(1, len(streams))
    # rate p50 p99 max missing refused intake_p99 events_per_listener deliveries
    print(f"{len(sent) / elapsed:.0f} {pct(0.5):.0f} {pct(0.99):.0f} {latencies[-1]:.0f} {missing} {refused} "
          f"{answers[int(len(answers) * 0.99)]:.1f} {events:.0f} {len(latencies)}")

asyncio.run(main())
