"""Benchmark hooklint against its yardsticks, in one run; print every target and write RESULTS.md.

    python benchmarks/run.py [--runs 3] [--quick]

Generates the trees (benchmarks/data/, deterministic), then times, as
separate processes and interleaved so machine noise hits all of them alike:

- 10,000 documents in 1,000 files: ``hooklint check --no-cache`` (default --jobs and
  --jobs 1) and warm (the lint cache filled by the warm-up run, nothing changed) vs
  ``benchmarks/event_floor.py`` (one process walking ruamel's C event stream, no values);
- one 6-document file (the pre-commit case), cold (``--no-cache``) and warm, vs
  ``python -c pass`` on the same interpreter;
- ``hooklint check --no-cache`` vs ``yamllint -d relaxed`` (when installed) on 1,000
  one-document files;
- ``hooklint check --no-cache --jobs 1`` on 2,500 to 40,000 documents (growth);
- Helm: ``benchmarks/helm_charts.py`` (hooklint on charts vs ``helm template`` alone),
  when helm is found;
- ``python -X importtime`` of the small-file run.

The lint cache lives in ``benchmarks/data/cache`` (``$HOOKLINT_CACHE_DIR``), never the user's.

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
# the console script, as pre-commit and a shell start it (``python -m`` adds runpy's imports)
HOOKLINT = [str(BIN / "hooklint")] if (BIN / "hooklint").is_file() else [PYTHON, "-m", "hooklint"]
# what ``python -X ...`` runs to start hooklint as HOOKLINT does (the script is a Python file)
LAUNCH = HOOKLINT if len(HOOKLINT) == 1 else HOOKLINT[1:]
FLOOR = [PYTHON, str(HERE / "event_floor.py")]
# what a console script imports before hooklint's first line (pip's wrapper: ``import re``),
# plus pathlib, which hooklint's paths are made of: the part of a one-file run not its own
SCRIPT_FLOOR = [PYTHON, "-c", "import re, pathlib"]
CACHE = DATA / "cache"


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
    env["HOOKLINT_CACHE_DIR"] = str(CACHE)
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
    """Run each command ``runs`` times, interleaved, after one warm-up run each.

    Each round starts one command later than the last (A B C, B C A, C A B, ...), so no
    command always runs after the same one."""
    for cmd in commands.values():
        run_once(cmd, cwd)
    out = {label: Measure(label, []) for label in commands}
    labels = list(commands)
    for round_ in range(runs):
        shift = round_ % len(labels)
        for label in labels[shift:] + labels[:shift]:
            cmd = commands[label]
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
        [PYTHON, "-X", "importtime", *LAUNCH, "check", small.name, "-q", "--isolated", "--no-cache"],
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
        f"Python {platform.python_version()}, ruamel.yaml {ruamel.yaml.__version__}, ruamel.yaml.clib {clib}",
        f"load average at start: {load:.2f} (other jobs share the machine)",
    ]


def megabytes(root: Path) -> float:
    return sum(p.stat().st_size for p in root.rglob("*.yaml")) / 1_048_576


def row(m: Measure, ratios: str) -> str:
    return f"| `{m.label}` | {m.wall:.2f} | {m.cpu:.2f} | {m.rss:.0f} | {ratios} |"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def paired(a: Measure, b: Measure, cpu: bool = False) -> float:
    """The median of the per-round ratios ``a / b`` (wall, or CPU): a round of :func:`measure`
    runs every command once, back to back, so a change of the machine's speed during the run
    touches both ends of each ratio alike (the ratio of the two medians does not pair them)."""
    pairs = zip(a.samples, b.samples, strict=True)
    return statistics.median((x.cpu / y.cpu) if cpu else (x.wall / y.wall) for x, y in pairs)


def pair(a: Measure, b: Measure, cpu: bool = False) -> str:
    return f"{paired(a, b, cpu):.2f}x"


def helm_section(runs: int) -> tuple[list[str], list[str]]:
    """Run the Helm benchmark (when helm is found) and quote its table and targets."""
    from benchmarks.helm_charts import TOOLS

    helm = shutil.which("helm") or (str(TOOLS / "helm") if (TOOLS / "helm").exists() else None)
    if helm is None:
        return ["", "## Helm charts", "", "helm was not found, so the Helm benchmark was not run."], [
            "| Helm: cold <= 1.3x, warm <= 0.3x | `helm template` alone | not measured (no helm) | |"
        ]
    subprocess.run([PYTHON, str(HERE / "helm_charts.py"), "--runs", str(runs), "--helm", helm], check=True)
    text = (HERE / "HELM_RESULTS.md").read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("|")]
    cold = warm = None
    for line in table:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if "cold" in cells[0] and "--jobs 1" not in cells[0]:
            cold = (cells[2], cells[4])
        elif "warm" in cells[0]:
            warm = (cells[2], cells[4])
    body = [
        "",
        "## Helm charts",
        "",
        "From `benchmarks/helm_charts.py`, run by this script (see HELM_RESULTS.md):",
        "",
        *table,
    ]
    targets = []
    if cold and warm:
        cold_ok = float(cold[0].rstrip("x")) <= 1.3
        warm_ok = float(warm[0].rstrip("x")) <= 0.3
        targets = [
            f"| Helm cold: wall <= 1.3x | `helm template` alone | {cold[0]} (CPU {cold[1]}) | "
            f"{verdict(cold_ok)} |",
            f"| Helm warm: wall <= 0.3x | same | {warm[0]} (CPU {warm[1]}) | {verdict(warm_ok)} |",
        ]
    return body, targets


def main() -> int:
    parser = argparse.ArgumentParser(description="hooklint benchmarks")
    parser.add_argument("--runs", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--quick", action="store_true", help="1 run each, skip the growth series and Helm")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    described = machine()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    shutil.rmtree(CACHE, ignore_errors=True)

    print("generating trees ...", flush=True)
    big = tree("docs10000-files1000", 10_000, 1_000)
    one = tree("docs1000-files1000", 1_000, 1_000)
    small_tree = tree("docs6-files1", 6, 1)
    small = next(small_tree.rglob("*.yaml"))
    check = [*HOOKLINT, "check", "-q", "--isolated"]

    print("10,000 documents in 1,000 files", flush=True)
    big_m = measure(
        {
            "hooklint --no-cache": [*check, "--no-cache", str(big)],
            "hooklint --no-cache --jobs 1": [*check, "--no-cache", "--jobs", "1", str(big)],
            "hooklint warm (cache)": [*check, str(big)],
            "C event stream floor": [*FLOOR, str(big)],
        },
        runs,
        REPO,
    )
    print("one small file", flush=True)
    small_m = measure(
        {
            "hooklint --no-cache": [*check, "--no-cache", small.name],
            "hooklint warm (cache)": [*check, small.name],
            "python -c pass": [PYTHON, "-c", "pass"],
            "python -c 'import re, pathlib'": SCRIPT_FLOOR,
        },
        max(9, runs * 3),
        small.parent,
    )
    print("1,000 one-document files", flush=True)
    one_cmds = {"hooklint --no-cache": [*check, "--no-cache", str(one)]}
    yamllint = yamllint_command()
    if yamllint:
        one_cmds["yamllint -d relaxed"] = [*yamllint, str(one)]
    one_m = measure(one_cmds, runs, REPO)

    growth: list[tuple[int, Measure]] = []
    if not args.quick:
        print("growth", flush=True)
        sizes = (2_500, 5_000, 10_000, 20_000, 40_000)
        roots = {
            docs: big if docs == 10_000 else tree(f"docs{docs}-files{docs // 10}", docs, docs // 10)
            for docs in sizes
        }
        # one measure() for all sizes: the runs are interleaved, so the machine's drift during
        # the series touches every size alike (measured size after size, it read as growth)
        series = measure(
            {f"{docs}": [*check, "--no-cache", "--jobs", "1", str(roots[docs])] for docs in sizes}, runs, REPO
        )
        growth = [(docs, series[f"{docs}"]) for docs in sizes]
    helm_lines, helm_targets = helm_section(runs) if not args.quick else ([], [])

    imports, imported, import_total = import_profile(small)
    ended_load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    cold, cold1 = big_m["hooklint --no-cache"], big_m["hooklint --no-cache --jobs 1"]
    warm, floor = big_m["hooklint warm (cache)"], big_m["C event stream floor"]
    small_cold, small_warm, bare = (
        small_m["hooklint --no-cache"], small_m["hooklint warm (cache)"], small_m["python -c pass"],
    )  # fmt: skip
    startup = small_cold.cpu
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
        "Timings on a shared machine are noisy: compare the ratios, measured in the same run with",
        "the commands interleaved, and on a busy machine the CPU ratios above all (wall time counts",
        "the other jobs' use of the cores). Wall = median of the runs; CPU = user + system of the",
        "process tree; peak RSS = the largest process of the tree (wait4's ru_maxrss). A ratio is",
        "the median of the per-round ratios: each round runs every command of a table once, back",
        "to back, so a drift of the machine's speed touches both ends of each ratio alike.",
        "",
        f"## 10,000 documents in 1,000 files ({megabytes(big):.1f} MB)",
        "",
        "| command | wall (s) | CPU (s) | peak RSS (MB) | wall vs floor | CPU vs floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *[row(m, f"{pair(m, floor)} | {pair(m, floor, cpu=True)}") for m in big_m.values()],
        "",
        "## One 6-document file (pre-commit)",
        "",
        f"`hooklint check {small.name}` ({small.stat().st_size:,} bytes); "
        f"{len(small_cold.samples)} runs each.",
        "",
        "| command | median wall (ms) | min wall (ms) | CPU (ms) | peak RSS (MB) | wall vs bare python |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| `{m.label}` | {m.wall * 1000:.0f} | {min(s.wall for s in m.samples) * 1000:.0f} | "
            f"{m.cpu * 1000:.0f} | {m.rss:.0f} | {pair(m, bare)} |"
            for m in small_m.values()
        ],
        "",
        f"`python -X importtime` of the cold run: {import_total:.0f} ms of imports; the slowest top-level",
        "ones (cumulative, ms):",
        "",
        "| module | ms |",
        "| --- | ---: |",
        *[f"| `{name}` | {ms:.0f} |" for name, ms in imports],
        "",
        "Not imported by a plain run: "
        + ", ".join(f"`{n}`" for n in ("typer", "jsonschema", "sarif_om", "pydantic") if n not in imported)
        + ".",
        "",
        "## 1,000 one-document files",
        "",
        "| command | wall (s) | CPU (s) | peak RSS (MB) | wall vs hooklint | CPU vs hooklint |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    one_h = one_m["hooklint --no-cache"]
    for m in one_m.values():
        lines.append(row(m, f"{pair(m, one_h)} | {pair(m, one_h, cpu=True)}"))
    if not yamllint:
        lines.append("\nyamllint is not installed (`pip install '.[bench]'`), so it was not measured.")
    per_doc = [(m.cpu - startup) / docs for docs, m in growth]
    if growth:
        lines += [
            "",
            "## Growth (`--no-cache --jobs 1`, 10 documents per file)",
            "",
            "CPU per document leaves out the start-up (the small file's cold CPU).",
            "",
            "| documents | wall (s) | CPU (s) | CPU per document (ms) | peak RSS (MB) |",
            "| ---: | ---: | ---: | ---: | ---: |",
            *[
                f"| {docs:,} | {m.wall:.2f} | {m.cpu:.2f} | {each * 1000:.3f} | {m.rss:.0f} |"
                for (docs, m), each in zip(growth, per_doc, strict=True)
            ],
        ]
    lines += helm_lines
    yl = one_m.get("yamllint -d relaxed")
    peak = max(cold.rss, cold1.rss, warm.rss)
    targets = [
        "| target | yardstick | measured | |",
        "| --- | --- | --- | --- |",
        f"| 10k docs cold, default `--jobs`: wall <= 1.0x | C event stream floor {floor.wall:.2f} s "
        f"({floor.cpu:.2f} s CPU) | {cold.wall:.2f} s = {pair(cold, floor)} "
        f"(CPU {pair(cold, floor, cpu=True)}) | {verdict(paired(cold, floor) <= 1.0)} |",
        f"| 10k docs cold, `--jobs 1`: wall <= 2.0x | same | {cold1.wall:.2f} s = "
        f"{pair(cold1, floor)} (CPU {pair(cold1, floor, cpu=True)}) | "
        f"{verdict(paired(cold1, floor) <= 2.0)} |",
        f"| 10k docs warm (cache): wall <= 0.2x | same | {warm.wall:.2f} s = {pair(warm, floor)} "
        f"(CPU {pair(warm, floor, cpu=True)}) | {verdict(paired(warm, floor) <= 0.2)} |",
        f"| 10k docs: peak RSS < 150 MB | - | {peak:.0f} MB | {verdict(peak < 150)} |",
        f"| one file cold: median wall <= 100 ms and <= 4x | `python -c pass` {bare.wall * 1000:.0f} ms | "
        f"{small_cold.wall * 1000:.0f} ms = {pair(small_cold, bare)} | "
        f"{verdict(small_cold.wall <= 0.1 and paired(small_cold, bare) <= 4.0)} |",
        f"| one file warm: median wall <= 100 ms and <= 4x | same | {small_warm.wall * 1000:.0f} ms = "
        f"{pair(small_warm, bare)} | "
        f"{verdict(small_warm.wall <= 0.1 and paired(small_warm, bare) <= 4.0)} |",
        (
            f"| 1,000 docs: yamllint >= 8x slower | yamllint {yl.wall:.2f} s | hooklint {one_h.wall:.2f} s: "
            f"yamllint {pair(yl, one_h)} slower (CPU {pair(yl, one_h, cpu=True)}) | "
            f"{verdict(paired(yl, one_h) >= 8.0)} |"
            if yl
            else "| 1,000 docs: yamllint >= 8x slower | - | not measured (no yamllint) | |"
        ),
        (
            "| linear growth: CPU per document flat, 2,500-40,000 | - | "
            + ", ".join(f"{d:,}: {e * 1000:.3f} ms" for (d, _), e in zip(growth, per_doc, strict=True))
            + f" (max/min {max(per_doc) / min(per_doc):.2f}) | {verdict(max(per_doc) / min(per_doc) < 1.3)} |"
            if growth
            else "| linear growth | - | not measured (--quick) | |"
        ),
        *helm_targets,
    ]
    lines += ["", "## Targets", "", *targets, ""]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    print("\n".join(["## Targets", *targets]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
