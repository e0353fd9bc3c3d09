"""Benchmark ``hooklint check`` on Helm charts against ``helm template`` alone; write HELM_RESULTS.md.

    python benchmarks/helm_charts.py [--runs 5] [--helm PATH] [--charts DIR]

The chart set is every chart in ``../shared/charts`` (or ``--charts``).  Timed as
separate processes, interleaved so machine noise hits all of them alike:

- ``helm template`` alone: the command hooklint runs (``helm template . --name-template
  <name> --include-crds`` in each chart folder), one chart after the other, as a
  script or a CI job would run it before piping the output to a linter;
- ``hooklint check <charts> --no-cache`` (cold: every chart rendered), default
  ``--jobs`` and ``--jobs 1``;
- ``hooklint check <charts>`` with the render cache filled (warm).

Wall time is the median of ``--runs`` runs.  Targets (issue 13): cold at most 1.3x
helm's own time, warm at most 0.3x.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "HELM_RESULTS.md"
TOOLS = Path(os.environ.get("HOOKLINT_TOOLS") or Path.home() / ".cache" / "hooklint-tools") / "bin"


def chart_name(chart: Path) -> str:
    for line in (chart / "Chart.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("name:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return chart.name


def find_charts(root: Path) -> list[Path]:
    found = []
    for chart_yaml in sorted(root.rglob("Chart.yaml")):
        chart = chart_yaml.parent
        if "charts" in chart.relative_to(root).parts[:-1] and (chart.parent.parent / "Chart.yaml").is_file():
            continue  # a subchart: rendered with its parent
        if (chart / "kustomization.yaml").is_file():
            continue
        found.append(chart)
    return found


def timed(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float]:
    """Wall and CPU (user + system of the process tree) seconds of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--helm", default=shutil.which("helm") or str(TOOLS / "helm"))
    parser.add_argument("--charts", type=Path, default=REPO.parent / "shared" / "charts")
    args = parser.parse_args()
    if not os.access(args.helm, os.X_OK):
        sys.exit(f"no helm at {args.helm}: run .ci/install-k8s-tools")
    charts = find_charts(args.charts)
    names = {chart: chart_name(chart) for chart in charts}
    cache = Path(tempfile.mkdtemp(prefix="hooklint-bench-cache-"))
    env = {**os.environ, "HOOKLINT_CACHE_DIR": str(cache)}
    script = Path(sys.executable).parent / "hooklint"  # the console script, as users start it
    launcher = [str(script)] if script.is_file() else [sys.executable, "-m", "hooklint"]
    hooklint = [*launcher, "check", "--isolated", "--helm", args.helm, "--quiet",
                "--exit-zero", *map(str, charts)]  # fmt: skip

    def helm_alone() -> tuple[float, float]:
        wall = cpu = 0.0
        for chart in charts:
            one = timed(
                [args.helm, "template", ".", "--name-template", names[chart], "--include-crds"], cwd=chart
            )
            wall, cpu = wall + one[0], cpu + one[1]
        return wall, cpu

    timed(hooklint, env)  # fill the cache (and warm the OS file cache) once
    series: dict[str, list[tuple[float, float]]] = {"helm": [], "cold": [], "cold1": [], "warm": []}
    for _ in range(args.runs):
        series["helm"].append(helm_alone())
        series["cold"].append(timed([*hooklint, "--no-cache"], env))
        series["cold1"].append(timed([*hooklint, "--no-cache", "--jobs", "1"], env))
        series["warm"].append(timed(hooklint, env))
    shutil.rmtree(cache, ignore_errors=True)
    median = {key: statistics.median(v[0] for v in values) for key, values in series.items()}
    cpu = {key: statistics.median(v[1] for v in values) for key, values in series.items()}
    # ratios: the median of each round's (its commands ran back to back: drift touches both ends)
    wall_ratio = {
        key: statistics.median(v[0] / h[0] for v, h in zip(values, series["helm"], strict=True))
        for key, values in series.items()
    }
    cpu_ratio = {
        key: statistics.median(v[1] / h[1] for v, h in zip(values, series["helm"], strict=True))
        for key, values in series.items()
    }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    version = subprocess.run([args.helm, "version", "--short"], capture_output=True, text=True).stdout.strip()
    rows = [
        ("`helm template` alone, chart after chart", "helm"),
        ("`hooklint check` cold (`--no-cache`, default `--jobs`)", "cold"),
        ("`hooklint check` cold (`--no-cache --jobs 1`)", "cold1"),
        ("`hooklint check` warm (render cache hit)", "warm"),
    ]
    lines = [
        "# Helm benchmark",
        "",
        f"Written by `python benchmarks/helm_charts.py --runs {args.runs}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Re-run it to refresh.",
        "",
        f"- {platform.system()} {platform.release()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, helm {version}",
        f"- {len(charts)} charts from `../shared/charts`: "
        + ", ".join(f"`{c.relative_to(args.charts)}`" for c in charts),
        "- median of the runs, interleaved (a ratio: the median of the rounds' ratios); CPU = user + "
        "system of the process tree; other jobs share "
        f"the machine (load average {load:.1f} at the end): on a busy machine compare CPU",
        "",
        "| command | wall (s) | wall vs helm alone | CPU (s) | CPU vs helm alone |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {label} | {median[key]:.2f} | {wall_ratio[key]:.2f}x | {cpu[key]:.2f} | "
            f"{cpu_ratio[key]:.2f}x |"
            for label, key in rows
        ),
        "",
        "Targets: cold at most 1.3x helm alone, warm at most 0.3x.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    sys.stdout.write("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
