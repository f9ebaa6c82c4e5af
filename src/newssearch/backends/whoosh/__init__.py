"""The embedded engine: whoosh 2.7.4 segments, read and written by newssearch's own fast paths.

This package is the only one that imports whoosh.
"""
