"""The inputs of the conformance suite: the shared corpus, the rule docs' examples, the generated set."""

from __future__ import annotations

from pathlib import Path

from hooklint.registry import load_registry
from tests.conformance.generated import cases

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def rule_examples() -> list[tuple[str, bytes]]:
    return [
        (f"{spec.code}-{example.verdict}-{n}", example.text.encode("utf-8"))
        for spec in load_registry(plugins=False).specs
        for n, example in enumerate(spec.examples)
    ]


def write_cases(folder: Path, named: list[tuple[str, bytes]]) -> list[Path]:
    paths = []
    for name, data in named:
        path = folder / f"{name}.yaml"
        path.write_bytes(data)
        paths.append(path)
    return paths


def generated() -> list[tuple[str, bytes]]:
    return cases()
