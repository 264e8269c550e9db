#!/usr/bin/env python3
"""A reproducible asset file for the IT benchmarks: N rows in the import's columns, drawn with a
fixed seed over the sites, cost centers and models that it_setup (in it_desk.sh) creates.
    python3 Tools/bench/gen_assets.py --rows 1000000 --seed 42 > assets.csv
"""
import argparse
import random
import sys

COLUMNS = ["tag", "serial", "model", "status", "site", "cost_center", "assigned_to", "location", "supplier", "purchase_order", "invoice",
           "purchase_date", "cost", "currency", "salvage", "life_months", "depreciation", "warranty_end", "last_audit", "next_audit_due",
           "disposal_method", "disposal_value", "retired_on"]

# (code, currency) — the same list it_desk.sh creates.
SITES = [("SP-HQ", "BRL"), ("SP-PINHEIROS", "BRL"), ("SP-CAMPINAS", "BRL"), ("RJ-CENTRO", "BRL"), ("BH-SAVASSI", "BRL"),
         ("POA-MOINHOS", "BRL"), ("REC-BOAVIAGEM", "BRL"), ("CWB-BATEL", "BRL"), ("CMX-REFORMA", "MXN"), ("BOG-CHICO", "COP")]
COST_CENTERS_PER_SITE = 5
# (name, category, life months, unit cost in minor units)
MODELS = [("ThinkPad T14", "laptop", 36, 650000), ("MacBook Air M3", "laptop", 48, 1100000), ("Latitude 5440", "laptop", 36, 580000),
          ("OptiPlex 7010", "desktop", 60, 450000), ("Dell P2422H", "monitor", 60, 120000), ("LG 27UL500", "monitor", 60, 150000),
          ("iPhone 15", "phone", 36, 550000), ("Galaxy A55", "phone", 36, 250000), ("iPad 10", "tablet", 48, 400000),
          ("HP LaserJet M404", "printer", 60, 300000), ("Brother MFC-L8900", "printer", 60, 520000), ("Cisco C9200", "network", 84, 2500000),
          ("Ubiquiti U6 Pro", "network", 60, 180000), ("Dell R650", "server", 72, 6500000), ("Logitech MX Keys", "peripheral", 36, 60000)]
STATUSES = [("deployed", 70), ("in-stock", 15), ("in-repair", 4), ("retired", 6), ("disposed", 3), ("ordered", 2)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    statuses = [s for s, weight in STATUSES for _ in range(weight)]
    out = sys.stdout
    out.write(",".join(COLUMNS) + "\n")
    for n in range(1, args.rows + 1):
        site_index = rng.randrange(len(SITES))
        site, currency = SITES[site_index]
        name, category, life, unit = MODELS[rng.randrange(len(MODELS))]
        status = statuses[rng.randrange(len(statuses))]
        year = rng.randint(2019, 2026)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        cost = unit + rng.randrange(-unit // 10, unit // 10 + 1)
        salvage = cost // 10
        audit_month = rng.randint(1, 12)
        row = [
            f"AST-{n:07d}", f"SN{args.seed:02d}{n:09d}", name, status, site, f"CC-{site_index:02d}-{rng.randrange(COST_CENTERS_PER_SITE)}",
            f"user{rng.randrange(20000)}@example.com" if status == "deployed" else "", f"Floor {rng.randint(1, 12)}",
            "Distribuidora Exemplo Ltda", f"PO-{year}-{rng.randrange(100000):05d}", f"NF-{rng.randrange(10**8):08d}",
            f"{year}-{month:02d}-{day:02d}", f"{cost // 100}.{cost % 100:02d}", currency, f"{salvage // 100}.{salvage % 100:02d}", str(life),
            "declining-balance:2" if category in ("laptop", "phone", "tablet") else "straight-line",
            f"{year + 3}-{month:02d}-{day:02d}", f"2026-{audit_month:02d}-15", f"2027-{audit_month:02d}-15",
            "recycled" if status == "disposed" else "", "0.00" if status == "disposed" else "", f"{min(year + 4, 2026)}-06-30" if status in ("retired", "disposed") else "",
        ]
        out.write(",".join(row) + "\n")


if __name__ == "__main__":
    main()
