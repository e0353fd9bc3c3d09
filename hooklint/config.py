"""``.hooklint.yaml``: discovery, strict validation, and the settings it yields."""

from __future__ import annotations

import os
from pathlib import Path

from hooklint.argocd.version import LATEST, ArgoVersion
from hooklint.model import Severity
from hooklint.sources.files import Excludes
from hooklint.sources.helmconfig import HelmConfig, helm_config
from hooklint.sources.kustomizeconfig import KustomizeConfig, kustomize_config
from hooklint.values import dataclass, field

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Callable

CONFIG_NAMES = (".hooklint.yaml", ".hooklint.yml")
MAX_CONFIG_SIZE = 1024 * 1024
#: The JSON Schema of ``.hooklint.yaml``: what the validator below checks, and what editors
#: load through its ``$id`` (SCHEMA_URL), one file for both.
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "config.schema.json"
SCHEMA_URL = "https://raw.githubusercontent.com/hooklint/hooklint/main/hooklint/schema/config.schema.json"


class ConfigError(Exception):
    """The config file is unreadable or invalid (exit 2)."""


@dataclass(frozen=True)
class RuleConfig:
    severity: Severity | None = None
    params: dict[str, Any] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    argocd_version: ArgoVersion = LATEST
    namespace: str | None = None
    scope: str = "app"
    rules: dict[str, RuleConfig] = field(default_factory=dict)
    helm: HelmConfig = field(default_factory=HelmConfig)
    kustomize: KustomizeConfig = field(default_factory=KustomizeConfig)
    #: repository URL -> local folder (relative to the config's folder), for Applications
    repos: tuple[tuple[str, str], ...] = ()

    @property
    def root(self) -> Path | None:
        """The folder the config's relative paths are relative to."""
        return self.path.parent if self.path else None


def find_config(start: Path) -> Path | None:
    """The nearest ``.hooklint.yaml`` in ``start`` or a parent folder."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def load_config(path: Path) -> Config:
    """Read and validate a config file; raises ConfigError with the offending key."""
    from hooklint.yaml.nesting import too_costly, too_deep
    from hooklint.yaml.reader import parse_yaml

    try:
        if path.stat().st_size > MAX_CONFIG_SIZE:
            raise ConfigError(f"{path}: over {MAX_CONFIG_SIZE // 1024} KB: not a hooklint config")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    if too_deep(text) is not None or too_costly(text):
        raise ConfigError(f"{path}: nested far too deeply to be a hooklint config")
    docs, problems = parse_yaml(text)
    if problems:
        problem = problems[0]
        raise ConfigError(
            f"{path}:{(problem.mark >> 24) + 1}:{(problem.mark & 0xFFFFFF) + 1}: {problem.message}"
        )
    data = docs[0].value if docs else {}
    if data is None:
        data = {}
    validate_config_data(data, str(path))
    return config_from_data(data, path)


def validate_config_data(data: Any, where: str) -> None:
    import json

    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        key = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            key = ".".join([*(str(p) for p in error.absolute_path), extra[0]]) if extra else key
            raise ConfigError(f"{where}: unknown key '{key}' (see 'Configuration' in the README)")
        raise ConfigError(f"{where}: '{key}': {error.message}")


def config_from_data(data: dict[str, Any], path: Path | None) -> Config:
    where = str(path) if path else "config"
    version = _argocd_version(data.get("argocd-version", "latest"), where)
    rules = {
        name: RuleConfig(
            Severity.parse(body["severity"]) if body.get("severity") else None,
            dict(body.get("params") or {}),
            tuple(body.get("exclude") or ()),
        )
        for name, body in (data.get("rules") or {}).items()
    }
    return Config(
        path=path,
        select=tuple(data["select"]) if "select" in data else None,
        ignore=tuple(data.get("ignore") or ()),
        exclude=tuple(data.get("exclude") or ()),
        context=tuple(data.get("context") or ()),
        fail_on=Severity.parse(data.get("fail-on", "warning")),
        argocd_version=version,
        namespace=data.get("namespace"),
        scope=str(data.get("scope", "app")),
        rules=rules,
        helm=helm_config(data.get("helm"), path),
        kustomize=kustomize_config(data.get("kustomize"), path),
        repos=tuple((str(k), str(v)) for k, v in (data.get("repos") or {}).items()),
    )


def _argocd_version(value: Any, where: str) -> ArgoVersion:
    """The ``argocd-version`` setting; a bare YAML number is refused unless it is whole."""
    if isinstance(value, float):
        raise ConfigError(
            f"{where}: 'argocd-version': the unquoted number {value!r} is ambiguous, since YAML "
            'reads 2.10 as 2.1; quote the version, e.g. argocd-version: "2.10"'
        )
    try:
        return ArgoVersion.parse(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: 'argocd-version': {exc}") from None


class ConfigResolver:
    """Which settings each linted file uses, as ruff decides it.

    Each file uses the nearest ``.hooklint.yaml``/``.hooklint.yml`` in its folder or
    a parent folder (its relative paths stay relative to that folder); ``forced``
    (``--config``, or ``--isolated``'s defaults) applies to every file instead.
    ``adjust`` lays the command line's overrides over every config.  Each folder is
    looked up, and each config file read, once.
    """

    def __init__(
        self,
        forced: Config | None = None,
        *,
        adjust: Callable[[Config], Config] | None = None,
    ) -> None:
        self._adjust = adjust or (lambda config: config)
        self._forced = self._adjust(forced) if forced is not None else None
        self._by_folder: dict[str, Config] = {}
        self._by_file: dict[str, Config] = {}

    @classmethod
    def fixed(cls, config: Config) -> ConfigResolver:
        """Every file uses ``config`` as it is."""
        return cls(config)

    @property
    def forced(self) -> Config | None:
        return self._forced

    def for_folder(self, folder: Path | str) -> Config:
        """The settings for files in ``folder``; raises ConfigError for an invalid config file."""
        if self._forced is not None:
            return self._forced
        cached = self._by_folder.get(folder) if isinstance(folder, str) else None
        if cached is not None:  # an absolute, normal folder seen before (only those are keys)
            return cached
        start = os.path.abspath(folder)
        cached = self._by_folder.get(start)
        if cached is not None:
            return cached
        visited = []
        current = start
        found: Config | None = None
        while True:
            cached = self._by_folder.get(current)
            if cached is not None:
                found = cached
                break
            visited.append(current)
            path = _config_in(current)
            if path is not None:
                found = self._load(path)
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        if found is None:
            found = self._by_file.get("") or self._by_file.setdefault("", self._adjust(Config()))
        for folder_path in visited:
            self._by_folder[folder_path] = found
        return found

    def for_file(self, path: Path | str) -> Config:
        """The settings for the file at ``path`` (its folder's)."""
        if self._forced is None and isinstance(path, str):
            cached = self._by_folder.get(os.path.dirname(path))
            if cached is not None:  # its folder is absolute and normal, and seen before
                return cached
        return self.for_folder(os.path.dirname(os.path.abspath(path)))

    def _load(self, path: str) -> Config:
        config = self._by_file.get(path)
        if config is None:
            config = self._by_file[path] = self._adjust(load_config(Path(path)))
        return config

    def excludes(self, cwd: Path, patterns: tuple[str, ...]) -> Excludes:
        """The command line's exclude globs (relative to ``cwd``), then each file's config's."""
        return _ConfigExcludes(Excludes.of((cwd, patterns)).rules, self)


@dataclass(frozen=True)
class _ConfigExcludes(Excludes):
    """Excludes whose second half is each file's own config's ``exclude``."""

    resolver: ConfigResolver | None = None
    _by_config: dict[int, Excludes] = field(default_factory=dict, compare=False, repr=False)
    #: each folder's config, by the folder as the paths asked about name it (one run's paths,
    #: all relative to one working directory): a walk asks about every file of a folder
    _by_folder: dict[str, Config | None] = field(default_factory=dict, compare=False, repr=False)

    def matches(self, path: Path | str) -> bool:
        if super().matches(path):
            return True
        folder = os.path.dirname(path)
        if folder in self._by_folder:
            config = self._by_folder[folder]
        else:
            config = self.resolver.for_file(path) if self.resolver is not None else None
            self._by_folder[folder] = config
        if config is None or not config.exclude or config.root is None:
            return False
        own = self._by_config.get(id(config))
        if own is None:
            own = self._by_config[id(config)] = Excludes.of((config.root, config.exclude))
        return own.matches(path)


def _config_in(folder: str) -> str | None:
    for name in CONFIG_NAMES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    return None
