"""Faults on a real cluster: a shard down or hung gives a partial-results signal, never silently
fewer results; connections recover; a writer killed mid-batch leaves nothing unaccounted for."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import pytest

from newssearch.backends.sphinx.client import Connection, SphinxAddress
from newssearch.backends.sphinx.daemons import LocalCluster, free_ports, start_cluster, stop_cluster
from newssearch.backends.sphinx.errors import ClusterError, ClusterUnavailableError, PartialResultsError
from newssearch.backends.sphinx.store import ClusterStore, ParagraphQuery, ParagraphRecord, match_terms
from sphinx_cluster import invented_records, requires_searchd

pytestmark = requires_searchd
RECORDS = invented_records(200)


def test_a_shard_that_is_down_makes_results_partial_not_silently_fewer(sphinx_cluster: LocalCluster) -> None:
    with ClusterStore(sphinx_cluster.address) as store:
        store.add(RECORDS)
        query = ParagraphQuery(match=match_terms(["harbour"]), facets=("section",))
        full = store.search(query)
        os.kill(sphinx_cluster.shards[1].pid, signal.SIGKILL)  # type: ignore[arg-type]
        with pytest.raises(PartialResultsError, match=r"partial results.*agent .*:\d+") as error:
            store.search(query)
        assert error.value.result.total_found < full.total
        with pytest.raises(PartialResultsError):
            store.count(query)
        partial = store.search(query, allow_partial=True)
        assert partial.partial and partial.warnings and 0 < partial.total < full.total
        start_cluster(sphinx_cluster.folder)  # restarts the dead shard, which replays its binary log
        healed = store.search(query)
        assert not healed.partial and healed.total == full.total


def test_a_hung_shard_makes_results_partial_after_the_agent_timeout(sphinx_cluster: LocalCluster) -> None:
    with ClusterStore(sphinx_cluster.address) as store:
        store.add(RECORDS)
        os.kill(sphinx_cluster.shards[0].pid, signal.SIGSTOP)  # type: ignore[arg-type]
        started = time.monotonic()
        with pytest.raises(PartialResultsError, match="timed out"):
            store.documents()
        assert time.monotonic() - started < 5  # agent_connect_timeout is 1 s
        with pytest.raises(ClusterUnavailableError, match="did not answer within 0.5 s"):
            Connection(sphinx_cluster.shard_addresses[0], timeout=0.5, connect_timeout=0.5).rows("SHOW STATUS")


def test_a_connection_reopens_after_its_daemon_restarted(sphinx_cluster: LocalCluster) -> None:
    connection = Connection(sphinx_cluster.address)
    assert connection.rows("SHOW STATUS LIKE 'uptime'")
    stop_cluster(sphinx_cluster.folder)
    with pytest.raises(ClusterUnavailableError, match=f"{sphinx_cluster.address}: .*"):
        connection.rows("SHOW STATUS LIKE 'uptime'")
    start_cluster(sphinx_cluster.folder)
    assert connection.rows("SHOW STATUS LIKE 'uptime'")
    connection.close()


def test_nothing_listening_is_a_one_line_unavailable_error() -> None:
    (port,) = free_ports("127.0.0.1", 1)
    with pytest.raises(ClusterUnavailableError) as error:
        ClusterStore(SphinxAddress("127.0.0.1", port))
    assert f"sphinx://127.0.0.1:{port}" in str(error.value) and "\n" not in str(error.value)


def test_an_address_that_is_not_an_aggregator_is_a_clear_error(sphinx_cluster: LocalCluster) -> None:
    with pytest.raises(ClusterError, match="is not a newssearch cluster's aggregator") as error:
        ClusterStore(sphinx_cluster.shard_addresses[0])
    assert "\n" not in str(error.value)


def test_a_writer_killed_mid_batch_leaves_pending_files_that_recovery_clears(sphinx_cluster: LocalCluster) -> None:
    files: dict[str, tuple[dict[str, Any], list[ParagraphRecord]]] = {}
    for record in RECORDS:
        files.setdefault(record.path, ({"size": 1}, []))[1].append(record)
    paths = sorted(files)
    with ClusterStore(sphinx_cluster.address) as store:
        store.replace_files({path: files[path] for path in paths[:10]})  # committed
        store.manifest.begin({path: files[path][0] for path in paths[10:]})  # then the writer dies after
        store.add(r for path in paths[10:12] for r in files[path][1])  # writing part of its batch
    with ClusterStore(sphinx_cluster.address) as store:  # the next run
        assert store.manifest.pending() == paths[10:]
        assert store.recover() == paths[10:]
        committed = sum(len(files[path][1]) for path in paths[:10])
        assert store.documents() == committed and set(store.manifest.files()) == set(paths[:10])
        store.replace_files({path: files[path] for path in paths[10:]})
        store.replace_files({path: files[path] for path in paths[:3]})  # re-indexing adds no duplicates
        assert store.documents() == len(RECORDS)
        assert store.manifest.pending() == [] and len(store.manifest.files()) == len(paths)
