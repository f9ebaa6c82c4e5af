"""``newssearch cluster``: start, check and stop a local Sphinx cluster (for trying and for tests).

Attached to the main command with ``main.add_command(cluster)``. Each command calls one function
of :mod:`newssearch.backends.sphinx.daemons`; library errors become one line on stderr.
Exit codes: 0 success; 1 ``status`` found a daemon not running; 6 any error (as ``newssearch``).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from newssearch.backends.sphinx.daemons import (
    DaemonSettings, DaemonStatus, LocalCluster, cluster_status, start_cluster, stop_cluster,
)
from newssearch.errors import NewssearchError

DIR_ENV = "NEWSSEARCH_CLUSTER_DIR"
EXIT_NOT_RUNNING = 1
EXIT_ERROR = 6

_dir_option = click.option(
    "--dir", "folder", required=True, envvar=DIR_ENV, show_envvar=True,
    type=click.Path(file_okay=False, path_type=Path), help="The cluster's folder (configs, data, logs, PIDs).")


def _one_line_errors(command: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except NewssearchError as error:
            click.echo(f"newssearch: {error}", err=True)
            sys.exit(EXIT_ERROR)
        except OSError as error:
            click.echo(f"newssearch: {error.filename or ''}{': ' if error.filename else ''}{error.strerror}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


@click.group()
def cluster() -> None:
    """Run a local Sphinx cluster: N real-time shards and an aggregator on loopback ports."""


@cluster.command()
@click.option("--shards", type=click.IntRange(1, 64), default=None,
              help="Shard daemons of a new cluster (default 2); an existing one keeps its own.")
@_dir_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the daemons listen on (new cluster).")
@click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True,
              help="Seconds to wait for every daemon to answer.")
@_one_line_errors
def start(shards: int | None, folder: Path, host: str, timeout: float) -> None:
    """Write the configs (new folder), start the daemons and print the sphinx:// address to use."""
    started = start_cluster(folder, shards, DaemonSettings(host=host), timeout=timeout)
    click.echo(f"cluster of {len(started.shards)} shards and an aggregator running in {started.folder}", err=True)
    click.echo(str(started.address))


@cluster.command()
@_dir_option
@click.option("--timeout", type=click.FloatRange(min=0.1), default=2.0, show_default=True,
              help="Seconds a daemon has to answer before it is reported hung.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@_one_line_errors
def status(folder: Path, timeout: float, as_json: bool) -> None:
    """Check every daemon: running, hung (alive but not answering), down or stopped. Exits 1 unless
    all are running."""
    statuses = cluster_status(folder, timeout)
    address = str(LocalCluster.load(folder).address)
    if as_json:
        click.echo(json.dumps({"address": address, "daemons": [s.to_dict() for s in statuses]}, indent=1))
    else:
        click.echo(f"cluster {address}")
        for line in map(_status_line, statuses):
            click.echo(line)
    if any(s.state != "running" for s in statuses):
        sys.exit(EXIT_NOT_RUNNING)


def _status_line(status: DaemonStatus) -> str:
    pid = f"PID {status.pid}" if status.pid is not None else "no PID"
    memory = f", {status.rss_bytes / 2**20:.0f} MB resident" if status.rss_bytes is not None else ""
    detail = f", {status.detail}" if status.detail else ""
    return f"{status.name:<11} {status.state:<8} {pid}, port {status.sql_port}{memory}{detail}"


@cluster.command()
@_dir_option
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a daemon has to exit after SIGTERM before it is killed.")
@_one_line_errors
def stop(folder: Path, timeout: float) -> None:
    """Stop the daemons by the PIDs recorded at start, killing any that ignores the stop."""
    for outcome in stop_cluster(folder, timeout):
        pid = f" (PID {outcome.pid})" if outcome.pid is not None else ""
        click.echo(f"{outcome.name:<11} {outcome.outcome}{pid}")
