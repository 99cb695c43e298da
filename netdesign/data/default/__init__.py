"""Studies shipped inside netdesign (``data: {dir: "package:NAME"}`` -> ``default/NAME/``).

``hangzhou/``: the embedded default study "Hangzhou two in, one out", built by
``scripts/build_hangzhou_study.py``; sources and synthetic parts in its ``DATA_SOURCES.md``.
"""
