"""Which local folder an Application's ``repoURL`` means: git remotes and ``--repo URL=DIR`` maps.

Argo CD itself compares repository URLs with ``git.NormalizeGitURL`` (util/git/git.go):
lower-case, trimmed, ``.git`` stripped, ``git@host:org/repo`` read as ``ssh://git@host/org/repo``
and printed without ``ssh://``; so an https and an SSH URL of one repository differ there.  A
linter asks a looser question, "is this the repository checked out here?", so :func:`repo_key`
also drops the scheme, the user and a trailing slash: ``https://github.com/Org/Repo.git``,
``git@github.com:org/repo`` and ``ssh://git@github.com/org/repo`` are one repository.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Mapping  # isinstance() below: not typing's (typing costs 5 ms to import)
from pathlib import Path

from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterable

_SSH_RE = re.compile(r"^(ssh://)?([^/:]*?)@[^@]+$")  # util/git/git.go sshURLRegex
_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*://")


def argocd_normalize(url: str) -> str:
    """``git.NormalizeGitURL`` without net/url's re-encoding (enough for comparing plain URLs)."""
    repo = url.strip().lower()
    if _SSH_RE.match(repo) and not repo.startswith("ssh://"):
        repo = "ssh://" + repo.replace(":", "/", 1)
    repo = repo.removesuffix(".git")
    return repo.removeprefix("ssh://")


def repo_key(url: str) -> str:
    """``host/path`` of a git URL, lower-case, without scheme, user, port, ``.git`` or slashes at
    the end; "" for something that is not a remote URL (``oci://`` included: not a git repo)."""
    repo = url.strip().lower()
    if not repo or repo.startswith("oci://"):
        return ""
    if not _SCHEME_RE.match(repo) and _SSH_RE.match(repo):
        repo = "ssh://" + repo.replace(":", "/", 1)
    repo = _SCHEME_RE.sub("", repo)
    repo = repo.rpartition("@")[2] if "@" in repo.split("/", 1)[0] else repo
    host, _, path = repo.partition("/")
    host = host.split(":", 1)[0]
    path = path.strip("/").removesuffix(".git").strip("/")
    return f"{host}/{path}" if host and path else ""


@dataclass(frozen=True)
class RepoMap:
    """Repository keys (see :func:`repo_key`) and the local folders holding them."""

    entries: tuple[tuple[str, Path], ...] = ()

    def folder_for(self, url: str) -> Path | None:
        key = repo_key(url)
        if not key:
            return None
        for known, folder in self.entries:
            if known == key:
                return folder
        return None

    def merged(self, other: RepoMap) -> RepoMap:
        """This map, then ``other``'s entries for keys this one lacks (explicit maps first)."""
        keys = {k for k, _ in self.entries}
        return RepoMap(self.entries + tuple((k, f) for k, f in other.entries if k not in keys))


class RepoMappingError(ValueError):
    """A ``--repo`` / ``repos:`` entry that is not ``URL=DIR`` with a git URL."""


def parse_mappings(items: Iterable[str] | Mapping[str, str], base: Path) -> RepoMap:
    """``URL=DIR`` strings (``--repo``) or a ``{URL: DIR}`` mapping (config ``repos:``); DIR is
    relative to ``base``.  Raises RepoMappingError with a message naming the bad entry."""
    pairs: list[tuple[str, str]] = []
    if isinstance(items, Mapping):
        pairs = [(str(k), str(v)) for k, v in items.items()]
    else:
        for item in items:
            url, sep, folder = item.rpartition("=")
            if not sep or not url or not folder:
                raise RepoMappingError(f"repo mapping {item!r} is not URL=DIR")
            pairs.append((url, folder))
    entries = []
    for url, folder in pairs:
        key = repo_key(url)
        if not key:
            raise RepoMappingError(f"repo mapping {url!r}: not a git repository URL")
        entries.append((key, (base / folder).resolve()))
    return RepoMap(tuple(entries))


def worktree_root(start: Path) -> Path | None:
    """The git working tree holding ``start`` (the nearest folder with a ``.git``), or None."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def git_dir(root: Path) -> Path | None:
    """The git directory of a working tree: ``.git``, or where a ``.git`` file (worktrees,
    submodules) points; for a linked worktree, the common directory that holds ``config``."""
    dot = root / ".git"
    if dot.is_dir():
        return dot
    try:
        text = dot.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith("gitdir:"):
        return None
    gdir = (root / text[len("gitdir:") :].strip()).resolve()
    try:
        common = (gdir / "commondir").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return gdir
    return (gdir / common).resolve()


def remote_urls(root: Path) -> tuple[str, ...]:
    """The ``remote.*.url`` values of a working tree's git config (read, never ``git`` run)."""
    gdir = git_dir(root)
    if gdir is None:
        return ()
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read(gdir / "config", encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return ()
    urls = []
    for section in parser.sections():
        if section.startswith("remote ") and parser.has_option(section, "url"):
            urls.append(parser.get(section, "url").strip())
    return tuple(urls)


def local_repos(start: Path) -> RepoMap:
    """The working tree around ``start``, under the keys of each of its remotes."""
    root = worktree_root(start)
    if root is None:
        return RepoMap()
    return RepoMap(tuple((key, root) for url in remote_urls(root) if (key := repo_key(url))))
