"""Write the platform API's OpenAPI document, so the contract lives in the repository too.

    .venv/bin/python -m app.sandbox.openapi_export app/api/openapi.json

A test compares the file with what the sandbox serves, so the two cannot drift apart.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from app.sandbox.app import create_app

#: Where the repository keeps the contract.
OPENAPI_FILE = Path(__file__).resolve().parents[1] / "api" / "openapi.json"


def current_openapi() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ferry-openapi-") as data:
        app = create_app(Path(data), seed_documents=0)
        try:
            return app.openapi()
        finally:
            app.state.sandbox.store.close()


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else OPENAPI_FILE
    target.write_text(render(current_openapi()), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
