"""The ``newssearch serve`` command. Starlette, uvicorn and Jinja2 load only when it runs."""

from __future__ import annotations

import inspect
import ipaddress
import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

import click

from newssearch.index import DOCUMENTS_ENV, INDEX_ENV, default_documents_dir, default_index_dir

EXIT_NO_INDEX = 3
EXIT_ERROR = 6
INSTALL_HINT = ("newssearch serve needs the web extra: pip install 'newssearch[web]' "
                "(or pip install '.[web]' in a clone)")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (port 0: any free port); OSError if it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not 0: asyncio sets TCP_NODELAY on accepted connections only then, and
    # without it every keep-alive response waits ~40 ms for a delayed ACK (headers and body are two writes).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def first_run_documents() -> Path | None:
    """The documents folder to index when ``serve`` starts in a fresh clone (default locations only)."""
    if os.environ.get(INDEX_ENV) or os.environ.get(DOCUMENTS_ENV):
        return None
    folder = Path(default_documents_dir())
    return folder if folder.is_dir() and any(folder.iterdir()) else None


def index_documents(location: Path) -> str | None:
    """Index the default documents folder into the default index, as ``newssearch index`` would.

    Only in a fresh clone (no index yet at the default place): the quick start is then one
    command. The server itself never writes.
    """
    from newssearch.index import index_paths  # noqa: PLC0415
    from newssearch.web.library import missing_index  # noqa: PLC0415

    click.echo(f"newssearch: no index at {location}/ yet: indexing {default_documents_dir()}/ first "
               f"(as `newssearch index`)", err=True)
    index_paths([default_documents_dir()], location)
    return missing_index(location)


@click.command("serve")
@click.option("--index", "index_dir", type=click.Path(file_okay=False), envvar=INDEX_ENV, show_envvar=True,
              help="Index folder.  [default: index/]")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback makes the index readable from other machines.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port, printed at start).")
@click.option("--time-limit", type=click.FloatRange(min=0.01), default=10.0, show_default=True, metavar="SECONDS",
              help="Stop a request's search after this long and answer 503.")
@click.option("--facets-budget", type=click.FloatRange(min=0), default=20.0, show_default=True, metavar="MS",
              help="Time the search page gives its facets and timeline before it shows them as skipped (0: no budget).")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Threads per process that search (each keeps its own reader of the index).")
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes sharing the port: searching is pure Python, so one process uses one core.")
def serve_command(index_dir: str | None, host: str, port: int, time_limit: float, facets_budget: float,
                  workers: int, processes: int) -> None:
    """Serve a search page and a JSON API over the index (read-only).

    \b
    Pages:  /?q=Belousov   /article/<id>   /speaker/<name>
    API:    /api/search?q=…  /api/article/<id>  /api/similar/<id>  /api/timeline?q=…
            /api/speakers  /api/stats   (OpenAPI: /openapi.json)

    Listens on 127.0.0.1:8000 unless told otherwise; Ctrl-C stops it. In a fresh clone
    (no index at the default place, documents/ present) it first indexes documents/. Needs the web extra
    (pip install 'newssearch[web]'). Exit codes: 3 no index, 6 the extra is missing or the
    address cannot be had.
    """
    try:
        import uvicorn  # noqa: PLC0415, F401

        from newssearch.web.library import missing_index  # noqa: PLC0415
    except ImportError:
        click.echo(f"newssearch: {INSTALL_HINT}", err=True)
        sys.exit(EXIT_ERROR)
    location = Path(index_dir or default_index_dir())
    problem = missing_index(location)
    if problem is not None and index_dir is None and first_run_documents() is not None:
        problem = index_documents(location)
    if problem is not None:
        click.echo(f"newssearch: {problem}", err=True)
        sys.exit(EXIT_NO_INDEX)
    try:
        sock = bind(host, port)
    except OSError as error:
        click.echo(f"newssearch: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        sys.exit(EXIT_ERROR)
    bound_port = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    if not is_loopback(host):
        click.echo(f"newssearch: warning: listening on {host}, not loopback: other machines can read this index "
                   f"(there is no login); use --host 127.0.0.1 to keep it local", err=True)
    click.echo(f"newssearch: serving {location}/ at http://{shown}:{bound_port}/ (Ctrl-C stops)", err=True)
    settings = {"location": str(location), "workers": workers, "time_limit": time_limit,
                "facets_budget": facets_budget / 1000 if facets_budget else None, "warm": True}
    try:
        run_server(settings, sock, processes)
    except KeyboardInterrupt:  # uvicorn raises the Ctrl-C again once it has shut down: a normal stop
        pass


def run_server(settings: dict[str, Any], sock: socket.socket, processes: int) -> None:
    """Serve on ``sock`` in this process, or in ``processes`` child processes that share it."""
    import uvicorn  # noqa: PLC0415

    from newssearch.web.app import SETTINGS_ENV, create_app  # noqa: PLC0415

    options: dict[str, Any] = {"log_level": "warning", "access_log": False, "lifespan": "on", "server_header": False}
    if processes == 1:
        uvicorn.Server(uvicorn.Config(create_app(**settings), **options)).run(sockets=[sock])
        return
    from uvicorn.supervisors import Multiprocess  # noqa: PLC0415

    os.environ[SETTINGS_ENV] = json.dumps(settings)  # the children are spawned: they read it there
    config = uvicorn.Config("newssearch.web.app:app_from_environment", factory=True, workers=processes, **options)
    if "target" in inspect.signature(Multiprocess).parameters:  # uvicorn before 0.36
        server = uvicorn.Server(config)
        Multiprocess(config, target=server.run, sockets=[sock]).run()  # type: ignore[call-arg]
    else:
        Multiprocess(config, sockets=[sock]).run()
