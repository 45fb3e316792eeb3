"""Readers: one module per format, each `read(data: bytes, *, progress=None) -> Document`."""
