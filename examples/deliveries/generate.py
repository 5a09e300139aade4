"""Rewrite the synthetic delivery examples from their seeded generator.

SYNTHETIC BUT REALISTIC — see droneworks.missions.delivery.synthetic for how the drops,
parcel masses and windows are drawn. Run from the repository:

    .venv/bin/python examples/deliveries/generate.py
"""

from __future__ import annotations

from pathlib import Path

from droneworks.missions.delivery.synthetic import EXAMPLES

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for file_name, make in EXAMPLES.items():
        (here / file_name).write_text(make(), encoding="utf-8")
        print(f"wrote {here / file_name}")
