"""Old module paths that keep working after the move into layers.

Until version 0.1 the package was flat (``warcite.warc``, ``warcite.validate``, …).  The
public API named in the README keeps its old import paths: each old name below is the
same module object as its new home (``warcite.validate is warcite.integrity.validate``),
found by a meta path finder that :mod:`warcite` installs.  New code imports the new paths;
``lint-imports`` checks the layers of those.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from types import ModuleType

MOVED = {
    "warcite.archive": "warcite.collection.archive",
    "warcite.errors": "warcite.core.errors",
    "warcite.models": "warcite.core.models",
    "warcite.seal": "warcite.integrity.seal",
    "warcite.validate": "warcite.integrity.validate",
    "warcite.warc": "warcite.core.warc",
}
"""Old module name -> the module it is now."""


class MovedModules:
    """Finds an old module name and loads it as the module it moved to: a meta path finder
    and its loader (by protocol: ``importlib.abc`` would import ``importlib.resources`` and
    ``tempfile`` at every start)."""

    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)  # type: ignore[arg-type]

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(MOVED[spec.name])

    def exec_module(self, module: ModuleType) -> None:
        """The module ran when it was imported under its new name."""


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(finder, MovedModules) for finder in sys.meta_path):
        sys.meta_path.append(MovedModules())


__all__ = ["MOVED", "MovedModules", "install"]
