"""Start django-oauth-toolkit on 127.0.0.1 for Ferry's interop tests.

    python -m tests.auth.dot_provider [--fixed-redirect URI]

A fresh SQLite database in a temporary folder, migrated at start; a user ``demo`` (password
``demo``, the test login); two public clients with PKCE required: ``ferry-desktop``,
registered as ``http://127.0.0.1/callback`` (any port, RFC 8252 7.3, as the toolkit allows),
and ``ferry-fixed-port`` with the one ``--fixed-redirect`` URI, matched exactly; OpenID Connect
on with an RSA key made now; refresh tokens rotated; revocation on. Prints one JSON line
``{"issuer": ...}`` once it listens, and stops on SIGTERM or when its stdin closes.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType
from typing import Any

HERE = Path(__file__).resolve().parent
SCOPES = {
    "openid": "Know who you are",
    "profile": "Your name",
    "email": "Your email address",
    "offline_access": "Stay logged in",
    "documents": "Your office's documents",
}


def _rsa_key() -> str:
    """A new signing key for ID tokens, in memory only (never written to a file)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def configure(database: Path) -> None:
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS=["127.0.0.1"],
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        ROOT_URLCONF="tests.auth.dot_provider.urls",
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)}},
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [str(HERE / "templates")],
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                    ]
                },
            }
        ],
        LOGIN_URL="/accounts/login/",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        # a fast hash: the one password is the test's own, and starting quickly matters more
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        LOGGING_CONFIG=None,
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": _rsa_key(),
            "PKCE_REQUIRED": True,
            "ROTATE_REFRESH_TOKEN": True,
            "SCOPES": SCOPES,
            "DEFAULT_SCOPES": ["openid"],
            "ACCESS_TOKEN_EXPIRE_SECONDS": 120,
            "ALLOWED_REDIRECT_URI_SCHEMES": ["http"],
            "OAUTH2_VALIDATOR_CLASS": "tests.auth.dot_provider.validator.FerryTestValidator",
        },
    )


def populate(fixed_redirect: str | None) -> None:
    """Migrations, the user and the clients."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import get_application_model

    from tests.auth.dot_provider.validator import STRICT_CLIENT

    call_command("migrate", verbosity=0, interactive=False)
    get_user_model().objects.create_user(
        "demo", email="demo@example.org", password="demo", first_name="Demo", last_name="User"
    )
    application = get_application_model()
    clients = [("ferry-desktop", "http://127.0.0.1/callback")]
    if fixed_redirect:
        clients.append((STRICT_CLIENT, fixed_redirect))
    for client_id, redirect_uri in clients:
        application.objects.create(
            client_id=client_id,
            name=client_id,
            client_type=application.CLIENT_PUBLIC,
            authorization_grant_type=application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=redirect_uri,
            algorithm=application.RS256_ALGORITHM,
            skip_authorization=False,
        )


def serve() -> None:
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        """No access log: request lines carry authorization codes and tokens."""

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.daemon_threads = True
    server.set_app(get_wsgi_application())
    port = server.server_address[1]
    print(json.dumps({"issuer": f"http://127.0.0.1:{port}/o"}), flush=True)

    def stop(*_: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop()

    signal.signal(signal.SIGTERM, on_signal)
    threading.Thread(target=lambda: (sys.stdin.read(), stop()), daemon=True).start()
    server.serve_forever()
    server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.auth.dot_provider")
    parser.add_argument("--fixed-redirect", help="the one redirect URI of ferry-fixed-port")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="ferry-dot-"))
    try:
        configure(folder / "provider.sqlite3")
        import django

        django.setup()
        populate(args.fixed_redirect)
        serve()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    sys.exit(main())
