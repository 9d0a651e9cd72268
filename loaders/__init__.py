"""One loader per source format, one module each. `LOADERS` maps each KIND of
`python -m graph load KIND` to its class (every Loader subclass in this package);
`detect` picks one for a file or folder."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from loaders.base import Loader, LoadError


def _discover() -> dict[str, type[Loader]]:
    for module in pkgutil.iter_modules(__path__):
        if module.name not in ("base", "datasets", "records"):
            importlib.import_module(f"{__name__}.{module.name}")
    found: dict[str, type[Loader]] = {}
    stack = list(Loader.__subclasses__())
    while stack:
        cls = stack.pop()
        stack += cls.__subclasses__()
        if getattr(cls, "name", None):
            found[cls.name] = cls
    return dict(sorted(found.items()))


LOADERS: dict[str, type[Loader]] = _discover()


def get(kind: str) -> type[Loader]:
    try:
        return LOADERS[kind]
    except KeyError:
        raise LoadError(kind, f"unknown loader; choose one of: auto, {', '.join(LOADERS)}") from None


def detect(path: Path) -> type[Loader]:
    """The loader whose format the file or folder has; an error if none or several fit."""
    found = [cls for cls in LOADERS.values() if cls.sniff(path)]
    if len(found) != 1:
        reason = (
            "could not tell the format"
            if not found
            else f"several formats fit ({', '.join(c.name for c in found)})"
        )
        raise LoadError(path, f"{reason}; name the loader: {', '.join(LOADERS)}")
    return found[0]
