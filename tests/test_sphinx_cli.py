"""``newssearch cluster start|status|stop`` driven as a user would."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from newssearch.backends.sphinx.cli import cluster
from newssearch.backends.sphinx.daemons import LocalCluster
from sphinx_cluster import requires_searchd


@requires_searchd
def test_start_prints_the_address_status_checks_and_stop_stops(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = str(tmp_path / "cluster")
    started = runner.invoke(cluster, ["start", "--shards", "2", "--dir", folder])
    try:
        assert started.exit_code == 0, started.output
        assert started.stdout.strip() == str(LocalCluster.load(Path(folder)).address)
        assert started.stdout.startswith("sphinx://127.0.0.1:")
        status = runner.invoke(cluster, ["status", "--json"], env={"NEWSSEARCH_CLUSTER_DIR": folder})
        assert status.exit_code == 0
        report = json.loads(status.stdout)
        assert report["address"] == started.stdout.strip()
        assert [d["state"] for d in report["daemons"]] == ["running"] * 3
        os.kill(LocalCluster.load(Path(folder)).shards[0].pid, signal.SIGSTOP)  # type: ignore[arg-type]
        hung = runner.invoke(cluster, ["status", "--dir", folder, "--timeout", "0.5"])
        assert hung.exit_code == 1
        assert [line.split()[:2] for line in hung.stdout.splitlines()[1:]] == [
            ["shard0", "hung"], ["shard1", "running"], ["aggregator", "running"]]
    finally:
        stopped = runner.invoke(cluster, ["stop", "--dir", folder, "--timeout", "1"])
    assert stopped.exit_code == 0
    assert [line.split()[:2] for line in stopped.stdout.splitlines()] == [
        ["shard0", "killed"], ["shard1", "stopped"], ["aggregator", "stopped"]]


@pytest.mark.parametrize("command", ["status", "stop"])
def test_a_folder_without_a_cluster_is_a_one_line_error(tmp_path: Path, command: str) -> None:
    result = CliRunner().invoke(cluster, [command, "--dir", str(tmp_path)])
    assert result.exit_code == 6
    assert result.stderr.startswith("newssearch: no cluster in ") and result.stderr.count("\n") == 1


def test_the_folder_is_required_and_may_come_from_the_environment() -> None:
    result = CliRunner().invoke(cluster, ["status"])
    assert result.exit_code == 2 and "NEWSSEARCH_CLUSTER_DIR" in result.output


@pytest.mark.parametrize("command", [[], ["start"], ["status"], ["stop"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(cluster, [*command, "--help"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) > 3
