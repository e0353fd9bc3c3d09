"""An Application's ``kustomize:`` block applied as Argo CD applies it: ``kustomize edit`` on the
app folder's own kustomization, in a copy.

Argo CD's ``(*kustomize).Build`` (util/kustomize/kustomize.go, 164-381) runs, in the app folder
of its checkout, ``kustomize edit set nameprefix`` / ``namesuffix`` / ``image`` / ``replicas``,
``edit add label`` / ``annotation`` (``--force`` only with ``forceCommonLabels`` /
``forceCommonAnnotations``), ``edit set namespace``, appends ``patches`` to the file itself and
``edit add component``, then ``kustomize build``.  So the Application's ``namePrefix`` *replaces*
the folder's, its images replace the folder's entries of the same name, its labels and
annotations merge into the folder's (an existing key without ``--force`` fails the app), and its
patches and components run inside the folder's kustomization, before its own transformers.

hooklint never writes to the user's tree: :func:`mirror` lays out a temporary tree standing for
the common ancestor of everything the build reads, with the app folder *copied* (so the edited
kustomization and the files it loads pass kustomize's load restrictions) and every other entry on
the way down a symlink to the real one; :func:`edit` is the edits, on the kustomization's data.
kustomize names origins through the mirror, and :meth:`Mirror.real` maps them back.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Mapping

from hooklint.model import PosMap
from hooklint.values import dataclass, field

#: A copy bigger than this is not made: the Application's fields then go into the wrapper
#: (added on top of the folder: a folder's namePrefix is then kept), and a note says so.
MAX_COPY_FILES = 5000
MAX_COPY_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class AppOrigin:
    """Where an Application's ``kustomize:`` block is: its file and the block's positions."""

    path: Path  # the Application's file, absolute
    positions: PosMap


@dataclass(frozen=True)
class AppKustomize:
    """An Application's ``kustomize:`` block: kustomization fields (as
    :func:`hooklint.sources.app_params.kustomization_fields` writes them) and the flags of Argo
    CD's ``edit add`` calls."""

    fields: Mapping[str, Any]
    force_labels: bool = False
    force_annotations: bool = False
    labels_without_selector: bool = False
    labels_include_templates: bool = False
    ignore_missing_components: bool = False
    origin: AppOrigin | None = field(default=None, compare=False)


class EditError(Exception):
    """``kustomize edit`` refuses the change (Argo CD then fails the app); ``path``: the value's
    YAML path in the Application's kustomize block."""

    def __init__(self, message: str, path: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


def edit(data: Mapping[str, Any], app: AppKustomize, folder: Path | None = None) -> dict[str, Any]:
    """The kustomization ``data`` after Argo CD's edit calls for ``app``, in Argo CD's order.
    ``folder``: the app folder, where ``ignoreMissingComponents`` looks for the components."""
    out = dict(data)
    fields = app.fields
    for key in ("namePrefix", "nameSuffix"):  # edit set nameprefix/namesuffix: replace
        if fields.get(key):
            out[key] = fields[key]
    if fields.get("images"):
        out["images"] = _set_images(out.get("images"), fields["images"])
    if fields.get("replicas"):
        out["replicas"] = _set_replicas(out.get("replicas"), fields["replicas"])
    if fields.get("commonLabels"):
        labels = {str(k): str(v) for k, v in fields["commonLabels"].items()}
        if app.labels_without_selector:
            out["labels"] = _add_label_pairs(out.get("labels"), labels, app)
        else:
            out["commonLabels"] = _add(out.get("commonLabels"), labels, app.force_labels, "commonLabels")
    if fields.get("commonAnnotations"):
        annotations = {str(k): str(v) for k, v in fields["commonAnnotations"].items()}
        out["commonAnnotations"] = _add(
            out.get("commonAnnotations"), annotations, app.force_annotations, "commonAnnotations"
        )
    if fields.get("namespace"):
        out["namespace"] = fields["namespace"]
    if fields.get("patches"):
        current = out.get("patches")
        if current is not None and not isinstance(current, list):
            message = f"expected 'patches' field in kustomization.yaml to be a list, not {current!r}"
            raise EditError(message, ("patches",))
        out["patches"] = [*(current or []), *fields["patches"]]
    wanted = list(fields.get("components") or ())
    if wanted and app.ignore_missing_components and folder is not None:
        wanted = [c for c in wanted if (folder / c).exists()]  # Build 345-366: the others are skipped
    if wanted:
        current = out.get("components")
        present = list(current) if isinstance(current, list) else []
        out["components"] = present + [c for c in wanted if c not in present]
    return out


def _set_images(current: Any, wanted: Any) -> list[dict[str, Any]]:
    """``kustomize edit set image`` (setimage.go RunSetImage): the given entries replace the
    folder's of the same name (``*`` keeps the folder's newName/newTag/digest); sorted by name."""
    by_name: dict[str, dict[str, Any]] = {}
    for image in wanted:
        by_name[str(image.get("name", ""))] = dict(image)
    for image in current if isinstance(current, list) else []:
        if not isinstance(image, dict):
            continue
        name = str(image.get("name", ""))
        given = by_name.get(name)
        if given is None:
            by_name[name] = dict(image)
            continue
        for key in ("newName", "newTag", "digest"):
            if given.get(key) == "*":
                given[key] = image.get(key, "")
    for image in by_name.values():
        for key in ("newName", "newTag", "digest"):
            if image.get(key) in ("*", ""):
                image.pop(key, None)
    return [by_name[name] for name in sorted(by_name)]


def _set_replicas(current: Any, wanted: Any) -> list[Any]:
    """``kustomize edit set replicas``: replace the entry of the same name, else append."""
    out = [dict(r) if isinstance(r, dict) else r for r in (current if isinstance(current, list) else [])]
    for replica in wanted:
        for number, existing in enumerate(out):
            if isinstance(existing, dict) and existing.get("name") == replica.get("name"):
                out[number] = dict(replica)
                break
        else:
            out.append(dict(replica))
    return out


def _add(current: Any, pairs: Mapping[str, str], force: bool, field: str) -> dict[str, Any]:
    """``kustomize edit add label|annotation`` (addmetadata.go writeToMapEntry); ``field``: the
    Application's (``commonLabels`` or ``commonAnnotations``)."""
    kind = "annotation" if field == "commonAnnotations" else "label"
    out = dict(current) if isinstance(current, dict) else {}
    for key, value in pairs.items():
        if key in out and not force:
            message = f"{kind} {key} already in kustomization file. Use --force to override."
            raise EditError(message, (field, key))
        out[key] = value
    return out


def _add_label_pairs(current: Any, pairs: Mapping[str, str], app: AppKustomize) -> list[Any]:
    """``edit add label --without-selector`` (addmetadata.go writeToLabels): into the first
    ``labels`` entry with the same includeSelectors/includeTemplates, else a new one."""
    labels = [dict(x) if isinstance(x, dict) else x for x in (current if isinstance(current, list) else [])]
    wanted = (False, app.labels_include_templates)
    for entry in labels:
        if isinstance(entry, dict) and (
            bool(entry.get("includeSelectors")),
            bool(entry.get("includeTemplates")),
        ) == wanted:
            entry["pairs"] = _add(entry.get("pairs"), pairs, app.force_labels, "commonLabels")
            return labels
    new: dict[str, Any] = {"pairs": dict(pairs), "includeSelectors": False}
    if app.labels_include_templates:
        new["includeTemplates"] = True
    return [*labels, new]


# -- the copy ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mirror:
    """A temporary tree: ``root`` stands for ``common``; ``folder`` is the app folder's copy."""

    root: Path
    common: Path
    folder: Path

    def real(self, path: Path) -> Path:
        """A path in the mirror as the path it stands for (others unchanged)."""
        try:
            return self.common / path.relative_to(self.root)
        except ValueError:
            return path

    def text(self, text: str) -> str:
        """``text`` with the mirror's paths written as the real ones."""
        return text.replace(str(self.root) + os.sep, str(self.common) + os.sep)


def mirror(folder: Path, reads: list[Path], dest: Path) -> Mirror | None:
    """Lay out ``dest`` as the common ancestor of ``folder`` and ``reads`` (everything the build
    reads): symlinks to the real entries, except the way down to ``folder``, which is copied
    (symlinks inside kept as symlinks, ``.git`` left out).  None when the copy would be too big."""
    folder = folder.resolve()
    common = Path(os.path.commonpath([str(folder), *(str(p) for p in reads)]))
    if not _small(folder):
        return None
    here_real, here = common, dest
    here.mkdir(parents=True, exist_ok=True)
    for part in folder.relative_to(common).parts:
        for name in sorted(os.listdir(here_real)):
            if name != part:
                os.symlink(here_real / name, here / name)
        here_real, here = here_real / part, here / part
        here.mkdir()
    shutil.copytree(folder, here, symlinks=True, ignore=shutil.ignore_patterns(".git"), dirs_exist_ok=True)
    return Mirror(dest, common, here)


def _small(folder: Path) -> bool:
    files = size = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        files += len(filenames)
        for name in filenames:
            try:
                size += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue
        if files > MAX_COPY_FILES or size > MAX_COPY_BYTES:
            return False
    return True
