"""One loader per source format. `LOADERS` maps each KIND of `python -m graph load KIND`
to its class; `detect` picks one for a file or folder."""

from __future__ import annotations

from pathlib import Path

from loaders.base import LoadError, Loader
from loaders.curated import CuratedLoader
from loaders.ofac_csv import OfacCsvLoader

LOADERS: dict[str, type[Loader]] = {cls.name: cls for cls in (OfacCsvLoader, CuratedLoader)}


def get(kind: str) -> type[Loader]:
    try:
        return LOADERS[kind]
    except KeyError:
        raise LoadError(kind, f"unknown loader; choose one of: auto, {', '.join(sorted(LOADERS))}") from None


def detect(path: Path) -> type[Loader]:
    """The loader whose format the file or folder has."""
    found = [cls for cls in LOADERS.values() if cls.sniff(path)]
    if not found:
        raise LoadError(path, "could not tell the format of this file; name the loader "
                              f"({', '.join(sorted(LOADERS))})")
    return found[0]
