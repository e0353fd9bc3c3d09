"""Time from ``didChange`` to ``publishDiagnostics`` in ``hooklint server``.

``python benchmarks/server_latency.py [--documents 200] [--files 20] [--edits 30]``
writes one application (one folder) of generated manifests to a temporary
workspace, starts the server with pygls' LSP client over stdio (as an editor
does), opens one file and sends ``--edits`` edits of it, one at a time, each
changing a sync-wave, waiting for the diagnostics of that version.  It runs once
with the debounce set to 0, which gives the analysis latency (the whole set is
re-linted: the edited buffer re-parsed, the other files from the cache), and once
with the default debounce.  Needs the ``server`` extra.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.generate import generate_documents
from hooklint.registry import load_registry
from hooklint.server.analysis import Analyzer
from hooklint.server.lsp import DEFAULT_DEBOUNCE
from tests.server_client import Client


def workspace(root: Path, documents: int, files: int) -> list[Path]:
    rng = random.Random(7)
    folder = root / "apps" / "shop"
    folder.mkdir(parents=True)
    docs = generate_documents(rng, "shop", "shop", documents, 1)
    paths = []
    per_file = documents // files
    for number in range(files):
        path = folder / f"part-{number:02d}.yaml"
        path.write_text("---\n".join(docs[number * per_file : (number + 1) * per_file]), encoding="utf-8")
        paths.append(path)
    return paths


async def measure(root: Path, path: Path, edits: int, debounce_ms: int) -> list[float]:
    client = Client()
    await client.start(root, debounce_ms=debounce_ms)
    text = path.read_text()
    uri = client.open(path)
    await client.published(uri, 1)
    times = []
    for number in range(edits):
        wave = f"{number}.5" if number % 2 else str(number)  # an HL002 finding comes and goes
        edited = (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench\n  namespace: shop\n"
            f'  annotations:\n    argocd.argoproj.io/sync-wave: "{wave}"\n---\n{text}'
        )
        start = time.perf_counter()
        version = client.replace(uri, edited)
        await client.published(uri, version)
        times.append((time.perf_counter() - start) * 1000)
    await client.stop()
    return times


def analysis_cpu(root: Path, path: Path, edits: int) -> list[float]:
    """CPU milliseconds of the analysis alone (in this process): what load on the machine cannot inflate."""
    analyzer = Analyzer(root, load_registry())
    text = path.read_text()
    analyzer.run([path], {str(path): text})  # warm: every other file parsed once
    times = []
    for number in range(edits):
        edited = text + f"\n# edit {number}\n"
        start = time.process_time()
        analyzer.run([path], {str(path): edited})
        times.append((time.process_time() - start) * 1000)
    return times


def summary(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return (
        f"{label}: median {statistics.median(times):.0f} ms, p90 {p90:.0f} ms, max {max(times):.0f} ms "
        f"({len(times)} edits)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--edits", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = workspace(root, args.documents, args.files)
        print(f"{args.documents} documents in {args.files} files of one application folder")
        print(summary("analysis CPU time, in process", analysis_cpu(root, paths[0], args.edits)))
        no_debounce = asyncio.run(measure(root, paths[0], args.edits, 0))
        print(summary("debounce 0 (analysis + publish)", no_debounce))
        default_ms = int(DEFAULT_DEBOUNCE * 1000)
        debounced = asyncio.run(measure(root, paths[0], args.edits, default_ms))
        print(summary(f"debounce {default_ms} ms (what an editor sees)", debounced))


if __name__ == "__main__":
    main()
