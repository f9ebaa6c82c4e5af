"""Searching and exploring, on any backend: run a request (``engine``), make hits (``hits``,
``highlight``), show a whole article (``show``), find similar paragraphs (``similar``), chart a
timeline (``timeline``), summarise the index (``stats``)."""

from __future__ import annotations

from newssearch.models import ArticleParagraph, Hit, SearchResults
from newssearch.search.engine import run_search

__all__ = ["ArticleParagraph", "Hit", "SearchResults", "run_search"]
