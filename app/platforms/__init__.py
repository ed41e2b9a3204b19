"""The platform port (:mod:`app.platforms.port`) and adapters for real document platforms
other than Ferry's own API (issue 19).

Each subpackage speaks one platform's wire format and maps it into Ferry's own model
(:mod:`app.api.models`); :mod:`app.platforms.choose` picks the adapter a stored login needs.
"""
