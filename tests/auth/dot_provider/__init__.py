"""django-oauth-toolkit as a second real OpenID provider for Ferry's interop tests.

A small self-contained Django project: ``python -m tests.auth.dot_provider`` starts it on
127.0.0.1 (see ``__main__``). It is the toolkit as a deployment would run it, with only what a
test needs around it: a user, two public clients, a login form and an RSA key made at start.
"""
