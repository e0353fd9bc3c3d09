"""Generated manifests with fixable mistakes (HL001, HL003-HL007, HL101, HL111, HL201-HL203): after --fix (unsafe fixes too) no fixable
finding is left, no fixed code is reported again, every line no fix was meant to touch
is unchanged, and a second --fix changes nothing."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.config import Config
from hooklint.engine import LintOptions, active_rules
from hooklint.fix.run import fix_loaded
from hooklint.registry import load_registry
from hooklint.sources.files import load_bytes

REGISTRY = load_registry(plugins=False)
CONFIG = Config()
RULES = active_rules(REGISTRY, CONFIG, LintOptions(paths=()))


@dataclass(frozen=True)
class Manifest:
    text: str
    mutable: frozenset[int]  # 0-based lines a fix may rewrite or remove


def quote(value: str, style: str) -> str:
    return {"plain": value, "single": f"'{value}'", "double": f'"{value}"'}[style]


@st.composite
def manifests(draw: st.DrawFn) -> Manifest:
    unit = " " * draw(st.sampled_from([2, 3, 4]))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    style = st.sampled_from(["plain", "single", "double"])
    lines: list[tuple[str, bool]] = []  # (text, may change)

    def add(depth: int, text: str, mutable: bool = False, comment: bool = False) -> None:
        lines.append((unit * depth + text + ("  # note" if comment else ""), mutable))

    comments = st.booleans()
    if draw(comments):
        add(0, "# a generated hook")
    add(0, "apiVersion: batch/v1")
    add(0, "kind: Job")
    add(0, "metadata:", comment=draw(comments))
    add(1, "name: db-migrate")
    if draw(st.booleans()):  # HL111: generateName next to name (an unsafe fix removes it)
        add(1, f"generateName: {quote('db-migrate-', draw(style))}", True, draw(comments))
    misplaced = draw(st.booleans())
    other_label = draw(st.booleans())
    if misplaced or other_label:
        add(1, "labels:", mutable=misplaced and not other_label)
        if other_label:
            add(2, "app: shop")
        if misplaced:
            add(2, "argocd.argoproj.io/compare-options: IgnoreExtraneous", True, draw(comments))
    hook = draw(st.sampled_from(["PreSync", "Presync", "presync", "PostSynch", "pre_sync", "Sync, postsync"]))
    policy = draw(st.sampled_from(["", "BeforeHookCreation", "HookSucceded", "hookfailed", "HookFailed"]))
    option = draw(st.sampled_from(["", "Prune=false", "prune=False", "Replace=True"]))
    wave = draw(st.sampled_from(["", "5", '"5"', "-1"]))
    wave_key = draw(st.sampled_from(["sync-wave", "sync-waves", "syncwave", "Sync-Wave"]))  # HL007
    entries = [
        (f"argocd.argoproj.io/hook: {quote(hook, draw(style))}", hook != "PreSync"),
        (f"argocd.argoproj.io/hook-delete-policy: {quote(policy, draw(style))}" if policy else "", True),
        (
            f"argocd.argoproj.io/sync-options: {quote(option, draw(style))}" if option else "",
            option != "Prune=false",
        ),
        (
            f"argocd.argoproj.io/{wave_key}: {wave}" if wave else "",
            not wave.startswith('"') or wave_key != "sync-wave",
        ),
    ]
    entries = [(text, mutable) for text, mutable in entries if text]
    if draw(st.booleans()):  # flow style: one line a fix may rewrite
        add(1, "annotations: {" + ", ".join(text for text, _ in entries) + "}", True)
    else:
        add(1, "annotations:")
        for text, mutable in entries:
            add(2, text, mutable, draw(comments))
    add(0, "spec:", comment=draw(comments))
    if draw(st.booleans()):
        add(1, "backoffLimit: 2")
    if draw(st.booleans()):
        add(1, "activeDeadlineSeconds: 300")
    if draw(comments):
        add(1, "# the pod")
    add(1, "template:")
    add(2, "spec:")
    restart = draw(st.sampled_from(["", "Never", "Always", '"Always"']))
    if restart:
        add(3, f"restartPolicy: {restart}", restart != "Never", draw(comments))
    add(3, "containers:")
    add(4, "- name: migrate")
    add(4, "  image: example/migrate:1.0")
    if draw(st.booleans()):
        add(0, "---")
        add(0, "apiVersion: v1")
        add(0, "kind: ConfigMap")
        add(0, "metadata: {name: settings, annotations: {argocd.argoproj.io/sync-wave: 3}}", True)
    text = eol.join(line for line, _ in lines) + (eol if draw(st.booleans()) else "")
    return Manifest(text, frozenset(n for n, (_, mutable) in enumerate(lines) if mutable))


def fix_in(folder: Path, data: bytes) -> tuple[bytes, set[str], list[str]]:
    loaded = [load_bytes(data, "job.yaml", plain_file=True)]
    outcome = fix_loaded(RULES, REGISTRY, CONFIG, loaded, unsafe=True, cwd=folder)
    after = outcome.after.get("job.yaml", data)
    remaining = [
        f"{f.code} {f.fix}"
        for f in outcome.report.findings
        if f.fix or f.code in {x.code for x in outcome.fixed}
    ]
    return after, {f.code for f in outcome.fixed}, remaining


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests())
def test_fix_leaves_nothing_fixable_and_touches_only_the_mistakes(manifest: Manifest) -> None:
    data = manifest.text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "job.yaml").write_bytes(data)
        after, fixed, remaining = fix_in(root, data)
        assert remaining == [], after.decode()
        before_lines = manifest.text.splitlines(keepends=True)
        after_lines = iter(after.decode().splitlines(keepends=True))
        # every line no fix may touch is still there, byte for byte and in order
        for number, line in enumerate(before_lines):
            if number not in manifest.mutable:
                assert any(line == new for new in after_lines), (number, line, after.decode())
        if after != data:
            assert fixed
            (root / "job.yaml").write_bytes(after)
            again, fixed_again, _ = fix_in(root, after)
            assert again == after and not fixed_again
