"""Writing the index: which files changed (``run``: plan, workers, commits), the index folder's own
files and the rebuild swap (``folder``), the manifest of what the index holds (``manifest``), the
writer lock (``lock``), the progress line (``progress``), and verifying and repairing the index
(``check``, ``repair``).

Nothing is imported here, so that reading one of these modules does not load the indexer.
"""
