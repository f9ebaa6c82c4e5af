"""The embedded engine: whoosh 2.7.4 segments, read and written by newssearch's own fast paths.

This package is the only one that imports whoosh (pinned: the last release, 2016). It keeps
whoosh's on-disk format — any whoosh reader opens an index newssearch wrote — and relies on these
private whoosh names, which a whoosh upgrade would have to be checked against:

- segments.py (fast writer, commits): ``SegmentWriter._merge_segments``, ``._finalize_segment``,
  ``._close_segment``, ``._setup_doc_offsets``, ``._doc_offsets``, ``._added``, ``._finish``,
  ``._check_state``; ``W3FieldWriter._postfile``, ``._fieldid``, ``._tindex``;
  ``OrderedHashWriter`` internals (``buckets``, ``index``, ``lastkey``, ``dbfile``,
  ``GrowableArray._retype``); ``filetables._lengths``; ``W3TermInfo._struct``;
  ``FileIndex._segments``; ``TOC`` (written directly, with newssearch's own clean-up).
- document_files.py: ``whoosh3._lenfield``, ``STORED_COLUMN._child._level``,
  ``W3PerDocWriter._cols``, ``NumericColumn._default`` / ``._typecode``.
- conjunction.py, ranking.py (block scoring, field lengths): ``SegmentReader._terms``,
  ``._perdoc``, ``W3TermsReader._postfile``, ``BM25F._field_B``, ``W3PerDocReader._cached_reader``,
  column readers' ``._dbfile``, ``._basepos``, ``._count``; the posting block layout of
  ``W3LeafMatcher._goto``.
- columns.py: ``VarBytesColumn.Reader._offsets`` / ``._lengths`` / ``._dbfile`` / ``._basepos`` /
  ``._doccount``, ``NumericColumn.Reader._count`` / ``._fixedlen`` / ``._typecode`` /
  ``._default`` / ``._reverse``, ``MultiColumnReader._readers``.
- store.py: ``W3PerDocReader._colfiles``, ``._get_column_file``, ``SegmentReader._segment``.
- compat.py: mends ``FileStorage.create`` (the one patch of a whoosh function, at import).
"""
