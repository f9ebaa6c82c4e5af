"""Whoosh's per-document files, written with one call per document instead of one per field.

Whoosh's ``W3PerDocWriter`` takes one call per field of every document (a stored value, a length,
a sortable value) and writes each through a column writer object. :class:`DocumentColumns` takes
each document's stored fields in one piece and keeps lengths and sortable values as plain arrays
and lists, and writes the files ``W3PerDocWriter.close`` writes, byte for byte but for the
pickle protocol of stored fields (a test compares them):

- ``_stored``: each document's stored fields, pickled and zlib-compressed (level 3), as a
  ``VarBytesColumn`` (byte for byte whoosh's with ``STORED_PICKLE_PROTOCOL = 2``; whoosh uses
  protocol 2, newssearch protocol 4, which whoosh reads as well);
- ``_<field>_len``: the length byte of each scorable field, a ``NumericColumn("B")``;
- one column per sortable field: ``VarBytesColumn`` or ``NumericColumn`` values; any other
  column type is fed to whoosh's own writer.

A column file exists exactly when whoosh would create it: ``_stored`` always, a length column
once a document has a non-zero length, a sortable column once a document has a value.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections import defaultdict
from collections.abc import Sequence
from pickle import dumps
from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports

with whoosh_imports():
    from whoosh.codec.whoosh3 import STORED_COLUMN, W3Codec, _lenfield
    from whoosh.columns import NumericColumn, VarBytesColumn
    from whoosh.filedb.structfile import StructFile
    from whoosh.util.numeric import length_to_byte

STORED = "_stored"
# Whoosh pickles stored fields with protocol 2; protocol 4 (which whoosh's reader unpickles just
# as well) is about 20% faster to write and read and 18% smaller, mostly for dates.
STORED_PICKLE_PROTOCOL = 4
_STORED_LEVEL = STORED_COLUMN._child._level  # whoosh's CompressedBytesColumn level (3)
_VARBYTES_OFFSETS_CUTOFF = VarBytesColumn().write_offsets_cutoff
_LENGTH_BYTES = [length_to_byte(n) for n in range(4096)]


def length_byte(length: int) -> int:
    """``whoosh.util.numeric.length_to_byte`` (a field length as one byte), from a table."""
    return _LENGTH_BYTES[length] if length < 4096 else length_to_byte(length)


def pack_stored(values: dict[str, Any]) -> bytes:
    """One document's stored fields as the ``_stored`` column holds them."""
    return zlib.compress(dumps(values, STORED_PICKLE_PROTOCOL), _STORED_LEVEL)


class DocumentColumns:
    """A segment's stored fields, field lengths and sortable values, by document: what
    ``W3PerDocWriter`` is given, in the place of one (``close`` writes its files).

    Stored fields go to their column file as they come (they are most of the data); the rest
    is kept in memory and written by ``close``.
    """

    def __init__(self, storage: Any, segment: Any, scorable: Sequence[str], sortable: dict[str, Any]) -> None:
        self._storage = storage
        self._segment = segment
        self._stored_file = storage.create_file(W3Codec.column_filename(segment, STORED))
        self._stored_lengths: list[int] = []
        self.length_bytes = {name: array("B") for name in scorable}
        self.length_totals: defaultdict[str, int] = defaultdict(int)
        self.column_values: dict[str, list[Any]] = {name: [] for name in sortable}  # None: no value
        self._sortable = sortable
        self.is_closed = False

    def add_stored(self, packed: bytes | None) -> None:
        """The next document's stored fields, from ``pack_stored`` (None: nothing stored)."""
        if packed:
            self._stored_file.write(packed)
            self._stored_lengths.append(len(packed))
        else:
            self._stored_lengths.append(0)

    def close(self) -> None:
        """Write the segment's column files and set its field length totals."""
        if self.is_closed:
            return
        doccount = len(self._stored_lengths)
        self._stored_file.write(_varbytes_index(self._stored_lengths, doccount))
        self._stored_file.close()
        files = {}
        for name, lengths in self.length_bytes.items():
            data = lengths.tobytes().rstrip(b"\0")  # NumericColumn("B", default=0): trailing zeros left out
            if data:
                files[_lenfield(name)] = data
        for name, values in self.column_values.items():
            if any(value is not None for value in values):
                files[name] = _column_file(self._sortable[name], values, doccount)
        for name, data in files.items():
            handle = self._storage.create_file(W3Codec.column_filename(self._segment, name))
            try:
                handle.write(data)
            finally:
                handle.close()
        self._segment._fieldlengths = self.length_totals
        self.is_closed = True


def discard_per_doc_writer(writer: Any) -> None:
    """Close a ``W3PerDocWriter`` that was never used without writing anything: its temporary
    file is deleted."""
    for _name, _blocks in writer._cols._readback():
        pass
    writer.is_closed = True


def _column_file(column: Any, values: list[Any], doccount: int) -> bytes:
    kind = type(column)
    if kind is VarBytesColumn:
        return _varbytes_file(values, doccount)
    if kind is NumericColumn:
        return _numeric_file(column, values)
    return _file_by_whooshs_writer(column, values, doccount)


def _varbytes_file(values: Sequence[bytes | None], doccount: int) -> bytes:
    """``VarBytesColumn.Writer``'s file: the values, then their index. A missing value is an
    empty one."""
    data = [value or b"" for value in values]
    data.extend(b"" for _ in range(doccount - len(data)))
    return b"".join(data) + _varbytes_index([len(value) for value in data], doccount)


def _varbytes_index(lengths: list[int], doccount: int) -> bytes:
    """What ``VarBytesColumn.Writer`` writes after the values: their lengths, offsets when there
    are many rows, and the arrays' type codes."""
    lengths = lengths + [0] * (doccount - len(lengths))
    offsets = []
    total = 0
    for size in lengths:
        offsets.append(total)
        total += size
    length_array = _growable(lengths)
    parts = [_big_endian(length_array)]
    write_offsets = doccount > _VARBYTES_OFFSETS_CUTOFF
    if write_offsets:
        offset_array = _growable(offsets)
        parts.append(_big_endian(offset_array))
    parts.append(length_array.typecode.encode("ascii"))
    if write_offsets:
        parts += (offset_array.typecode.encode("ascii"), b"X")
    return b"".join(parts)


def _growable(numbers: list[int]) -> array:
    """The array ``whoosh.util.numlists.GrowableArray(allow_longs=False)`` ends with."""
    largest = max(numbers, default=0)
    if largest < 2 ** 8:
        code = "B"
    elif largest < 2 ** 16:
        code = "H"
    elif largest < 2 ** 31:
        code = "i"
    elif largest < 2 ** 32:
        code = "I"
    else:
        raise OverflowError(f"{largest!r} is too big to fit in an array")
    return array(code, numbers)


def _big_endian(numbers: array) -> bytes:
    """An array as ``StructFile.write_array`` writes it (big-endian)."""
    if sys.byteorder == "little" and numbers.itemsize > 1:
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def _numeric_file(column: Any, values: list[Any]) -> bytes:
    """``NumericColumn.Writer``'s file: one packed number per document up to the last that is
    not the default (whoosh skips defaults and fills gaps with the default)."""
    default = column._default
    last = len(values) - 1
    while last >= 0 and (values[last] is None or values[last] == default):
        last -= 1
    pack = struct.Struct("!" + column._typecode).pack
    return b"".join([pack(default if value is None else value) for value in values[:last + 1]])


def _file_by_whooshs_writer(column: Any, values: list[Any], doccount: int) -> bytes:
    """Any other column type, written by whoosh's own column writer."""
    from io import BytesIO  # noqa: PLC0415

    buffer = BytesIO()
    handle = StructFile(buffer)
    writer = column.writer(handle)
    for docnum, value in enumerate(values):
        if value is not None:
            writer.add(docnum, value)
    writer.finish(doccount)
    return buffer.getvalue()
