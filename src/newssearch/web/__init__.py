"""``newssearch serve``: a search page and a JSON API over an index (the ``web`` extra).

Layout: :mod:`~newssearch.web.command` (the click command; imports nothing heavy, so the CLI
loads as fast without the extra), :mod:`~newssearch.web.app` (routes, errors, headers, worker
threads), :mod:`~newssearch.web.library` (every call into newssearch, in one place),
:mod:`~newssearch.web.params` (parameters and their bounds), :mod:`~newssearch.web.html`
(models to HTML, with the templates and static files beside it),
:mod:`~newssearch.web.openapi` and :mod:`~newssearch.web.budget` (the time limit).

When issue 12 lands: ``library.search_arguments`` builds a ``SearchRequest``; ``library.export``
and ``html`` join the output registry; the time limit moves into the request (``budget`` goes);
``library.SnapshotIndex`` is replaced by the engine's way to read one committed state.
"""
