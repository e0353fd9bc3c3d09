"""A quick parse of plain ``hooklint check`` command lines (the pre-commit case).

Recent typer versions build a pydantic validator for every parameter on every
run, which costs more than linting a small file.  For a command line made only
of ``check``'s own options and paths, we read the options from the same typer
declarations (so there is one source of truth) and call the command directly.
Anything else (``--help``, an unknown option, an odd value, a new kind of
parameter) returns None and typer parses it as always, errors included.
tests/test_fastargs.py proves both parsers agree.
"""

from __future__ import annotations

import re
from pathlib import Path

from hooklint.lazyre import lazy
from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Callable

_INT_RE = lazy(r"-?[0-9]+")


@dataclass(frozen=True)
class _Param:
    name: str
    kind: str  # "flag", "str", "int", "float", "path"
    many: bool


if TYPE_CHECKING:
    #: option spellings -> params, the positional param's name, every param's default
    _Table = tuple[dict[str, _Param], str, dict[str, Any]]


def _flag(name: str) -> _Param:
    return _Param(name, "flag", False)


def _one(name: str, kind: str = "str") -> _Param:
    return _Param(name, kind, False)


def _many(name: str) -> _Param:
    return _Param(name, "str", True)


#: ``hooklint check``'s options, as declared with typer in hooklint/cli.py (a test
#: compares this with table_from_command(check), so the two never drift apart).
CHECK_TABLE: _Table = (
    {
        "--output-format": _one("output_format"),
        "--format": _one("output_format"), "-f": _one("output_format"),
        "--output": _one("output", "path"), "-o": _one("output", "path"),
        "--sarif-category": _one("sarif_category"),
        "--select": _many("select"), "--ignore": _many("ignore"),
        "--config": _one("config", "path"), "--isolated": _flag("isolated"),
        "--context": _many("context"), "--exclude": _many("exclude"),
        "--force-exclude": _flag("force_exclude"), "--fail-on": _one("fail_on"),
        "--skip-unknown-files": _flag("skip_unknown_files"),
        "--exit-zero": _flag("exit_zero"), "--quiet": _flag("quiet"), "-q": _flag("quiet"),
        "--statistics": _flag("statistics"), "--stdin-filename": _one("stdin_filename"),
        "--scope": _one("scope"), "--argocd-version": _one("argocd_version"),
        "--max-file-size": _one("max_file_size", "float"),
        "--include-suppressed": _flag("include_suppressed"),
        "--namespace": _one("namespace"), "-n": _one("namespace"),
        "--jobs": _one("jobs", "int"), "-j": _one("jobs", "int"),
        "--color": _one("color"), "--fail-if-no-objects": _flag("fail_if_no_objects"),
        "--show-settings": _flag("show_settings"), "--show-files": _flag("show_files"),
        "--fix": _flag("fix"), "--diff": _flag("diff"), "--unsafe-fixes": _flag("unsafe_fixes"),
        "--fix-only": _flag("fix_only"), "--add-ignore": _flag("add_ignore"),
        "--baseline": _one("baseline", "path"), "--write-baseline": _one("write_baseline", "path"),
        # Helm
        "--helm": _one("helm"), "--no-render": _flag("no_render"), "--values": _many("values"),
        "--set": _many("set_values"), "--kube-version": _one("kube_version"),
        "--api-versions": _many("api_versions"), "--render-timeout": _one("render_timeout", "float"),
        "--no-cache": _flag("no_cache"),
        # Kustomize
        "--kustomize": _one("kustomize"),
        "--kustomize-build-options": _one("kustomize_build_options"),
        "--verbose": _flag("verbose"), "-v": _flag("verbose"),
        "--repo": _many("repo"),
    },
    "paths",
    {
        "paths": (), "output_format": "text", "output": None, "sarif_category": None,
        "select": (), "ignore": (), "config": None, "isolated": False, "context": (),
        "exclude": (), "force_exclude": False, "fail_on": None, "exit_zero": False,
        "skip_unknown_files": False,
        "quiet": False, "statistics": False, "stdin_filename": None, "scope": None,
        "argocd_version": None, "max_file_size": 50.0, "include_suppressed": False,
        "namespace": None, "jobs": None,
        "color": "auto", "fail_if_no_objects": False, "show_settings": False, "show_files": False,
        "fix": False, "diff": False, "unsafe_fixes": False, "fix_only": False, "add_ignore": False,
        "baseline": None, "write_baseline": None,
        "helm": None, "no_render": False, "values": (), "set_values": (), "kube_version": None,
        "api_versions": (), "render_timeout": None, "no_cache": False,
        "kustomize": None, "kustomize_build_options": None, "verbose": False, "repo": (),
    },
)  # fmt: skip


def _kind(annotation: str) -> tuple[str, bool] | None:
    """The value kind of an annotation string (``Optional[List[str]]`` -> ("str", True))."""
    text = annotation.replace(" ", "")
    many = "List[" in text or "list[" in text
    base = re.sub(r"^(?:Optional\[)?(?:[Ll]ist\[)?([A-Za-z]+)\]*(?:\|None)?$", r"\1", text)
    kinds = {"bool": "flag", "str": "str", "int": "int", "float": "float", "Path": "path"}
    if base not in kinds or (many and base == "bool"):
        return None
    return kinds[base], many


def table_from_command(command: Callable[..., Any]) -> _Table | None:
    """Option spellings -> params, the positional param's name, and every param's default."""
    options: dict[str, _Param] = {}
    positional = ""
    defaults: dict[str, Any] = {}
    import inspect  # the typer path only: a plain run parses with CHECK_TABLE

    for name, param in inspect.signature(command).parameters.items():
        info = param.default
        kind = _kind(param.annotation if isinstance(param.annotation, str) else "")
        if kind is None or not hasattr(info, "param_decls") or getattr(info, "envvar", None):
            return None
        if getattr(info, "callback", None) or getattr(info, "is_eager", False):
            return None
        default = info.default
        if kind[1]:
            default = tuple(default or ())
        elif kind[0] == "float" and isinstance(default, int):
            default = float(default)
        defaults[name] = default
        if type(info).__name__ == "ArgumentInfo":
            if positional or not kind[1]:
                return None
            positional = name
            continue
        decls = info.param_decls or ()
        if not decls or any("/" in d or not d.startswith("-") for d in decls):
            return None
        for decl in decls:
            options[decl] = _Param(name, *kind)
    return (options, positional, defaults) if positional else None


def _convert(kind: str, text: str) -> Any:
    """The typed value, or raises ValueError when typer should judge it."""
    if kind == "str":
        return text
    if kind == "path":
        return Path(text)
    if kind == "int":
        if not _INT_RE.fullmatch(text):
            raise ValueError(text)
        return int(text)
    value = float(text)
    if value - value != 0 or not _INT_RE.fullmatch(text.replace(".", "", 1)):  # inf, nan (no math)
        raise ValueError(text)
    return value


def parse_check(args: list[str], table: _Table | None = None) -> dict[str, Any] | None:
    """``check``'s keyword arguments for ``args`` (``["check", ...]``), or None to let typer parse.

    ``table`` defaults to CHECK_TABLE, the static copy of ``hooklint.cli.check``'s
    typer declarations (tests/test_fastargs.py keeps them equal).
    """
    if not args or args[0] != "check":
        return None
    options, positional, defaults = CHECK_TABLE if table is None else table
    values: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {}
    paths: list[str] = []
    i = 1
    while i < len(args):
        arg = args[i]
        if arg == "--":
            paths.extend(args[i + 1 :])
            break
        if arg.startswith("-") and arg != "-":
            flag, eq, text = arg.partition("=")
            param = options.get(flag)
            if param is None or (eq and param.kind == "flag"):
                return None
            if param.kind == "flag":
                values[param.name] = True
            else:
                if not eq:
                    i += 1
                    if i == len(args):
                        return None
                    text = args[i]
                try:
                    value = _convert(param.kind, text)
                except ValueError:
                    return None
                if param.many:
                    lists.setdefault(param.name, []).append(value)
                else:
                    values[param.name] = value
        else:
            paths.append(arg)
        i += 1
    out = {**defaults, **values}
    out.update(lists)  # typer, too, gives a list when given and () when not
    out[positional] = paths or ()
    return out
