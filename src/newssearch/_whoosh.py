"""Import whoosh without its warnings reaching users.

Whoosh 2.7.4 (pinned; unmaintained since 2016) has regex and docstring escapes that Python 3.12+
reports as ``SyntaxWarning`` when its modules are compiled, and some deprecated calls. They are
harmless and not the user's business, so whoosh modules are imported under a filter.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def whoosh_imports() -> Iterator[None]:
    """Silence SyntaxWarning and DeprecationWarning while whoosh modules are imported."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        yield


with whoosh_imports():
    # Whoosh imports some of its modules lazily; load them all now, under the filter.
    import whoosh.analysis  # noqa: F401
    import whoosh.codec.whoosh3  # noqa: F401
    import whoosh.collectors  # noqa: F401
    import whoosh.fields  # noqa: F401
    import whoosh.filedb.filestore  # noqa: F401
    import whoosh.highlight  # noqa: F401
    import whoosh.index  # noqa: F401
    import whoosh.qparser  # noqa: F401
    import whoosh.query  # noqa: F401
    import whoosh.scoring  # noqa: F401
    import whoosh.searching  # noqa: F401
    import whoosh.sorting  # noqa: F401
    import whoosh.spelling  # noqa: F401
    import whoosh.util.times  # noqa: F401
    import whoosh.writing  # noqa: F401
