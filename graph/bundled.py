"""Where the files the code reads are, besides its own modules: the model, the saved
queries, the program lists and judgements, the bundled lists and case, and the Maven
project of the local server.

A checkout has them where the repository's layout puts them: queries/, data/ and neo4j/
beside graph/. A wheel carries the same folders inside the package, as graph/_bundled/
(pyproject.toml maps them there, and ships of data/ what `load --demo` reads), found
with importlib.resources. Code names them through this module, never through the
repository, so that a copy installed anywhere finds them, and reads their YAML with
`read_yaml`.

What the code writes is elsewhere: graph/settings.py `local_dir`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

#: The package's folder. Always a real one: loaders, git and Maven read these files by
#: path (pip installs a wheel unpacked).
PACKAGE = Path(str(files(__package__)))
_IN_WHEEL = PACKAGE / "_bundled"

#: The repository this code runs from (a checkout, or an editable install of one); None
#: when it runs from an installed wheel.
CHECKOUT: Path | None = None if _IN_WHEEL.is_dir() else PACKAGE.parent
#: The folder that holds queries/, data/ and neo4j/.
BASE = _IN_WHEEL if CHECKOUT is None else CHECKOUT

MODEL = PACKAGE / "model.yaml"
QUERIES = BASE / "queries"
DATA = BASE / "data"
PROGRAMS = DATA / "programs"
JUDGEMENTS = DATA / "resolution.yaml"
#: pom.xml and the launcher's Java source, from which graph/server.py builds the server.
NEO4J = BASE / "neo4j"


def read_yaml(path: Path) -> Any:
    """A YAML file of the model or the data, parsed by libyaml (CSafeLoader): the model
    and the program tables in ~8 ms against ~65 ms with PyYAML's own parser, paid by
    every process that loads or reads."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
