"""The OpenAPI 3.1 document of the JSON API, served at ``/openapi.json``.

Parameters come from the tables in :mod:`newssearch.web.params` that the handlers read them
with, so the document cannot drift from what is checked. The response schemas list the fields of
each model's ``to_dict()`` (the CLI's JSON); a test compares them with real responses.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from newssearch.web import params as p

VERSION = "1"

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_INTEGER = {"type": "integer"}
_NULLABLE_INTEGER = {"type": ["integer", "null"]}
_STRINGS = {"type": "array", "items": _STRING}
_SPANS = {"type": "array", "items": {"type": "object", "properties": {"start": _INTEGER, "end": _INTEGER}}}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": sorted(properties)}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


SCHEMAS: dict[str, dict[str, Any]] = {
    "Fragment": _object({"start": _INTEGER, "end": _INTEGER, "text": _STRING, "matches": _SPANS}),
    "ArticleParagraph": _object({"pid": _STRING, "paragraph": _INTEGER, "heading": _STRING, "speakers": _STRINGS,
                                 "text": _STRING, "matches": _SPANS}),
    "Hit": _object({
        "rank": _INTEGER, "score": {"type": "number"}, "pid": _STRING, "article_id": _STRING, "paragraph": _INTEGER,
        "title": _STRING, "date": _NULLABLE_STRING, "section": _STRING, "speakers": _STRINGS, "heading": _STRING,
        "subtitle": _STRING, "source": _STRING, "url": _STRING, "authors": _STRINGS, "path": _STRING,
        "text": _STRING, "highlights": {"type": "array", "items": _ref("Fragment")},
        "other_matches": _NULLABLE_INTEGER,
        "context_before": {"type": "array", "items": _ref("ArticleParagraph")},
        "context_after": {"type": "array", "items": _ref("ArticleParagraph")},
    }),
    "FacetCount": _object({"value": _STRING, "count": _INTEGER}),
    "Facet": _object({"distinct": _INTEGER, "missing": _INTEGER,
                      "values": {"type": "array", "items": _ref("FacetCount")}}),
    "Suggestion": _object({"query": _STRING, "corrections": {"type": "array", "items": _object(
        {"original": _STRING, "replacement": _STRING, "start": _INTEGER, "end": _INTEGER})}}),
    "SearchResults": _object({
        "query": _STRING, "parsed": _STRING, "filters": _STRINGS, "total": _INTEGER, "articles": _NULLABLE_INTEGER,
        "page": _INTEGER, "page_size": _INTEGER, "pages": _INTEGER, "sort": _STRING, "per_article": {"type": "boolean"},
        "seconds": {"type": "number"}, "corrected_from": _NULLABLE_STRING,
        "suggestion": {"oneOf": [_ref("Suggestion"), {"type": "null"}]},
        "facets": {"oneOf": [{"type": "object", "properties": {name: _ref("Facet") for name in
                                                                ("section", "speaker", "month")}}, {"type": "null"}]},
        "hits": {"type": "array", "items": _ref("Hit")},
    }),
    "ArticleView": _object({
        "article_id": _STRING, "title": _STRING, "subtitle": _STRING, "date": _NULLABLE_STRING, "section": _STRING,
        "source": _STRING, "url": _STRING, "authors": _STRINGS, "path": _STRING, "marked": _NULLABLE_INTEGER,
        "query": _NULLABLE_STRING, "paragraphs": {"type": "array", "items": _ref("ArticleParagraph")},
    }),
    "SimilarResults": _object({"pid": _STRING, "title": _STRING, "key_terms": _STRINGS,
                               "other_articles": {"type": "boolean"}, "seconds": {"type": "number"},
                               "hits": {"type": "array", "items": _ref("Hit")}}),
    "Timeline": _object({
        "query": _STRING, "by": _STRING, "unit": _STRING, "filters": _STRINGS, "total": _INTEGER,
        "undated": _INTEGER, "seconds": {"type": "number"},
        "buckets": {"type": "array", "items": _object({"period": _STRING, "start": _STRING, "end": _STRING,
                                                       "count": _INTEGER})},
    }),
    "Speakers": _object({"query": _NULLABLE_STRING, "distinct": _INTEGER, "missing": _INTEGER,
                         "values": {"type": "array", "items": _ref("FacetCount")}}),
    "IndexStats": _object({
        "location": _STRING, "articles": _INTEGER, "paragraphs": _INTEGER, "files": _INTEGER,
        "first_date": _NULLABLE_STRING, "last_date": _NULLABLE_STRING, "undated_paragraphs": _INTEGER,
        "sections": {"type": "array", "items": _object({"section": _STRING, "articles": _INTEGER,
                                                        "paragraphs": _INTEGER})},
        "no_section_paragraphs": _INTEGER, "speakers": {"type": "array", "items": _ref("FacetCount")},
        "distinct_speakers": _INTEGER, "size_bytes": _INTEGER, "last_updated": _NULLABLE_STRING,
        "schema_version": _INTEGER,
    }),
    "Error": _object({"error": _STRING, "status": _INTEGER}),
}

ERRORS = {
    "400": "A bad query or parameter: unknown, repeated, out of bounds, or a query that cannot be parsed.",
    "404": "No paragraph, article or page with that id.",
    "503": "The query ran past the server's time limit (--time-limit) and was stopped; or the index "
           "cannot be opened. Retry-After is set.",
}


def _parameter(spec: p.Param, where: str = "query") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": spec.kind}
    for key, value in (("default", spec.default), ("minimum", spec.minimum), ("maximum", spec.maximum),
                       ("maxLength", spec.max_chars)):
        if value is not None:
            schema[key] = value
    if spec.choices:
        schema["enum"] = list(spec.choices)
    return {"name": spec.name, "in": where, "required": spec.required, "description": spec.description,
            "schema": schema}


def _operation(summary: str, specs: Sequence[p.Param], schema: str, *, path_id: str | None = None,
               exports: bool = False, not_found: bool = False) -> dict[str, Any]:
    parameters = [_parameter(spec) for spec in specs]
    if path_id:
        parameters.insert(0, {"name": "id", "in": "path", "required": True, "schema": _STRING,
                              "description": path_id})
    content: dict[str, Any] = {"application/json": {"schema": _ref(schema)}}
    if exports:
        content["text/csv"] = {"schema": _STRING}
        content["application/x-ndjson"] = {"schema": _STRING}
    responses: dict[str, Any] = {"200": {"description": "OK", "content": content}}
    for code, text in ERRORS.items():
        if code != "404" or not_found:
            responses[code] = {"description": text, "content": {"application/json": {"schema": _ref("Error")}}}
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


@functools.lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    """The whole document (built once)."""
    pid = "A paragraph id ('article#3') or an article id, URL-encoded; looked up in the index, never a path."
    return {
        "openapi": "3.1.0",
        "info": {"title": "newssearch", "version": VERSION,
                 "description": "Read-only search over a newssearch index. Fields are those of the CLI's JSON "
                                "(`newssearch query --json` and friends). Exports are capped at "
                                f"{p.EXPORT_ROWS} rows (limit); X-Total-Count gives the full count."},
        "paths": {
            "/api/search": _operation("Search paragraphs (as `newssearch query`)", p.API_SEARCH, "SearchResults",
                                      exports=True),
            "/api/article/{id}": _operation("A whole article, its paragraph marked (as `newssearch show`)",
                                            p.ARTICLE, "ArticleView", path_id=pid, not_found=True),
            "/api/similar/{id}": _operation("Paragraphs like a paragraph (as `newssearch similar`)", p.SIMILAR,
                                            "SimilarResults", path_id="A paragraph id ('article#3'), URL-encoded.",
                                            exports=True, not_found=True),
            "/api/timeline": _operation("Matches per period (as `newssearch timeline`)", p.TIMELINE, "Timeline",
                                        exports=True),
            "/api/speakers": _operation("Who is quoted most, in the matches of a query or in the whole index",
                                        p.SPEAKERS, "Speakers"),
            "/api/stats": _operation("What the index holds (as `newssearch stats`)", p.STATS, "IndexStats"),
        },
        "components": {"schemas": SCHEMAS},
    }
