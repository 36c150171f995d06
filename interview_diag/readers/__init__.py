"""One reader per input format family; ``interview_diag.ingest`` picks between them.

Each reader module exposes ``read(source, *, lenient) -> Reading`` and, where the
format can be recognised from its text, ``sniff(source) -> bool``.
"""
