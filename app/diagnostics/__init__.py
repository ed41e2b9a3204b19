"""Export diagnostics (issue 17): one zip that support can read without ever holding a secret.

``collect`` gathers the sections (versions, settings, the state's summary, activity, logs),
``redact`` removes secrets and, on request, client and file names, ``pseudonyms`` makes the
stable stand-ins for those names, ``template_names`` finds client names in the paths Ferry
wrote, and ``archive`` writes and checks the zip; :mod:`app.application.diagnostics` ties
them into the one function every face calls.
"""
