"""Time from ``didChange`` to ``publishDiagnostics`` in ``hooklint server``.

``python benchmarks/server_latency.py [--documents 200] [--files 20] [--edits 30]``
writes one application (one folder) of generated manifests to a temporary
workspace, starts the server with pygls' LSP client over stdio (as an editor
does), opens one file and sends ``--edits`` edits of it, one at a time, each
changing a sync-wave, waiting for the diagnostics of that version.  It runs once
with the debounce set to 0, which gives the analysis latency (the whole set is
re-linted: the edited buffer re-parsed, the other files from the cache), and once
with the default debounce.

``--chart`` measures a Helm chart instead (needs helm on PATH): the time from
``didOpen`` of a template to its diagnostics (the chart rendered), then from each
save of an edit (``didChange`` + ``didSave``) to the diagnostics of that version
(rendered again: each save is new text and the server gets an empty cache folder,
so no render comes from hooklint's render cache), beside ``helm template`` of the same chart alone.  Needs the
``server`` extra.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lsprotocol import types

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


CHART_TEMPLATE = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-job-NUMBER
  annotations:
{{ toYaml .Values.hook | indent 4 }}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: {{ .Values.image }}
"""


def chart(root: Path, templates: int) -> Path:
    """A chart of ``templates`` hook Jobs whose annotations come from values.yaml."""
    folder = root / "chart"
    (folder / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text("apiVersion: v2\nname: bench\nversion: 0.1.0\n")
    (folder / "values.yaml").write_text(
        "image: m\nhook:\n  argocd.argoproj.io/hook: PreSync\n"
        "  argocd.argoproj.io/hook-delete-policy: HookFailed\n"
    )
    for number in range(templates):
        text = CHART_TEMPLATE.replace("NUMBER", str(number))
        (folder / "templates" / f"job-{number:02d}.yaml").write_text(text)
    return folder / "templates" / "job-00.yaml"


async def measure_chart(root: Path, path: Path, saves: int) -> tuple[float, list[float]]:
    client = Client()
    await client.start(root, debounce_ms=int(DEFAULT_DEBOUNCE * 1000))  # a save cancels the debounce
    start = time.perf_counter()
    uri = client.open(path)
    await client.published(uri, 1)
    opened = (time.perf_counter() - start) * 1000
    text = path.read_text()
    times = []
    for number in range(saves):
        limit = "" if number % 2 else "  backoffLimit: 1\n"  # HL201 comes and goes
        edited = text.replace("spec:\n  template:", f"spec:\n{limit}  template:") + f"# save {number}\n"
        start = time.perf_counter()
        version = client.save(uri, path, edited)
        flagged = not limit  # HL201 once rendered: the diagnostics of that render, not an older one

        def rendered(
            params: types.PublishDiagnosticsParams, version: int = version, flagged: bool = flagged
        ) -> bool:
            return params.version == version and flagged == any(d.code == "HL201" for d in params.diagnostics)

        await client.until(uri, rendered)
        times.append((time.perf_counter() - start) * 1000)
    await client.stop()
    return opened, times


def chart_cpu(root: Path, path: Path, saves: int) -> tuple[list[float], list[float]]:
    """CPU milliseconds per save, in this process: hooklint's own, and helm's (its child)."""
    analyzer = Analyzer(root, load_registry())
    text = path.read_text()
    analyzer.run([path], {}, render=[path])  # warm: the workspace walked, the chart rendered once
    own, helm = [], []
    for number in range(saves):
        path.write_text(text + f"# cpu {number}\n")
        start, children = time.process_time(), os.times()
        analyzer.run([path], {}, render=[path])
        after = os.times()
        own.append((time.process_time() - start) * 1000)
        helm.append(
            (after.children_user + after.children_system - children.children_user - children.children_system)
            * 1000
        )
    path.write_text(text)
    return own, helm


def helm_alone(folder: Path, runs: int) -> list[float]:
    helm = shutil.which("helm") or "helm"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([helm, "template", str(folder)], capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
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
    parser.add_argument("--chart", action="store_true", help="a Helm chart's open/save latency instead")
    parser.add_argument("--templates", type=int, default=10, help="templates of the --chart chart")
    args = parser.parse_args()
    if args.chart:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            os.environ["HOOKLINT_CACHE_DIR"] = str(root / "cache")  # every render a real one
            path = chart(root, args.templates)
            print(f"a chart of {args.templates} templates")
            opened, saves = asyncio.run(measure_chart(root, path, args.edits))
            print(f"didOpen -> diagnostics (first render): {opened:.0f} ms")
            print(summary("didSave -> diagnostics (rendered again)", saves))
            print(summary("helm template alone", helm_alone(path.parent.parent, args.edits)))
            own, helm = chart_cpu(root, path, args.edits)
            print(summary("CPU per save, hooklint's own (in process)", own))
            print(summary("CPU per save, helm's (its child process)", helm))
        return
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
