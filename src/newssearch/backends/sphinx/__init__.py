"""The Sphinx cluster backend: paragraph documents on RT shards behind a distributed aggregator.

Named for the protocol (SphinxQL over the MySQL wire protocol), which Sphinx 2.2 and Manticore
Search both speak. Modules, bottom up: ``schema`` (index layout, term mapping, hashes),
``client`` (one SphinxQL connection), ``meta`` (the cluster's own records), ``lock`` and
``manifest`` (writer coordination kept in the cluster), ``store`` (documents: write, delete,
search), ``daemons`` (a local cluster in a folder) and ``cli`` (``newssearch cluster``).
Needs the ``cluster`` extra (PyMySQL) and, for a local cluster, ``searchd``.
"""
