"""``newssearch serve``: a search page and a JSON API over an index (the ``web`` extra).

Layout: :mod:`~newssearch.web.command` (the click command; imports nothing heavy, so the CLI
loads as fast without the extra), :mod:`~newssearch.web.app` (routes, errors, headers, worker
threads), :mod:`~newssearch.web.library` (every call into newssearch, in one place),
:mod:`~newssearch.web.params` (parameters and their bounds), :mod:`~newssearch.web.html`
(models to HTML, with the templates and static files beside it),
:mod:`~newssearch.web.openapi` and :mod:`~newssearch.web.budget` (the time limit).

Searches are the CLI's ``SearchRequest``; exports go through the output registry; each worker
thread reads one committed state per request. The time limit stays in :mod:`budget`: it stops
the work on its thread at the deadline (the request's own ``time_budget`` is checked between
stages by the backend, which cannot stop a stage midway).
"""
