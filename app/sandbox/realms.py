"""The country realms the sandbox serves, each with its own office, user and data.

A realm is what an OIDC issuer is to a production platform: one country environment. The list is
fixed because the regions file of the desktop app names these realms.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RealmInfo:
    """What seeding needs to make a realm look like its country."""

    realm: str
    country: str
    office_name: str
    user_name: str
    user_email: str


REALMS: dict[str, RealmInfo] = {
    "be": RealmInfo(
        "be", "BE", "Fiduciaire Dupont & Fils", "Demo Dupont", "demo@dupont.example.be"
    ),
    "nl": RealmInfo(
        "nl",
        "NL",
        "Administratiekantoor De Vries & Zonen",
        "Demo de Vries",
        "demo@devries.example.nl",
    ),
    "fr": RealmInfo(
        "fr", "FR", "Cabinet Martin Expertise Comptable", "Demo Martin", "demo@martin.example.fr"
    ),
    "lu": RealmInfo(
        "lu", "LU", "Fiduciaire Weber & Associés", "Demo Weber", "demo@weber.example.lu"
    ),
}

#: Each realm's demo login, as the issue specifies.
DEMO_USERNAME = "demo"
#: The sandbox's documented demo password: not a secret.
DEMO_PASSWORD = "demo"
