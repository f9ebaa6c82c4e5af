"""The cluster's own small records, kept in an RT index on the aggregator (``newssearch_meta``).

A row is ``(kind, name) -> JSON value``: the topology (where the shards' SphinxQL listeners are,
so a writer needs only the cluster's address), the manifest of indexed files and the writer lock.
Keeping them in the cluster, not on the machine that indexes, is what lets two machines share one
cluster without indexing twice.

Rows are written with REPLACE only: ``INSERT`` of an id already in a disk chunk silently replaces
it, so its "duplicate id" error cannot be relied on. A row's id is a 63-bit hash of its kind and
name. Listing a kind pages by id (``id > last``), not by offset, so ``max_matches`` never caps it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from newssearch.backends.sphinx.client import Connection, SphinxAddress
from newssearch.backends.sphinx.errors import ClusterError, ClusterUnavailableError
from newssearch.backends.sphinx.schema import LAYOUT_VERSION, META_INDEX, key63

TOPOLOGY = ("cluster", "topology")
_PAGE = 1000
_BATCH = 500


def row_id(kind: str, name: str) -> int:
    """The document id of the meta row ``(kind, name)``."""
    return key63(f"{kind}\n{name}")


class MetaTable:
    """Read and write ``(kind, name) -> value`` rows of the meta index over one connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, kind: str, name: str) -> Any | None:
        """The value of one row, or None."""
        result = self.connection.select(f"SELECT value FROM {META_INDEX} WHERE id = %s", (row_id(kind, name),))
        return json.loads(result.rows[0][0]) if result.rows else None

    def put(self, kind: str, name: str, value: Any) -> None:
        """Write one row (replacing it)."""
        self.put_many(kind, {name: value})

    def put_many(self, kind: str, values: Mapping[str, Any]) -> None:
        """Write many rows of one kind, a few hundred per statement."""
        items = list(values.items())
        for start in range(0, len(items), _BATCH):
            batch = items[start:start + _BATCH]
            placeholders = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
            args: list[Any] = []
            for name, value in batch:
                args += [row_id(kind, name), kind, kind, name, json.dumps(value, sort_keys=True)]
            self.connection.execute(f"REPLACE INTO {META_INDEX} (id, kind_text, kind, name, value) "
                                    f"VALUES {placeholders}", args)

    def delete_many(self, kind: str, names: Iterable[str]) -> int:
        """Delete rows; return how many existed."""
        ids = [row_id(kind, name) for name in names]
        deleted = 0
        for start in range(0, len(ids), _BATCH):
            batch = ids[start:start + _BATCH]
            deleted += self.connection.execute(
                f"DELETE FROM {META_INDEX} WHERE id IN ({', '.join(['%s'] * len(batch))})", batch)
        return deleted

    def scan(self, kind: str) -> Iterator[tuple[str, Any]]:
        """Every ``(name, value)`` of one kind, in id order."""
        last = 0
        while True:
            result = self.connection.select(
                f"SELECT id, name, value FROM {META_INDEX} WHERE kind = %s AND id > %s "
                f"ORDER BY id ASC LIMIT {_PAGE}", (kind, last))
            for _, name, value in result.rows:
                yield name, json.loads(value)
            if len(result.rows) < _PAGE:
                return
            last = result.rows[-1][0]

    def server_time(self) -> int:
        """The aggregator's clock (Unix seconds): one clock for every writer's lock expiry."""
        return int(self.connection.rows("SELECT NOW()")[0][0])


@dataclass(frozen=True)
class Topology:
    """Where the cluster's shards take writes, in shard order (document routing uses the count)."""

    shards: tuple[SphinxAddress, ...]
    layout: int = LAYOUT_VERSION


def write_topology(table: MetaTable, shards: Iterable[SphinxAddress]) -> Topology:
    """Record the shards' SphinxQL addresses in the cluster (done by whoever configures it)."""
    topology = Topology(tuple(shards))
    table.put(*TOPOLOGY, {"layout": topology.layout, "shards": [str(s) for s in topology.shards]})
    return topology


def read_topology(table: MetaTable) -> Topology:
    """The recorded topology; ClusterError when the cluster has none or another layout."""
    try:
        value = table.get(*TOPOLOGY)
    except ClusterUnavailableError:
        raise
    except ClusterError as error:  # no meta index: some other Sphinx daemon, or a shard
        raise ClusterError(f"{table.connection.address} is not a newssearch cluster's aggregator "
                           f"({error})") from None
    if not isinstance(value, dict) or not value.get("shards"):
        raise ClusterError(f"{table.connection.address} records no shards: is it a newssearch cluster "
                           f"(started with `newssearch cluster start`)?")
    if value.get("layout") != LAYOUT_VERSION:
        raise ClusterError(f"{table.connection.address} has layout {value.get('layout')}, this newssearch "
                           f"writes layout {LAYOUT_VERSION}: rebuild the cluster")
    return Topology(tuple(SphinxAddress.parse(s) for s in value["shards"]), LAYOUT_VERSION)
