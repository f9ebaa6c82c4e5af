"""A local Sphinx cluster in one folder: N real-time shard daemons and one aggregator.

``start_cluster`` writes a ``searchd`` config per daemon (shards: the RT paragraph index;
aggregator: a distributed index whose agents are the shards' native-protocol listeners, plus
the small meta and speaker indexes), picks free loopback ports, starts every daemon and waits
until each answers. What it started (ports, PIDs) is kept in ``cluster.json`` in the folder, so
``cluster_status`` and ``stop_cluster`` work from any other process.

Daemons run in the foreground mode of ``searchd`` (``--nodetach``) in a session of their own, so
the PID recorded is the daemon's, known without a PID file race; a daemon survives the command
that started it. Stopping signals only PIDs recorded here, and only after checking in ``/proc``
that the process is still that daemon (same PID and same start time), so a reused PID is
never signalled. A daemon that ignores SIGTERM for ``timeout`` seconds (the trap seen when
``PACKEDFACTORS()`` crashed an aggregator) is killed.

Starting again a folder whose daemons are stopped restarts them on the same ports, on the same
data (RT indexes replay their binary log after a kill).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from newssearch.backends.sphinx.client import Connection, SphinxAddress
from newssearch.backends.sphinx.errors import ClusterError, DaemonError
from newssearch.backends.sphinx.schema import aggregator_index_config, shard_index_config

STATE_FILE = "cluster.json"
AGGREGATOR = "aggregator"
_STATE_VERSION = 1
_POLL_SECONDS = 0.05
_LOG_TAIL_LINES = 5
# Popen objects of daemons this process started, so that their exit is reaped (no zombies that
# would look alive to ``kill(pid, 0)``).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class DaemonSettings:
    """What the configs leave to the caller: addresses, memory and the aggregator's timeouts."""

    host: str = "127.0.0.1"
    rt_mem_limit: str = "256M"
    agent_connect_timeout_ms: int = 1000
    agent_query_timeout_ms: int = 10_000


@dataclass
class Daemon:
    """One ``searchd``: its name (``shard0``..., ``aggregator``), ports and PID (None when stopped)."""

    name: str
    sql_port: int
    api_port: int
    pid: int | None = None
    started: int | None = None  # the process's start time (clock ticks after boot): PID + start = identity

    def folder(self, root: Path) -> Path:
        return root / self.name

    def config(self, root: Path) -> Path:
        return root / self.name / "searchd.conf"


@dataclass
class LocalCluster:
    """The daemons of a cluster folder, as recorded in its ``cluster.json``."""

    folder: Path
    shards: list[Daemon]
    aggregator: Daemon
    settings: DaemonSettings = field(default_factory=DaemonSettings)

    @property
    def daemons(self) -> list[Daemon]:
        return [*self.shards, self.aggregator]

    @property
    def address(self) -> SphinxAddress:
        """Where to search: the aggregator's SphinxQL listener."""
        return SphinxAddress(self.settings.host, self.aggregator.sql_port)

    @property
    def shard_addresses(self) -> list[SphinxAddress]:
        """Where to write: each shard's SphinxQL listener, in shard order."""
        return [SphinxAddress(self.settings.host, shard.sql_port) for shard in self.shards]

    def save(self) -> None:
        """Write ``cluster.json`` atomically."""
        data = {"version": _STATE_VERSION, "settings": asdict(self.settings),
                "shards": [asdict(d) for d in self.shards], "aggregator": asdict(self.aggregator)}
        temporary = self.folder / f".{STATE_FILE}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, self.folder / STATE_FILE)

    @classmethod
    def load(cls, folder: Path) -> LocalCluster:
        """Read the cluster recorded in ``folder``; DaemonError when there is none."""
        path = Path(folder) / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(Path(folder).resolve(), [Daemon(**d) for d in data["shards"]], Daemon(**data["aggregator"]),
                       DaemonSettings(**data.get("settings", {})))
        except FileNotFoundError:
            raise DaemonError(f"no cluster in {folder} (no {STATE_FILE}); start one with "
                              f"`newssearch cluster start --dir {folder}`") from None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise DaemonError(f"cannot read {path}: {error}") from None


@dataclass(frozen=True)
class DaemonStatus:
    """How one daemon is: ``running``, ``hung`` (alive, not answering), ``down`` or ``stopped``."""

    name: str
    state: str
    pid: int | None
    sql_port: int
    detail: str = ""
    rss_bytes: int | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class StopOutcome:
    """How one daemon ended: ``stopped`` (on SIGTERM), ``killed`` (SIGKILL) or ``not running``."""

    name: str
    pid: int | None
    outcome: str


def searchd_path() -> str:
    """The ``searchd`` program; DaemonError saying how to install it when it is missing."""
    path = shutil.which("searchd")
    if path is None:
        raise DaemonError("searchd not found: install Sphinx (Debian: apt-get install -y sphinxsearch)")
    return path


def free_ports(host: str, count: int) -> list[int]:
    """``count`` distinct ports free on ``host`` now (held open together, so they differ)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
            sock.bind((host, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def create_cluster(folder: Path, shards: int, settings: DaemonSettings = DaemonSettings()) -> LocalCluster:
    """Record a new cluster of ``shards`` shards in ``folder`` on free ports and write its configs."""
    if shards < 1:
        raise DaemonError(f"a cluster needs at least one shard, not {shards}")
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    ports = free_ports(settings.host, 2 * shards + 2)
    cluster = LocalCluster(folder, [Daemon(f"shard{i}", ports[2 * i], ports[2 * i + 1]) for i in range(shards)],
                           Daemon(AGGREGATOR, ports[-2], ports[-1]), settings)
    write_configs(cluster)
    cluster.save()
    return cluster


def write_configs(cluster: LocalCluster) -> None:
    """Write every daemon's ``searchd.conf`` (and make its data folder)."""
    settings = cluster.settings
    agents = [f"{settings.host}:{shard.api_port}" for shard in cluster.shards]
    for daemon in cluster.daemons:
        folder = daemon.folder(cluster.folder)
        (folder / "data").mkdir(parents=True, exist_ok=True)
        if daemon is cluster.aggregator:
            indexes = aggregator_index_config(agents, str(folder / "data"), settings.agent_connect_timeout_ms,
                                              settings.agent_query_timeout_ms)
        else:
            indexes = shard_index_config(str(folder / "data" / "newssearch"), settings.rt_mem_limit)
        daemon.config(cluster.folder).write_text(indexes + _searchd_section(daemon, folder, settings.host),
                                                 encoding="utf-8")


def _searchd_section(daemon: Daemon, folder: Path, host: str) -> str:
    """The ``searchd`` section: the native listener first (what agents talk to), then SphinxQL."""
    return "\n".join([
        "searchd", "{",
        f"    listen = {host}:{daemon.api_port}",
        f"    listen = {host}:{daemon.sql_port}:mysql41",
        f"    log = {folder / 'searchd.log'}",
        f"    pid_file = {folder / 'searchd.pid'}",
        f"    binlog_path = {folder / 'data'}",
        "    workers = threads",
        "    max_packet_size = 32M",
        "    client_timeout = 3600",
        "    preopen_indexes = 1",
        "}", ""])


def start_cluster(folder: Path, shards: int | None = None, settings: DaemonSettings | None = None,
                  timeout: float = 30.0) -> LocalCluster:
    """Start the cluster recorded in ``folder`` (creating it with ``shards`` shards if there is
    none) and wait until every daemon answers; return it. Daemons already running are kept.

    A new cluster whose port was taken between choosing and binding is created again on other
    ports (up to three times); a recorded cluster keeps its ports, and a taken port is an error.
    """
    searchd = searchd_path()
    folder = Path(folder).resolve()
    existing = (folder / STATE_FILE).exists()
    for attempt in range(1 if existing else 3):
        cluster = LocalCluster.load(folder) if existing else create_cluster(folder, shards or 2,
                                                                            settings or DaemonSettings())
        if shards is not None and shards != len(cluster.shards):
            raise DaemonError(f"the cluster in {folder} has {len(cluster.shards)} shards, not {shards} "
                              f"(documents are routed by shard count; use a new folder)")
        try:
            _start_daemons(cluster, searchd, timeout)
        except _PortTaken as error:
            if existing or attempt == 2:
                raise DaemonError(str(error)) from None
            continue
        _register(cluster)
        return cluster
    raise AssertionError("unreachable")


class _PortTaken(DaemonError):
    """A daemon could not listen on its port."""


def _start_daemons(cluster: LocalCluster, searchd: str, timeout: float) -> None:
    """Start the daemons that are not running (shards first), record their PIDs, wait for all."""
    host = cluster.settings.host
    to_start = [d for d in cluster.daemons if not (d.pid is not None and _daemon_alive(d))]
    taken = [port for d in to_start for port in (d.api_port, d.sql_port) if not _port_free(host, port)]
    if taken:  # searchd itself would retry bind() for about 20 s before giving up
        raise _PortTaken(f"port {', '.join(map(str, taken))} on {host} is in use by another program")
    log_offsets = {}
    for daemon in to_start:
        folder = daemon.folder(cluster.folder)
        log_offsets[daemon.name] = _size(folder / "searchd.log")
        with open(folder / "searchd.out", "wb") as output:
            process = subprocess.Popen([searchd, "--config", str(daemon.config(cluster.folder)), "--nodetach"],
                                       stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                       cwd=folder, start_new_session=True)
        _CHILDREN[process.pid] = process
        daemon.pid, daemon.started = process.pid, _start_ticks(process.pid)
    cluster.save()
    try:
        _wait_until_answering(cluster, to_start, log_offsets, timeout)
    except DaemonError:
        _terminate(cluster, to_start, timeout=5.0)
        cluster.save()
        raise


def _port_free(host: str, port: int) -> bool:
    """Whether nothing listens on ``port``; SO_REUSEADDR as searchd sets it, so that connections
    of a stopped daemon still in TIME_WAIT do not count."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _wait_until_answering(cluster: LocalCluster, daemons: list[Daemon], log_offsets: dict[str, int],
                          timeout: float) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(daemons)
    while waiting:
        for daemon in list(waiting):
            tail = _log_tail(daemon.folder(cluster.folder), since=log_offsets[daemon.name])
            if "bind() failed" in tail:
                raise _PortTaken(f"{daemon.name} cannot listen on its port: {tail}")
            if not _daemon_alive(daemon):
                raise DaemonError(f"{daemon.name} exited on start: {tail or 'no message'}")
            if ping(SphinxAddress(cluster.settings.host, daemon.sql_port), timeout=0.5) is not None:
                waiting.remove(daemon)
        if waiting and time.monotonic() > deadline:
            names = ", ".join(d.name for d in waiting)
            raise DaemonError(f"{names} did not answer within {timeout:g} s (see {cluster.folder}/*/searchd.log)")
        if waiting:
            time.sleep(_POLL_SECONDS * 4)


def _register(cluster: LocalCluster) -> None:
    """Record the shards' SphinxQL addresses in the cluster, so writers need only its address."""
    from newssearch.backends.sphinx.meta import MetaTable, write_topology

    with Connection(cluster.address) as connection:
        write_topology(MetaTable(connection), cluster.shard_addresses)


def ping(address: SphinxAddress, timeout: float) -> int | None:
    """The daemon's uptime in seconds, or None when it does not answer within ``timeout``."""
    try:
        with Connection(address, connect_timeout=timeout, timeout=timeout) as connection:
            rows = connection.rows("SHOW STATUS LIKE 'uptime'")
    except ClusterError:
        return None
    return int(rows[0][1]) if rows else 0


def cluster_status(folder: Path, timeout: float = 2.0) -> list[DaemonStatus]:
    """Check every daemon of the cluster in ``folder``: alive, and answering within ``timeout``."""
    cluster = LocalCluster.load(folder)
    return [_daemon_status(cluster, daemon, timeout) for daemon in cluster.daemons]


def _daemon_status(cluster: LocalCluster, daemon: Daemon, timeout: float) -> DaemonStatus:
    if daemon.pid is None:
        return DaemonStatus(daemon.name, "stopped", None, daemon.sql_port)
    if not _daemon_alive(daemon):
        return DaemonStatus(daemon.name, "down", daemon.pid, daemon.sql_port,
                            f"process {daemon.pid} is gone; {_log_tail(daemon.folder(cluster.folder), 1)}".rstrip("; "))
    rss = _rss_bytes(daemon.pid)
    uptime = ping(SphinxAddress(cluster.settings.host, daemon.sql_port), timeout)
    if uptime is None:
        stopped = " (process stopped by a signal)" if _proc_state(daemon.pid) == "T" else ""
        return DaemonStatus(daemon.name, "hung", daemon.pid, daemon.sql_port,
                            f"alive but not answering within {timeout:g} s{stopped}", rss)
    return DaemonStatus(daemon.name, "running", daemon.pid, daemon.sql_port, f"up {uptime} s", rss)


def stop_cluster(folder: Path, timeout: float = 30.0) -> list[StopOutcome]:
    """Stop every daemon of the cluster in ``folder``: SIGTERM, then SIGKILL after ``timeout`` s."""
    cluster = LocalCluster.load(folder)
    outcomes = _terminate(cluster, cluster.daemons, timeout)
    cluster.save()
    return outcomes


def _terminate(cluster: LocalCluster, daemons: list[Daemon], timeout: float) -> list[StopOutcome]:
    """Send SIGTERM to each live daemon, wait, SIGKILL the ones still alive; clear their PIDs."""
    outcomes: dict[str, StopOutcome] = {}
    live = []
    for daemon in daemons:
        if daemon.pid is not None and _daemon_alive(daemon):
            _signal(daemon.pid, signal.SIGTERM)
            live.append(daemon)
        else:
            outcomes[daemon.name] = StopOutcome(daemon.name, daemon.pid, "not running")
    for daemon in _wait_for_exit(cluster, live, timeout):
        _signal(daemon.pid, signal.SIGKILL)  # type: ignore[arg-type]
        outcomes[daemon.name] = StopOutcome(daemon.name, daemon.pid, "killed")
    remaining = _wait_for_exit(cluster, [d for d in live if d.name in outcomes], 10.0)
    if remaining:
        raise DaemonError(f"{', '.join(d.name for d in remaining)} survived SIGKILL (PIDs "
                          f"{', '.join(str(d.pid) for d in remaining)})")
    for daemon in live:
        outcomes.setdefault(daemon.name, StopOutcome(daemon.name, daemon.pid, "stopped"))
    for daemon in daemons:
        if daemon.pid is not None:
            _CHILDREN.pop(daemon.pid, None)
        daemon.pid = daemon.started = None
    return [outcomes[d.name] for d in daemons]


def _wait_for_exit(cluster: LocalCluster, daemons: list[Daemon], timeout: float) -> list[Daemon]:
    """Wait up to ``timeout`` s for ``daemons`` to exit; return those still alive."""
    deadline = time.monotonic() + timeout
    alive = list(daemons)
    while alive:
        alive = [d for d in alive if _daemon_alive(d)]
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(_POLL_SECONDS)
    return alive


def _signal(pid: int, number: signal.Signals) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


def _daemon_alive(daemon: Daemon) -> bool:
    """Whether ``daemon.pid`` is still the process started for this daemon, and not dead.

    The PID and the start time recorded together identify the process, so a reused PID is never
    taken for the daemon. A process whose main thread has exited while others still run (searchd
    while it shuts down) shows state Z with several threads: it is alive until the last exits.
    """
    pid = daemon.pid
    if pid is None:
        return False
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    stat = _proc_stat(pid)
    if stat is None or (daemon.started is not None and int(stat[19]) != daemon.started):
        return False
    return stat[0] not in ("Z", "X") or _thread_count(pid) > 1


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (state first), None if no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()
    except OSError:
        return None


def _proc_state(pid: int) -> str | None:
    """The state letter of a process (R, S, T, Z, ...), None when there is no such process."""
    stat = _proc_stat(pid)
    return stat[0] if stat else None


def _start_ticks(pid: int) -> int | None:
    stat = _proc_stat(pid)
    return int(stat[19]) if stat else None


def _thread_count(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


def _rss_bytes(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _log_tail(folder: Path, lines: int = _LOG_TAIL_LINES, since: int = 0) -> str:
    """The last FATAL/WARNING/ERROR lines of a daemon's console output and of its log from byte
    ``since`` on (what this start wrote), on one line."""
    found: list[str] = []
    for name, offset in (("searchd.out", 0), ("searchd.log", since)):
        try:
            with open(folder / name, "rb") as file:
                file.seek(offset)
                text = file.read().decode("utf-8", errors="replace")
        except OSError:
            continue
        found += [line.strip() for line in text.splitlines()
                  if "FATAL" in line or "WARNING" in line or "ERROR" in line or "bind() failed" in line]
    return " | ".join(found[-lines:])
