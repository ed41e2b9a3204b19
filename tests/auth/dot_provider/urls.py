"""The test provider's addresses: the toolkit under ``/o/`` (so its issuer has a path, as a
multi-tenant deployment's does), its RFC 8414 metadata also at the origin's root in the
issuer-path form (RFC 8414 3.1, as the toolkit's documentation asks of a prefixed
deployment), and Django's own login form."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path
from oauth2_provider import urls as dot_urls

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("o/", include(dot_urls)),
    path("", include((dot_urls.metadata_urlpatterns, "root_metadata"))),
]
