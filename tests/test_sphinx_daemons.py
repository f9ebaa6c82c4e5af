"""A local cluster in one folder: start, status (hung daemons too), stop by PID, restart on its data."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from newssearch.backends.sphinx.client import Connection
from newssearch.backends.sphinx.daemons import (
    STATE_FILE, LocalCluster, cluster_status, start_cluster, stop_cluster,
)
from newssearch.backends.sphinx.errors import DaemonError
from newssearch.backends.sphinx.store import ClusterStore
from sphinx_cluster import invented_records, requires_searchd

pytestmark = requires_searchd


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_start_writes_configs_and_every_daemon_answers(sphinx_cluster: LocalCluster) -> None:
    folder = sphinx_cluster.folder
    state = json.loads((folder / STATE_FILE).read_text())
    assert len(state["shards"]) == 2 and state["aggregator"]["pid"] == sphinx_cluster.aggregator.pid
    aggregator_config = (folder / "aggregator" / "searchd.conf").read_text()
    for shard in sphinx_cluster.shards:  # agents are the shards' native-protocol listeners
        assert f"agent = 127.0.0.1:{shard.api_port}:newssearch" in aggregator_config
        assert "type = rt" in shard.config(folder).read_text()
    assert [s.state for s in cluster_status(folder)] == ["running"] * 3
    ports = {port for d in sphinx_cluster.daemons for port in (d.sql_port, d.api_port)}
    assert len(ports) == 6


def test_status_reports_a_stopped_process_as_hung_and_stop_kills_it(sphinx_cluster: LocalCluster) -> None:
    folder, hung = sphinx_cluster.folder, sphinx_cluster.shards[1]
    os.kill(hung.pid, signal.SIGSTOP)  # type: ignore[arg-type]
    statuses = {s.name: s for s in cluster_status(folder, timeout=0.5)}
    assert statuses["shard1"].state == "hung" and "not answering" in statuses["shard1"].detail
    assert statuses["shard0"].state == statuses["aggregator"].state == "running"
    pids = [d.pid for d in sphinx_cluster.daemons]
    outcomes = {o.name: o.outcome for o in stop_cluster(folder, timeout=1.0)}
    assert outcomes == {"shard0": "stopped", "shard1": "killed", "aggregator": "stopped"}
    assert not any(_alive(pid) for pid in pids)  # type: ignore[arg-type]
    assert [s.state for s in cluster_status(folder)] == ["stopped"] * 3


def test_a_daemon_that_died_is_reported_down(sphinx_cluster: LocalCluster) -> None:
    os.kill(sphinx_cluster.aggregator.pid, signal.SIGKILL)  # type: ignore[arg-type]
    statuses = {s.name: s for s in cluster_status(sphinx_cluster.folder)}
    assert statuses["aggregator"].state == "down" and "gone" in statuses["aggregator"].detail
    assert {o.name: o.outcome for o in stop_cluster(sphinx_cluster.folder)}["aggregator"] == "not running"


def test_restarting_keeps_ports_and_documents_even_after_a_kill(sphinx_cluster: LocalCluster) -> None:
    folder = sphinx_cluster.folder
    with ClusterStore(sphinx_cluster.address) as store:
        store.add(invented_records(30))
        written = store.documents()
    os.kill(sphinx_cluster.shards[0].pid, signal.SIGKILL)  # type: ignore[arg-type]  # its binary log replays
    stop_cluster(folder, timeout=5)
    restarted = start_cluster(folder)
    assert restarted.address == sphinx_cluster.address
    with ClusterStore(restarted.address) as store:
        assert store.documents() == written > 0


def test_starting_a_running_cluster_keeps_its_daemons(sphinx_cluster: LocalCluster) -> None:
    again = start_cluster(sphinx_cluster.folder)
    assert [d.pid for d in again.daemons] == [d.pid for d in sphinx_cluster.daemons]


def test_a_cluster_cannot_be_restarted_with_another_shard_count(sphinx_cluster: LocalCluster) -> None:
    with pytest.raises(DaemonError, match="has 2 shards, not 3"):
        start_cluster(sphinx_cluster.folder, shards=3)


def test_a_port_taken_by_another_program_is_a_clear_error(sphinx_cluster: LocalCluster) -> None:
    stop_cluster(sphinx_cluster.folder)
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", sphinx_cluster.shards[0].sql_port))
        squatter.listen()
        with pytest.raises(DaemonError, match=f"port {sphinx_cluster.shards[0].sql_port} .* in use"):
            start_cluster(sphinx_cluster.folder)
    assert [s.state for s in cluster_status(sphinx_cluster.folder)] == ["stopped"] * 3


def test_status_of_a_folder_without_a_cluster_says_how_to_start_one(tmp_path: Path) -> None:
    with pytest.raises(DaemonError, match="no cluster in .*cluster start"):
        cluster_status(tmp_path)


def test_start_status_and_stop_work_from_separate_processes(tmp_path: Path) -> None:
    folder = tmp_path / "cluster"

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        code = "from newssearch.backends.sphinx.cli import cluster; cluster()"
        return subprocess.run([sys.executable, "-c", code, *args, "--dir", str(folder)], capture_output=True,
                              text=True, timeout=60)

    started = command("start", "--shards", "2")
    assert started.returncode == 0, started.stderr
    try:
        address = started.stdout.strip()
        assert address == str(LocalCluster.load(folder).address)
        with Connection(address) as connection:  # the daemons outlive the command that started them
            assert connection.rows("SHOW STATUS LIKE 'uptime'")
        status = command("status")
        assert status.returncode == 0 and status.stdout.count(" running ") == 3
    finally:
        stopped = command("stop")
    assert stopped.returncode == 0 and stopped.stdout.count(" stopped (PID ") == 3
    assert command("status").returncode == 1
