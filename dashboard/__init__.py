"""GridScreen's domain, data and services; nothing in this package imports Dash (the screens,
``layouts/`` and ``callbacks/`` beside it, depend on it, never the other way round).

    strings, vocabulary, settings, timeutil   leaves every layer uses (the Chinese catalogue, the
               domain's codes and life cycle, configuration, time zones)
    store/     the database             domain/    the rules            figures/   what is read
    present/   how figures look         export/    files for meetings   warnings/  the four-level engine
    ingest/    file imports             connector/ a platform's database    demo/, simulate/  demo data
    web/       Flask: access, auth, API, downloads                       cli/       the gridscreen command

docs/architecture.md draws the arrows between them.
"""
