"""A one-line progress display for long indexing runs, on a terminal only."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from newssearch.indexing.run import IndexProgress

REDRAW_SECONDS = 0.2


def describe_progress(progress: IndexProgress) -> str:
    """``Indexing  45% · 1,234/2,225 files · 5,678 paragraphs · 1,234 paragraphs/s · ETA 0:12``."""
    fraction = progress.bytes_done / progress.bytes_total if progress.bytes_total else 1.0
    rate = progress.paragraphs / progress.seconds if progress.seconds > 0 else 0.0
    parts = [
        f"Indexing {fraction:4.0%}",
        f"{progress.files_done:,}/{progress.files_total:,} files",
        f"{progress.paragraphs:,} paragraphs",
        f"{rate:,.0f} paragraphs/s",
    ]
    if 0 < fraction < 1:
        remaining = progress.seconds * (1 - fraction) / fraction
        parts.append(f"ETA {int(remaining // 60)}:{int(remaining % 60):02d}")
    return " · ".join(parts)


class ProgressLine:
    """Redraws one status line on ``stream`` (a terminal) at most every REDRAW_SECONDS."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._last_draw = 0.0
        self._width = 0

    def __call__(self, progress: IndexProgress) -> None:
        now = time.monotonic()
        if now - self._last_draw < REDRAW_SECONDS and progress.bytes_done < progress.bytes_total:
            return
        self._last_draw = now
        line = describe_progress(progress)
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def close(self) -> None:
        """Erase the line, so the final report starts on a clean line."""
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
