"""How fast path templates render: the path editor previews every linked client on each key.

Run: .venv/bin/python bench/bench_templates.py
Target: a preview of 1,000 clients in well under 50 ms, so typing never lags.
"""

from __future__ import annotations

import random
import string
import time
from datetime import date

from app.core.kinds import DocumentKind
from app.core.names import TargetOS
from app.core.templates import ClientValues, check_template, render_parsed

TEMPLATE = r"D:\Facturen Billtobox\[enterprise_name]_[enterprise_identifier]\[document_type]\[year]"
CLIENTS = 1_000
ROUNDS = 20


def main() -> None:
    rng = random.Random(7)
    clients = [
        ClientValues(
            name="".join(rng.choices(string.ascii_letters + " &./:", k=rng.randint(5, 60))),
            vat_number="BE0403019261",
            accounting_file_id=f"D{i:05d}",
            country="BE",
        )
        for i in range(CLIENTS)
    ]
    start = time.perf_counter()
    for _ in range(ROUNDS):
        parsed = check_template(TEMPLATE, TargetOS.WINDOWS).parsed
        assert parsed is not None
        for client in clients:
            result = render_parsed(parsed, client, DocumentKind.PURCHASE, date(2026, 3, 9))
            assert result.ok
    elapsed = (time.perf_counter() - start) / ROUNDS
    print(f"{'measure':<36}{'value':>12}{'target':>12}{'ratio':>8}")
    milliseconds = elapsed * 1000
    label = "preview of 1,000 clients (ms)"
    print(f"{label:<36}{milliseconds:>12.1f}{50:>12}{milliseconds / 50:>8.2f}")
    print(f"{'renders per second':<36}{CLIENTS / elapsed:>12,.0f}")
    print("reproduce: .venv/bin/python bench/bench_templates.py")


if __name__ == "__main__":
    main()
