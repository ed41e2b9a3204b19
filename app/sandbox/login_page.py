"""The HTML pages of the sandbox's OpenID provider: the login form and its error page.

Real pages a person (or a headless browser in the tests) fills in: fields ``username`` and
``password``, one submit button, a cancel button. Every value is HTML-escaped.
"""

from __future__ import annotations

from html import escape

_STYLE = """
body{font-family:system-ui,sans-serif;background:#f3f5f8;margin:0;display:flex;
min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;padding:2rem 2.5rem;border-radius:8px;box-shadow:0 2px 12px #0002;
width:22rem}
h1{font-size:1.3rem;margin:0 0 .3rem}p.sub{color:#555;margin:0 0 1.2rem}
label{display:block;margin:.8rem 0 .3rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;
font-size:1rem}
.error{background:#fde8e8;color:#8a1c1c;padding:.6rem;border-radius:4px;margin-bottom:1rem}
.buttons{margin-top:1.3rem;display:flex;gap:.6rem}
button{padding:.55rem 1.2rem;font-size:1rem;cursor:pointer}
.hint{color:#777;font-size:.85rem;margin-top:1.2rem}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><main>{body}</main></body></html>"
    )


def login_form(
    *, realm: str, office_name: str, login_id: str, action: str, username: str, error: str | None
) -> str:
    """The login form; ``login_id`` ties the POST to the authorization request it answers."""
    error_html = f'<div class="error" role="alert">{escape(error)}</div>' if error else ""
    return _page(
        f"Log in – {office_name}",
        f"<h1>Log in to {escape(office_name)}</h1>"
        f'<p class="sub">Ferry sandbox platform · realm <b>{escape(realm)}</b></p>'
        f"{error_html}"
        f'<form method="post" action="{escape(action)}">'
        f'<input type="hidden" name="login_id" value="{escape(login_id)}">'
        '<label for="username">Username</label>'
        f'<input type="text" id="username" name="username" value="{escape(username)}"'
        ' autocomplete="username" autofocus required>'
        '<label for="password">Password</label>'
        '<input type="password" id="password" name="password" autocomplete="current-password"'
        " required>"
        '<div class="buttons"><button type="submit" name="action" value="login" id="kc-login">'
        "Log in</button>"
        '<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button></div>'
        "</form>"
        '<p class="hint">Sandbox accounts: <code>demo</code> / <code>demo</code>.</p>',
    )


def error_page(title: str, message: str) -> str:
    return _page(
        title,
        f'<h1>{escape(title)}</h1><div class="error" role="alert">{escape(message)}</div>'
        "<p>Start the login again from Ferry.</p>",
    )


def logged_out_page() -> str:
    return _page("Logged out", "<h1>You are logged out</h1><p>You can close this tab.</p>")
