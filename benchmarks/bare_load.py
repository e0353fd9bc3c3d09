"""The baseline: load every *.yaml/*.yml under the given folders with ruamel.yaml's safe (C) loader.

One process, no positions, no checks: what "just reading the YAML" costs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML


def main(folders: list[str]) -> int:
    yaml = YAML(typ="safe")
    documents = 0
    for folder in folders:
        files = sorted(p for p in Path(folder).rglob("*") if p.suffix in (".yaml", ".yml"))
        for path in files:
            for _ in yaml.load_all(path.read_text(encoding="utf-8")):
                documents += 1
    sys.stdout.write(f"{documents} documents\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
