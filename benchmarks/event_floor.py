"""The floor: walk ruamel.yaml's C parser event stream over every *.yaml/*.yml file, building nothing.

One process, no values, no positions, no checks: ``CParser(text).get_event()`` to the end,
which is the least any linter on this parser can do.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]


def main(folders: list[str]) -> int:
    events = 0
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.suffix in (".yaml", ".yml")):
            parser = CParser(path.read_text(encoding="utf-8"))
            while parser.get_event() is not None:
                events += 1
            parser.dispose()
    sys.stdout.write(f"{events} events\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
