"""A linked client lacking a value its destination's path needs (issue 16).

The destination editor lets such a destination be saved, with a warning about that client: the
other clients are delivered as usual, and that client's documents go to Error with a failure
code and the reason (which client, which value, which variable) until the value exists; then
the next full sync delivers them.
"""

from __future__ import annotations

import datetime as dt

from app.core.failures import Failure, FailureCode, problems_from_param
from app.core.language import Language
from app.core.problems import ProblemCode
from app.settings import ClientLink, Destination, Settings, save_settings
from tests.engine.conftest import Office
from tests.engine.helpers import running


async def test_a_client_without_the_value_goes_to_error_until_it_has_one(office: Office) -> None:
    with_id = office.new_client("Bakkerij Peeters BV", file_id="D00042")
    without = office.new_client("Dupont & Fils", file_id="")
    delivered = office.add(with_id, "receipt")
    held = office.add(without, "receipt")
    destination = Destination(name="Adsolut", general_path=f"{office.root}/[accounting_file_id]")
    office.configure([destination], {with_id.id: ["Adsolut"], without.id: ["Adsolut"]})

    async with running(office) as engine:
        summary = await engine.sync_once()
        assert (summary.delivered, summary.failed) == (1, 1)
        row = engine.store.document(held.id)
        assert row is not None and row["status"] == "error"
        (failure,) = [Failure.from_json(f) for f in row["failures"]]
    assert failure.code is FailureCode.PATH_TEMPLATE and not failure.transient
    assert failure.param("destination") == "Adsolut"
    (problem,) = problems_from_param(failure.param("problems"))
    assert problem.code is ProblemCode.MISSING_VALUE and problem.about_client_data
    words = failure.message(Language.EN)
    assert "Dupont & Fils has no accounting file id" in words and "Adsolut" in words
    on_platform = office.on_platform(held.id)
    assert on_platform.status.value == "error"
    assert "Dupont & Fils" in (on_platform.status_message or "")
    assert office.on_platform(delivered.id).status.value == "forwarded"
    assert {p.name for p in office.root.iterdir()} == {"D00042"}  # nothing written for Dupont

    # the file id filled in (the Clients tab's link): the next full sync delivers the document
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    save_settings(
        office.home.settings_dir,
        Settings(
            destinations=[destination],
            links=[
                ClientLink(client_id=with_id.id, destinations=["Adsolut"], since=since),
                ClientLink(
                    client_id=without.id,
                    destinations=["Adsolut"],
                    since=since,
                    accounting_file_id="D00077",
                ),
            ],
        ),
    )
    async with running(office) as engine:
        summary = await engine.full_sync()
        row = engine.store.document(held.id)
        assert row is not None and row["status"] == "forwarded", row
    on_platform = office.on_platform(held.id)
    assert on_platform.status.value == "forwarded"
    assert on_platform.locations and all(
        loc.startswith(str(office.root / "D00077")) for loc in on_platform.locations
    )
