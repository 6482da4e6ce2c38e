"""The integrity layer: proving that records, WARCs and texts still agree.

``validate`` (a record against its schema, its files, their fixity and, deep, its WARC),
``check`` (WARC files against WARC 1.1), ``seal`` (checking and re-making a record's seal)
and ``recording`` (the record stage as a transaction: nothing is written that would not
validate).  Above the record layer, below the collection and export layers.
"""
