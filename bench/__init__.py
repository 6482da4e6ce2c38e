"""Benchmarks of warcite (run as scripts: ``python bench/extraction.py``)."""
