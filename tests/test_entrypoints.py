"""The cheap plugin look never misses a declared plugin group."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from hooklint.entrypoints import may_declare


def dist(folder: Path, name: str, entry_points: str | None) -> None:
    info = folder / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points)


@pytest.fixture
def only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """sys.path holds just one empty folder (plus the stdlib's, which has no distributions)."""
    site = tmp_path / "site"
    site.mkdir()
    stdlib = [p for p in sys.path if p and Path(p).is_dir() and "site-packages" not in p]
    monkeypatch.setattr(sys, "path", [str(site), *stdlib])
    return site


def test_no_distribution_declares_it(only: Path) -> None:
    dist(only, "other", "[console_scripts]\nother = other:main\n")
    dist(only, "plain", None)
    assert may_declare("hooklint.plugins") is False


def test_a_declaring_distribution_is_found(only: Path) -> None:
    dist(only, "other", "[console_scripts]\nother = other:main\n")
    dist(only, "hooklint_extra", "[hooklint.plugins]\nextra = hooklint_extra:register\n")
    assert may_declare("hooklint.plugins") is True
    assert may_declare("hooklint.other") is False


def test_unsure_means_true(only: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = only.parent / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("x.py", "")
    monkeypatch.setattr(sys, "path", [*sys.path, str(archive)])
    assert may_declare("hooklint.plugins") is True


def test_custom_distribution_finder_means_true(only: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Finder:
        def find_distributions(self, context: object = None) -> list[object]:
            return []

    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])
    assert may_declare("hooklint.plugins") is True


def test_agrees_with_importlib_metadata_here() -> None:
    from importlib.metadata import entry_points

    for group in ("console_scripts", "hooklint.plugins", "pytest11"):
        if entry_points(group=group):
            assert may_declare(group) is True
