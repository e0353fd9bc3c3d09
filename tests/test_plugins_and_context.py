"""Plugins come from entry points; context files feed whole-set rules without being reported."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

import hooklint.registry
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document
from hooklint.registry import Registry, RegistryError, load_plugins
from hooklint.spec import spec_from_mapping
from tests.conftest import codes_lines, lint_texts


class NoLatestTag(DocumentCheck):
    key = "no-latest-tag"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if doc.get(("spec", "image")) == "x:latest":
            yield Violation(doc, ("spec", "image"), f"{doc.ref} uses :latest")


def register(registry: Registry) -> None:
    registry.add_spec(
        spec_from_mapping(
            {
                "code": "HL901",
                "name": "no-latest-tag",
                "summary": "An image uses the latest tag",
                "severity": "warning",
                "remediation": "Pin the tag.",
            }
        )
    )
    registry.add_check(NoLatestTag())


class FakeEntryPoint:
    name = "fake"
    value = "fake_plugin:register"

    def __init__(self, target: object) -> None:
        self.target = target

    def load(self) -> object:
        return self.target


def test_entry_point_plugin_is_registered_and_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooklint.registry, "plugin_entry_points", lambda path: [FakeEntryPoint(register)])
    from hooklint.checks import BUILTIN_CHECKS
    from hooklint.config import Config
    from hooklint.engine import LintOptions, active_rules, analyse
    from hooklint.sources.files import load_bytes
    from hooklint.spec import builtin_rules_dir

    registry = Registry()
    registry.add_rules_dir(builtin_rules_dir())
    for entry in BUILTIN_CHECKS:
        registry.add_builtin(entry)
    load_plugins(registry)
    registry.validate()
    assert registry.spec("HL901") is not None
    rules = active_rules(registry, Config(), LintOptions(paths=(), select=("HL901",)))
    loaded = [
        load_bytes(b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {image: 'x:latest'}\n", "p.yaml")
    ]
    report = analyse(rules, registry, Config(), loaded)
    assert [(f.code, f.line, f.column, f.message) for f in report.findings] == [
        ("HL901", 4, 15, "Pod/p uses :latest")
    ]


def test_broken_plugin_names_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(registry: Registry) -> None:
        raise ImportError("no module named foo")

    monkeypatch.setattr(hooklint.registry, "plugin_entry_points", lambda path: [FakeEntryPoint(boom)])
    with pytest.raises(RegistryError, match=r"plugin .fake. .* failed to load: no module named foo"):
        load_plugins(Registry())


def test_duplicate_codes_are_refused() -> None:
    registry = Registry()
    register(registry)
    with pytest.raises(RegistryError, match="clashes"):
        register(registry)


GATE = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n"
LATER = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {argocd.argoproj.io/sync-wave: "1"}\n'


def test_context_completes_the_app_and_is_reported_only_through_a_target() -> None:
    # the StatefulSet is gated only because of the later wave in a context file
    report = lint_texts({"app/db.yaml": GATE}, context={"app/later.yaml": LATER})
    assert codes_lines(report) == [("HL301", 2)]
    assert report.files == 1
    # a finding on a context document is reported when its related end is a target:
    # the staged ConfigMap is what waits for the StatefulSet
    report = lint_texts({"app/later.yaml": LATER}, context={"app/db.yaml": GATE})
    assert [(f.path, f.line, [r.path for r in f.related]) for f in report.findings] == [
        ("app/db.yaml", 2, ["app/later.yaml"])
    ]
    # ... and not when neither end is a target
    unrelated = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n"
    report = lint_texts({"app/s.yaml": unrelated}, context={"app/db.yaml": GATE, "app/later.yaml": LATER})
    assert report.findings == []


def test_folders_are_separate_apps_by_default() -> None:
    from hooklint.config import Config

    files = {"one/db.yaml": GATE, "two/later.yaml": LATER}
    assert lint_texts(files).findings == []
    assert codes_lines(lint_texts(files, config=Config(scope="all"))) == [("HL301", 2)]


def test_rules_dir_file_names_must_match(tmp_path: Path) -> None:
    from hooklint.spec import SpecError, parse_rule_file

    path = tmp_path / "wrong-name.md"
    path.write_text("---\ncode: HL950\nname: right-name\nsummary: s\nseverity: info\nremediation: r\n---\n")
    with pytest.raises(SpecError, match="must be named after the rule"):
        parse_rule_file(path)


def test_a_repository_cannot_plant_a_plugin_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python -m hooklint`` puts the cwd on sys.path: a planted dist-info and module
    there must be neither found nor imported."""
    import sys

    dist = tmp_path / "evil-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[hooklint.plugins]\nevil = planted_evil:register\n")
    (tmp_path / "planted_evil.py").write_text("raise SystemExit('planted code ran')\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "path", ["", *sys.path])
    assert [e.name for e in hooklint.registry.plugin_entry_points(sys.path[:])] == ["evil"]  # the bait works
    assert hooklint.registry.plugin_entry_points(hooklint.registry.trusted_path()) == []
    registry = Registry()
    load_plugins(registry)  # must not raise SystemExit
    assert "planted_evil" not in sys.modules
