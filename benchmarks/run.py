"""Benchmark hooklint against a bare YAML load and yamllint, in one run; write RESULTS.md.

    python benchmarks/run.py [--runs 3] [--quick]

Generates the trees (benchmarks/data/, deterministic), then times, as
separate processes and interleaved so machine noise hits all of them alike:

- ``hooklint check`` (default --jobs and --jobs 1) vs ``benchmarks/bare_load.py``
  (a single-process ``YAML(typ="safe")`` load) on 10,000 documents in 1,000 files;
- the same plus ``yamllint -d relaxed`` (when installed) on 1,000 one-document files;
- ``hooklint check`` of one small file (the pre-commit case);
- ``hooklint check --jobs 1`` on 2,500, 5,000 and 10,000 documents (growth);
- ``python -X importtime`` of the small-file run.

Wall time is the median of ``--runs`` runs; peak memory is the largest
resident set of the process tree (wait4's ru_maxrss); CPU is user + system
time of the process and its workers.  The figures are compared within the
run (ratios), which is what stays meaningful on a shared, noisy machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = HERE / "data"
RESULTS = HERE / "RESULTS.md"
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOOKLINT = [PYTHON, "-m", "hooklint"]
BARE = [PYTHON, str(HERE / "bare_load.py")]


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    code: int


@dataclass
class Measure:
    label: str
    samples: list[Sample]

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss(self) -> float:
        return max(s.rss_mb for s in self.samples)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure what an installed package does: cached bytecode
    env["NO_COLOR"] = "1"
    return env


def run_once(cmd: list[str], cwd: Path) -> Sample:
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode(errors='replace')}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode)


def measure(commands: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, Measure]:
    """Run each command ``runs`` times, interleaved, after one warm-up run each."""
    for cmd in commands.values():
        run_once(cmd, cwd)
    out = {label: Measure(label, []) for label in commands}
    for _ in range(runs):
        for label, cmd in commands.items():
            out[label].samples.append(run_once(cmd, cwd))
            print(f"  {label}: {out[label].samples[-1].wall:.2f} s", flush=True)
    return out


def tree(name: str, documents: int, files: int) -> Path:
    root = DATA / name
    marker = root / ".complete"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        generate(root, documents, files)
        marker.write_text("", encoding="utf-8")
    return root


def yamllint_command() -> list[str] | None:
    exe = BIN / "yamllint"
    if exe.exists():
        return [str(exe), "-d", "relaxed", "-f", "parsable"]
    found = shutil.which("yamllint")
    return [found, "-d", "relaxed", "-f", "parsable"] if found else None


def import_profile(small: Path) -> tuple[list[tuple[str, float]], set[str], float]:
    """The slowest top-level imports of a small-file run; which heavy modules it imported."""
    proc = subprocess.run(
        [PYTHON, "-X", "importtime", *HOOKLINT[1:], "check", small.name, "-q", "--isolated"],
        cwd=small.parent,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    top: list[tuple[str, float]] = []
    names: set[str] = set()
    total = 0.0
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not match:
            continue
        names.add(match.group(4).split(".")[0])
        if not match.group(3).strip(" ") and len(match.group(3)) == 1:
            cumulative = int(match.group(2)) / 1000
            top.append((match.group(4), cumulative))
            total += cumulative
    top.sort(key=lambda item: -item[1])
    return top[:10], names, total


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1048576:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import ruamel.yaml

    try:
        from importlib.metadata import version

        clib = version("ruamel.yaml.clib")
    except Exception:
        clib = "?"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return [
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs{mem}",
        f"Python {platform.python_version()}, ruamel.yaml {ruamel.yaml.__version__}, "
        f"ruamel.yaml.clib {clib}",
        f"load average at start: {load:.2f} (other jobs share the machine)",
    ]


def megabytes(root: Path) -> float:
    return sum(p.stat().st_size for p in root.rglob("*.yaml")) / 1_048_576


def row(m: Measure, ratio: str) -> str:
    return f"| `{m.label}` | {m.wall:.2f} | {m.cpu:.2f} | {m.rss:.0f} | {ratio} |"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def main() -> int:
    parser = argparse.ArgumentParser(description="hooklint benchmarks")
    parser.add_argument("--runs", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--quick", action="store_true", help="1 run each, skip the growth series")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    described = machine()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())

    print("generating trees ...", flush=True)
    big = tree("docs10000-files1000", 10_000, 1_000)
    one = tree("docs1000-files1000", 1_000, 1_000)
    small_tree = tree("docs6-files1", 6, 1)
    small = next(small_tree.rglob("*.yaml"))

    print("10,000 documents in 1,000 files", flush=True)
    big_m = measure(
        {
            "hooklint": [*HOOKLINT, "check", "-q", "--isolated", str(big)],
            "hooklint --jobs 1": [*HOOKLINT, "check", "-q", "--isolated", "--jobs", "1", str(big)],
            "bare safe load": [*BARE, str(big)],
        },
        runs,
        REPO,
    )
    print("1,000 one-document files", flush=True)
    one_cmds = {
        "hooklint": [*HOOKLINT, "check", "-q", "--isolated", str(one)],
        "bare safe load": [*BARE, str(one)],
    }
    yamllint = yamllint_command()
    if yamllint:
        one_cmds["yamllint -d relaxed"] = [*yamllint, str(one)]
    one_m = measure(one_cmds, runs, REPO)
    print("one small file", flush=True)
    small_cmd = [*HOOKLINT, "check", "-q", "--isolated", small.name]
    small_m = measure(
        {
            "hooklint": small_cmd,
            "python -c pass": [PYTHON, "-c", "pass"],
            "python -c import-typer": [PYTHON, "-c", "import typer"],
        },
        max(5, runs * 3),
        small.parent,
    )

    growth: list[tuple[int, Measure]] = []
    if not args.quick:
        print("growth", flush=True)
        for docs in (2_500, 5_000):
            root = tree(f"docs{docs}-files{docs // 10}", docs, docs // 10)
            cmd = [*HOOKLINT, "check", "-q", "--isolated", "--jobs", "1", str(root)]
            m = measure({"j1": cmd}, runs, REPO)
            growth.append((docs, m["j1"]))
        growth.append((10_000, big_m["hooklint --jobs 1"]))

    imports, imported, import_total = import_profile(small)
    ended_load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    h, h1, bare = big_m["hooklint"], big_m["hooklint --jobs 1"], big_m["bare safe load"]
    startup = small_m["hooklint"].cpu
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py --runs {runs}` on {started}. Re-run it to refresh.",
        "",
        "## Machine",
        "",
        *[f"- {text}" for text in described],
        f"- load average at the end: {ended_load:.2f}",
        "",
        "Timings on a shared machine are noisy; compare the ratios, which are measured in the same",
        "run with the commands interleaved. Wall = median of the runs; CPU = user + system of the",
        "process tree; peak RSS = the largest process of the tree (wait4's ru_maxrss).",
        "",
        f"## 10,000 documents in 1,000 files ({megabytes(big):.1f} MB)",
        "",
        "| command | wall (s) | CPU (s) | peak RSS (MB) | wall vs bare load | CPU vs bare load |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in big_m.values():
        lines.append(row(m, f"{m.wall / bare.wall:.2f}x | {m.cpu / bare.cpu:.2f}x"))
    lines += [
        "",
        "## 1,000 one-document files",
        "",
        "| command | wall (s) | CPU (s) | peak RSS (MB) | wall vs hooklint | CPU vs hooklint |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    one_h = one_m["hooklint"]
    for m in one_m.values():
        lines.append(row(m, f"{m.wall / one_h.wall:.1f}x | {m.cpu / one_h.cpu:.1f}x"))
    if not yamllint:
        lines.append("\nyamllint is not installed (`pip install '.[bench]'`), so it was not measured.")
    lines += [
        "",
        "## One small file (pre-commit)",
        "",
        f"`hooklint check {small.name}` ({small.stat().st_size:,} bytes, 6 documents): median wall "
        f"**{small_m['hooklint'].wall * 1000:.0f} ms** of {len(small_m['hooklint'].samples)} runs "
        f"(min {min(s.wall for s in small_m['hooklint'].samples) * 1000:.0f} ms), "
        f"CPU {small_m['hooklint'].cpu * 1000:.0f} ms, peak RSS {small_m['hooklint'].rss:.0f} MB. "
        "For scale, in the same run: the bare interpreter (`python -c pass`) "
        f"{small_m['python -c pass'].wall * 1000:.0f} ms, and importing typer alone "
        f"{small_m['python -c import-typer'].wall * 1000:.0f} ms.",
        "",
        f"`python -X importtime` of that run: {import_total:.0f} ms of imports; the slowest top-level ones",
        "(cumulative, ms):",
        "",
        "| module | ms |",
        "| --- | ---: |",
        *[f"| `{name}` | {ms:.0f} |" for name, ms in imports],
        "",
        "Not imported by a plain text run: "
        + ", ".join(
            f"`{name}`" for name in ("jsonschema", "sarif_om", "rich", "pydantic") if name not in imported
        )
        + ".",
    ]
    also = [name for name in ("jsonschema", "sarif_om", "rich", "pydantic") if name in imported]
    if also:
        lines.append("Imported although not needed: " + ", ".join(f"`{n}`" for n in also) + ".")
    if growth:
        lines += [
            "",
            "## Growth (`--jobs 1`, 10 documents per file)",
            "",
            "CPU per document leaves out the start-up (the small-file run's CPU).",
            "",
            "| documents | wall (s) | CPU (s) | CPU per document (ms) | peak RSS (MB) |",
            "| ---: | ---: | ---: | ---: | ---: |",
        ]
        for docs, m in growth:
            per_ms = (m.cpu - startup) / docs * 1000
            lines.append(f"| {docs:,} | {m.wall:.2f} | {m.cpu:.2f} | {per_ms:.3f} | {m.rss:.0f} |")
    per_doc = [(m.cpu - startup) / docs for docs, m in growth]
    linear = bool(per_doc) and max(per_doc) / min(per_doc) < 1.3
    yl = one_m.get("yamllint -d relaxed")
    lines += [
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
        f"| 10,000 documents: hooklint wall <= 1.0x the bare safe load | {h.wall / bare.wall:.2f}x "
        f"(`--jobs 1`: {h1.wall / bare.wall:.2f}x) | {verdict(h.wall <= bare.wall)} |",
        (
            f"| 1,000 documents: >= 8x faster than yamllint | {yl.wall / one_h.wall:.1f}x wall "
            f"({yl.cpu / one_h.cpu:.1f}x CPU) | "
            f"{verdict(yl.wall / one_h.wall >= 8)} |"
            if yl
            else "| 1,000 documents: >= 8x faster than yamllint | not measured | |"
        ),
        f"| one small file <= 250 ms wall | {small_m['hooklint'].wall * 1000:.0f} ms "
        f"({small_m['hooklint'].cpu * 1000:.0f} ms CPU) | "
        f"{verdict(small_m['hooklint'].wall <= 0.25)} |",
        f"| peak memory < 200 MB for 10,000 documents | {max(h.rss, h1.rss):.0f} MB | "
        f"{verdict(max(h.rss, h1.rss) < 200)} |",
        (
            f"| linear growth (CPU per document within 30%) | {min(per_doc) * 1000:.3f}-"
            f"{max(per_doc) * 1000:.3f} ms | {verdict(linear)} |"
            if growth
            else "| linear growth | not measured (--quick) | |"
        ),
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    print("\n".join(lines[lines.index("## Targets") :]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
