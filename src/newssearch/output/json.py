"""JSON for programs: one document with every field (``json``), or one object per hit or period
and line (``jsonl``). What JSON leaves raw but a terminal would act on is escaped
(:func:`~newssearch.output.escape.to_json`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from newssearch.models import Hit, SearchResults, SimilarResults, Timeline
from newssearch.output.escape import to_json


class _HasDict(Protocol):
    def to_dict(self) -> dict[str, object]: ...


def document(value: _HasDict) -> str:
    """Any model as one JSON document (its ``to_dict``)."""
    return to_json(value.to_dict())


def hits_jsonl(hits: Iterable[Hit]) -> str:
    """One JSON object per hit and line (the fields of ``Hit.to_dict``)."""
    return "\n".join(to_json(hit.to_dict(), indent=None) for hit in hits)


def results_jsonl(results: SearchResults | SimilarResults) -> str:
    return hits_jsonl(results.hits)


def timeline_jsonl(result: Timeline) -> str:
    return "\n".join(to_json(bucket.to_dict(), indent=None) for bucket in result.buckets)
