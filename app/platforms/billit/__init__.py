"""Billit (api.billit.be): its accountant feed, its account call, their mapping into Ferry.

- :mod:`~app.platforms.billit.wire`: the payloads, named exactly as Billit's Swagger 2.0
  description names them;
- :mod:`~app.platforms.billit.client`: the HTTP calls, failures as Ferry's failure codes;
- :mod:`~app.platforms.billit.mapping`: a feed item (with its order or document and its file)
  as a Ferry :class:`~app.api.models.Document`, or a failure in plain words;
- :mod:`~app.platforms.billit.adapter`: all of it behind the engine's platform port
  (:class:`~app.platforms.billit.adapter.BillitPlatform`);
- :mod:`~app.platforms.billit.fake`: a stateful fake of the feed for tests, over real HTTP.
"""
