"""Import whoosh without its warnings reaching users.

Whoosh 2.7.4 (pinned; unmaintained since 2016) has regex and docstring escapes that Python 3.12+
reports as ``SyntaxWarning`` when its modules are compiled, and some deprecated calls. They are
harmless and not the user's business, so whoosh modules are imported under a filter.

One whoosh bug is mended here, at import: ``FileStorage.create`` (called for every writer's
temporary folder) kept the ``FileExistsError`` it ignores in a local variable, a reference cycle
through the calling frames that made every segment writer, with all its postings, garbage that
only Python's cyclic collector could free.

And one import is spared: ``whoosh.compat`` imports ``urllib.request`` (with ssl, http and
email: about 45 ms, a fifth of a one-shot ``newssearch query``) for a ``urlretrieve`` that whoosh
never calls. While whoosh loads, that module is a stand-in whose ``urlretrieve`` imports the real
one if it is ever called; the stand-in is removed at once, so ``import urllib.request`` anywhere
else gets the real module.
"""

from __future__ import annotations

import errno
import os
import sys
import types
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def whoosh_imports() -> Iterator[None]:
    """Silence SyntaxWarning and DeprecationWarning while whoosh modules are imported."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        yield


def _urlretrieve(*args: Any, **kwargs: Any) -> object:
    """``urllib.request.urlretrieve``, imported when first called."""
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


@contextmanager
def _urllib_request_deferred() -> Iterator[None]:
    """While whoosh loads, ``urllib.request`` is a stand-in holding only ``urlretrieve``."""
    if "urllib.request" in sys.modules:
        yield
        return
    stand_in = types.ModuleType("urllib.request")
    stand_in.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    sys.modules["urllib.request"] = stand_in
    try:
        yield
    finally:
        if sys.modules.get("urllib.request") is stand_in:
            del sys.modules["urllib.request"]


with whoosh_imports(), _urllib_request_deferred():
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


def _create_folder(self: whoosh.filedb.filestore.FileStorage) -> whoosh.filedb.filestore.FileStorage:
    """``FileStorage.create`` as whoosh 2.7.4 has it, without keeping the ignored exception."""
    folder = os.path.abspath(self.folder)
    try:
        os.makedirs(folder)
    except FileExistsError:
        pass
    if not os.path.isdir(folder):
        error = IOError(f"{folder!r} is not a directory")
        error.errno = errno.ENOTDIR
        raise error
    return self


whoosh.filedb.filestore.FileStorage.create = _create_folder
