"""The core layer: what every stage stands on, and nothing that knows a stage.

WARC reading primitives (``core.warc``), the values passed between stages (``models``), the
error tree (``errors``), the project folder (``project``), its settings (``config``), record
ids (``slugs``), locks (``lock``), the atomic store (``store``), content-codings
(``codings``), decoding archived bytes to text (``decode``) and URL normalisation (``urls``).
Nothing here imports another layer of warcite (checked by ``lint-imports``).
"""
