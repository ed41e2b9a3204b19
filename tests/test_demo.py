"""The README's run command: Ferry syncing live from its in-process sandbox."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunFerry


def test_demo_delivers_seeded_and_trickled_documents_and_runs_again(
    run_ferry: RunFerry, tmp_path: Path
) -> None:
    home = tmp_path / "demo-home"
    first = run_ferry("--home", str(home), "demo", "--for", "8", "--trickle", "1", timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Sandbox platform on http://127.0.0.1:" in first.stdout
    delivered = [line for line in first.stdout.splitlines() if line.startswith("forwarded")]
    assert len(delivered) >= 10
    files = [p for p in (home / "Accounting").rglob("*") if p.is_file()]
    assert any(p.suffix == ".xml" for p in files) and any(p.suffix == ".cod" for p in files)
    # ubl+pdf: every invoice has its PDF beside it
    for xml in (p for p in files if p.suffix == ".xml"):
        assert xml.with_suffix(".pdf").read_bytes().startswith(b"%PDF-")
    assert not [p for p in files if p.name.startswith(".~ferry-")]
    # a second run on the same home continues where the first stopped: nothing twice
    again = run_ferry("--home", str(home), "demo", "--for", "5", "--trickle", "1", timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr
    after = [p for p in (home / "Accounting").rglob("*") if p.is_file()]
    assert not [p for p in after if " (2)." in p.name]
    assert len(after) > len(files)
