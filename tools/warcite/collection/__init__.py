"""The collection layer: many records of many captures.

The derived index and catalogue (``index``, ``catalog``), finding records (``search``,
``listing``), captures of the same work (``revisit``, ``diff``, ``lineage``, ``timemap``),
and running the whole job for one or many sources (``archive``, ``batch``, ``distributed``).
"""
