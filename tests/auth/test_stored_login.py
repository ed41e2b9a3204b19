"""login.json across releases: a record written before Ferry spoke other platforms means
Ferry's own platform and OpenID Connect, with its own addresses, whatever its region became."""

from __future__ import annotations

import json
from pathlib import Path

from app.auth.account import LOGIN_FILE, StoredLogin, load_login, save_login
from app.core.language import Language
from app.core.platform_kinds import LoginStrategy, PlatformName
from app.engine.engine import _office_language
from tests.conftest import REPO

EARLIER = {
    "region": "be",
    "issuer": "https://login.ferry-platform.be/realms/be",
    "api_url": "https://api.ferry-platform.be/api/v1",
    "client_id": "ferry-desktop",
    "subject": "alice",
    "office_name": "Fiduciaire Dupont",
    "logged_in_at": "2026-01-01T00:00:00Z",
}


def test_a_record_of_an_earlier_release_means_ferry_over_oidc(tmp_path: Path) -> None:
    (tmp_path / LOGIN_FILE).write_text(json.dumps(EARLIER))
    stored = load_login(tmp_path)
    assert stored is not None
    assert (stored.platform, stored.strategy) == (PlatformName.FERRY, LoginStrategy.OIDC)
    assert stored.oidc
    assert stored.issuer == EARLIER["issuer"] and stored.api_url == EARLIER["api_url"]
    # its refresh token is where that release put it
    assert stored.secret_name == "refresh-token:be:alice"
    # the region left the list; the office's language did not
    assert _office_language(stored.region) is Language.FR


def test_the_previous_releases_own_record_loads() -> None:
    fixtures = REPO / "tests" / "upgrade" / "fixtures"
    for record in fixtures.glob("*/home/settings/login.json"):
        stored = load_login(record.parent)
        assert stored is not None, record
        assert stored.platform is PlatformName.FERRY


def test_a_billit_key_login_is_kept_apart_from_refresh_tokens(tmp_path: Path) -> None:
    login = StoredLogin.model_validate(
        {
            **EARLIER,
            "region": "be-billit",
            "issuer": "https://api.billit.be",
            "api_url": "https://api.billit.be",
            "subject": "4242",
            "platform": "billit",
            "strategy": "api_key",
            "party_id": 4242,
        }
    )
    save_login(tmp_path, login)
    text = (tmp_path / LOGIN_FILE).read_text()
    assert '"platform": "billit"' in text and '"strategy": "api_key"' in text
    again = load_login(tmp_path)
    assert again == login
    assert again is not None and not again.oidc
    assert again.secret_name == "api-key:be-billit:4242"
