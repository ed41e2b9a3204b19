"""The status view's tests again, over the model that reads the table from the state a page
at a time (:class:`app.gui.table_model.TableModel`, issue 18) instead of the in-memory one:
the window must behave the same whichever holds the rows."""

from __future__ import annotations

import pytest

import tests.gui.test_status_view as base
from app.gui.table_model import TableModel
from tests.gui.test_status_view import *  # noqa: F403 - the same tests, collected here again


@pytest.fixture(autouse=True)
def _table_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "DocumentsModel", TableModel)
