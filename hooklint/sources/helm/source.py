"""HelmSource: a chart folder -> the Documents ``helm template`` gives, located on template lines.

With helm (found on PATH, or ``--helm``/``helm.binary``) the chart is rendered as
Argo CD renders it (:mod:`.render`), the output split on helm's ``# Source:``
comments, and each object's positions rebuilt from a masked read of its template
(:mod:`.mask`, :mod:`.mapping`).  Without helm, or with ``--no-render``, the same
masked read is linted directly, and the parts actions decide are left unjudged.
Every failure is an HL000 problem on ``Chart.yaml`` or on the template helm names.
"""

from __future__ import annotations

import bisect
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from hooklint.model import Document, SourceFile
from hooklint.sources.files import LoadedFile, Notice, decode, objects, suppressions
from hooklint.sources.helm import cache
from hooklint.sources.helm.functions import NONDETERMINISTIC
from hooklint.sources.helm.helmignore import HelmIgnore
from hooklint.sources.helm.lazy import MaskedRead, TemplateMap, identity, masked_read, template_of
from hooklint.sources.helm.render import RenderResult, command
from hooklint.sources.helm.settings import ChartSettings, HelmRun
from hooklint.sources.helm.values_files import ValuesFile, ValuesLayers, set_key
from hooklint.sources.provenance import Provenance, TemplateCall
from hooklint.sources.source import SourceInput
from hooklint.values import dataclass, replace
from hooklint.yaml.nesting import too_costly, too_deep
from hooklint.yaml.reader import ParsedDocument, ParseProblem, pack, parse_yaml

if TYPE_CHECKING:
    from hooklint.sources.helm.errors import HelmError

_SOURCE_RE = re.compile(r"^# Source: (.+?)\s*$", re.MULTILINE)
_NOT_MANIFESTS = ("NOTES.txt",)
# a call inside an action (quick prefilters: ``now`` is also an English word in CRD descriptions)
_NONDET_CALL = r"\{\{[^}]*(?<![\w.$])(?:" + "|".join(NONDETERMINISTIC) + r")\b"
NONDETERMINISTIC_BYTES = re.compile(_NONDET_CALL.encode())
_NONDET_TEXT = re.compile(_NONDET_CALL)
_INCLUDED = re.compile(r'(?:include|template)\s+"([^"]*)"')
MAX_TEMPLATE_SIZE = 10 * 1024 * 1024


@dataclass
class _Template:
    """One template file: its text, read once (masked only when needed, see :mod:`.lazy`)."""

    file: SourceFile
    path: str
    text: str

    @property
    def read(self) -> MaskedRead:
        return masked_read(self.path, self.text)


def find_helm(run_settings: HelmRun) -> str | None:
    """The helm binary to run, or None when there is none."""
    if run_settings.binary:
        found = shutil.which(run_settings.binary)
        return found or None
    return shutil.which("helm")


class HelmSource:
    """One chart (see the module doc)."""

    def __init__(self, place: SourceInput, settings: HelmRun, max_size: int, helm: str | None) -> None:
        self.place = place
        self.root = place.root
        self.display = place.display
        self.settings = settings
        self.max_size = max_size
        self.helm = helm
        self.chart_settings: ChartSettings = settings.for_chart(place.root)
        self.chart_file = SourceFile(self._display("Chart.yaml"))
        self._templates: dict[str, _Template] = {}
        self._helpers: dict[str, str] | None = None
        self._all: list[str] | None = None
        self._layers: dict[str, ValuesLayers] = {}
        self.rendered: RenderResult | None = None

    # -- entry points -------------------------------------------------------------------
    def prepare(self) -> tuple[str, list[str], str] | LoadedFile:
        """The release name, helm's argument list and the cache key; or the failure."""
        name = self._chart_name()
        if isinstance(name, LoadedFile):
            return name
        missing = [v for v in self.chart_settings.values if not os.path.isfile(v)]
        if missing and not self.chart_settings.ignore_missing_values_files:
            return self._problem(
                f"values file {self._shown(missing[0])} does not exist: Argo CD fails this render too "
                "(set ignoreMissingValueFiles in the Application, ignore-missing-values-files here)"
            )
        settings = self.chart_settings
        if missing:
            settings = replace(
                settings,
                values=tuple(v for v in settings.values if v not in missing),
                ignore_missing_values_files=True,
            )
        release = settings.release_name or name
        args = command(self.helm or "helm", release, settings)
        read = (*settings.values, *(item.partition("=")[2] for item in settings.set_file))
        key = cache.render_key(self.helm or "helm", args, self.root, read) or ""
        return release, args, key

    def files_key(self, render_key: str) -> str:
        """The key of the documents built from this render, as this run names and bounds them."""
        place = self.place
        named = sorted(place.named) if place.named is not None else None
        # findings in --values files show them relative to the working directory: part of the key
        shown = "\0".join(self._shown(v) for v in self.chart_settings.values)
        return cache.files_key(f"{render_key}\0{shown}", place.display, place.is_target, named, self.max_size)

    def render(self, args: list[str], key: str) -> RenderResult:
        """Run helm (or take the cached render)."""
        if key and self.settings.cache:
            cached = cache.load(key)
            if cached is not None:
                return cached
        from hooklint.sources.helm.render import run

        result = run(args, self.root, self.settings.timeout, self.max_size)
        if key and self.settings.cache:
            cache.store(key, result)
        return result

    def load_rendered(self, result: RenderResult) -> list[LoadedFile]:
        if result.status == "timeout":
            return [
                self._problem(
                    f"helm template did not finish within {self.settings.timeout:g} s and was killed "
                    "(--render-timeout); a template loops or the chart is huge"
                )
            ]
        if result.status == "too-large":
            return [
                self._problem(
                    f"helm template printed more than the --max-file-size limit of "
                    f"{self.max_size / 1_048_576:.1f} MB and was killed; raise the limit to lint it"
                )
            ]
        if result.status == "not-run":
            return [self._problem(result.error)]
        if result.status == "failed":
            from hooklint.sources.helm.errors import parse_error

            return [self._helm_failure(parse_error(result.error))]
        return self._split(result.output)

    def load_static(self, why: str) -> list[LoadedFile]:
        """Lint the templates without rendering (no helm, or ``--no-render``)."""
        from hooklint.sources.helm.mapping import unmask

        name = self._chart_name()
        out: list[LoadedFile] = [name] if isinstance(name, LoadedFile) else []
        notices = [
            Notice(
                self.display, f"{why}: linted templates without rendering; values-dependent parts unchecked"
            )
        ]
        for relative in self._manifest_templates():
            template = self._template(relative)
            read = template.read if template is not None else None
            if template is None or read is None or (read.masked is not None and read.masked.only_defines):
                continue  # unreadable, or only ``define`` helpers: not manifests
            if read.problem is not None:
                notices.append(Notice(template.file.path, read.problem))
            documents: list[Document] = []
            for doc in read.docs:
                value, positions, holes = unmask(doc.value, doc.positions)
                if positions is None:
                    continue
                for obj in objects(
                    template.file, doc.index, value, positions, self._is_target(template.file.path)
                ):
                    if "{{…}}" in obj.kind:
                        continue
                    obj.provenance = self._provenance(template, doc, holes)
                    documents.append(obj)
            out.append(
                LoadedFile(
                    template.file,
                    documents,
                    is_target=self._is_target(template.file.path),
                    group=self.display,
                )
            )
        for crd in self._crd_files():
            out.append(self._plain(crd))
        if out:
            out[0].notices[:0] = notices
        else:
            out.append(
                LoadedFile(
                    self.chart_file, notices=notices, is_target=self.place.is_target, group=self.display
                )
            )
        return out

    # -- rendered output ----------------------------------------------------------------
    def _split(self, output: bytes) -> list[LoadedFile]:
        text = decode(output)
        if text is None:
            return [self._problem("helm template printed output that is not UTF-8 text")]
        if too_deep(text) is not None or too_costly(text):
            return [self._problem("helm template printed flow collections nested too deeply to parse")]
        parsed, problems = parse_yaml(text)
        sources = [(text.count("\n", 0, m.start()), m.group(1)) for m in _SOURCE_RE.finditer(text)]
        lines = [line for line, _ in sources]
        by_template: dict[str, list[ParsedDocument]] = {}
        order: list[str] = []
        for doc in parsed:
            if doc.value is None:
                continue
            start = (doc.positions.start if doc.positions is not None else doc.start) >> 24
            at = bisect.bisect_right(lines, start) - 1
            path = sources[at][1] if at >= 0 else ""
            if path not in by_template:
                order.append(path)
            by_template.setdefault(path, []).append(doc)
        out: list[LoadedFile] = []
        for path in order:
            out.append(self._rendered_file(path, by_template[path]))
        for problem in problems:
            start = problem.mark >> 24
            at = bisect.bisect_right(lines, start) - 1
            where = sources[at][1] if at >= 0 else ""
            out.append(
                self._problem(
                    f"the rendered output of {where or 'the chart'} is not valid YAML: {problem.message} "
                    f"(rendered line {start + 1})",
                    template=where,
                )
            )
        if not out:
            out.append(LoadedFile(self.chart_file, is_target=self.place.is_target, group=self.display))
        return out

    def _rendered_file(self, helm_path: str, docs: list[ParsedDocument]) -> LoadedFile:
        relative = _chart_relative(helm_path)
        template = self._template(relative) if relative else None
        if template is None:  # a subchart from an archive, or a path we cannot read: rendered lines
            file = SourceFile(self._display(relative or "Chart.yaml"))
            plain = [
                obj
                for doc in docs
                if doc.positions is not None
                for obj in objects(file, doc.index, doc.value, doc.positions, self._is_target(file.path))
            ]
            return LoadedFile(file, plain, is_target=self._is_target(file.path), group=self.display)
        identities = tuple(identity(doc.value) for doc in docs)
        helpers = self._random_helpers()
        random = _NONDET_TEXT.search(template.text) is not None or (
            bool(helpers) and any(name in helpers for name in _INCLUDED.findall(template.text))
        )
        documents: list[Document] = []
        problems: list[ParseProblem] = []
        target = self._is_target(template.file.path)
        for number, doc in enumerate(docs):
            if isinstance(doc.value, dict) and not doc.value.get("kind"):
                tdoc = template_of(template.path, identities, number)
                problems.append(
                    ParseProblem(
                        "a rendered document has no kind: Argo CD fails the whole application "
                        "(\"Object 'Kind' is missing\")",
                        tdoc.start if tdoc is not None else 0,
                        number,
                        False,
                    )
                )
                continue
            if doc.positions is None:
                continue
            calls: tuple[TemplateCall, ...] = ()
            if random:  # HL010 needs the template now
                calls = self._random_calls(template, template_of(template.path, identities, number))
            for obj in objects(template.file, number, doc.value, doc.positions, target):
                values = self._values_layers(relative)
                resolve = TemplateMap(template.path, identities, number, obj.item is not None, calls, values)
                obj.provenance = Provenance(random_calls=calls, resolve=resolve)
                documents.append(obj)
        return LoadedFile(template.file, documents, problems, is_target=target, group=self.display)

    def _values_layers(self, relative: str) -> ValuesLayers:
        """The values files the template at ``relative`` reads, lowest precedence first."""
        found = self._layers.get(relative)
        if found is not None:
            return found
        origins = self.settings.values_origins
        given = tuple(
            layer
            for v in self.chart_settings.values
            for layer in origins.get(v, (ValuesFile(str(Path(v).absolute()), self._shown(v)),))
        )
        chart_values = ValuesFile(str((self.root / "values.yaml").absolute()), self._display("values.yaml"))
        files = (chart_values, *given)
        parts = relative.split("/")
        if len(parts) > 3 and parts[0] == "charts" and parts[2] == "templates":
            # a subchart's own values.yaml, then the parent's values under its name
            # (folder name; a dependency ``alias`` is not followed)
            sub = parts[1]
            own = ValuesFile(
                str((self.root / "charts" / sub / "values.yaml").absolute()),
                self._display(f"charts/{sub}/values.yaml"),
            )
            files = (own, *(ValuesFile(f.path, f.display, (*f.prefix, sub), f.application) for f in files))
        layers = ValuesLayers(files, tuple(set_key(item) for item in self.chart_settings.set))
        self._layers[relative] = layers
        return layers

    def _provenance(
        self, template: _Template, doc: ParsedDocument | None, holes: frozenset[Any]
    ) -> Provenance:
        masked = template.read.masked
        values_keys = masked.values_keys if masked is not None else {}
        return Provenance(
            values_keys=values_keys,
            holes=holes,
            random_calls=self._random_calls(template, doc),
            rendered=False,
        )

    # -- HL010 --------------------------------------------------------------------------
    def _random_calls(self, template: _Template, doc: ParsedDocument | None) -> tuple[TemplateCall, ...]:
        masked = template.read.masked
        if masked is None or (not masked.random_calls and not masked.includes):
            return ()
        first, last = self._doc_lines(template, doc)
        calls = [c for c in masked.random_calls if first <= c.line < last]
        if masked.includes:
            helpers = self._random_helpers()
            calls += [
                TemplateCall(line, column, helpers[name], f'include "{name}"')
                for line, column, name in masked.includes
                if name in helpers and first <= line < last
            ]
        return tuple(sorted(calls, key=lambda c: (c.line, c.column)))

    @staticmethod
    def _doc_lines(template: _Template, doc: ParsedDocument | None) -> tuple[int, int]:
        if doc is None:
            return 0, 1 << 30
        starts = sorted(d.start >> 24 for d in template.read.docs)
        first = doc.start >> 24
        later = [s for s in starts if s > first]
        # actions before the first document (``{{- $x := randAlpha 8 }}``) belong to it
        return (0 if first == starts[0] else first), (later[0] if later else 1 << 30)

    def _random_helpers(self) -> dict[str, str]:
        """Helper name -> the nondeterministic function it prints, through includes."""
        if self._helpers is not None:
            return self._helpers
        defines: dict[str, str] = {}
        includes: dict[str, set[str]] = {}
        self._helpers = defines
        relatives = self._all_templates()
        if not any(_mentions_random(self.root / r) for r in relatives):
            return defines  # nothing in the chart calls one: no need to read every helper
        for relative in relatives:
            template = self._template(relative)
            if template is None or "define" not in template.text:
                continue  # only ``define`` blocks make helpers
            masked = template.read.masked
            if masked is None:
                continue
            defines.update(masked.random_defines)
            for name, used in masked.define_includes.items():
                includes.setdefault(name, set()).update(used)
        changed = True
        while changed:
            changed = False
            for name, used in includes.items():
                if name not in defines:
                    hit = next((defines[u] for u in sorted(used) if u in defines), None)
                    if hit is not None:
                        defines[name] = hit
                        changed = True
        self._helpers = defines
        return defines

    # -- files --------------------------------------------------------------------------
    def _template(self, relative: str) -> _Template | None:
        if relative in self._templates:
            return self._templates[relative]
        path = self.root / relative
        try:
            if not path.is_file() or path.stat().st_size > min(self.max_size, MAX_TEMPLATE_SIZE):
                return None
            data = path.read_bytes()
        except OSError:
            return None
        text = decode(data)
        if text is None or "\x00" in text[:8192]:
            return None
        lines, ignore_file = suppressions(text)
        file = SourceFile(self._display(relative), lines, ignore_file)
        template = _Template(file, str(path.absolute()), text)
        self._templates[relative] = template
        return template

    def _walk(self, top: str) -> Iterable[str]:
        ignore = HelmIgnore.of_chart(self.root)
        start = self.root / top
        for dirpath, dirnames, filenames in os.walk(start, followlinks=False):
            rel_dir = os.path.relpath(dirpath, self.root).replace(os.sep, "/")
            dirnames[:] = sorted(
                d for d in dirnames if not ignore.ignored(f"{rel_dir}/{d}".lstrip("./"), True)
            )
            for name in sorted(filenames):
                relative = f"{rel_dir}/{name}"
                if not ignore.ignored(relative, False):
                    yield relative

    def _all_templates(self) -> list[str]:
        """Templates of this chart and of its subchart folders (helpers included), walked once."""
        if self._all is None:
            found = list(self._walk("templates"))
            charts = self.root / "charts"
            if charts.is_dir():
                for sub in sorted(charts.iterdir()):
                    if (sub / "Chart.yaml").is_file():
                        place = SourceInput("helm", sub, self._display(f"charts/{sub.name}"))
                        inner = HelmSource(place, self.settings, self.max_size, None)
                        found += [f"charts/{sub.name}/{r}" for r in inner._all_templates()]
            self._all = found
        return self._all

    def _manifest_templates(self) -> list[str]:
        return [
            r
            for r in self._all_templates()
            if not r.rsplit("/", 1)[-1].startswith("_") and r.rsplit("/", 1)[-1] not in _NOT_MANIFESTS
        ]

    def _crd_files(self) -> list[str]:
        if not (self.root / "crds").is_dir():
            return []
        return [r for r in self._walk("crds") if r.endswith((".yaml", ".yml", ".json"))]

    def _plain(self, relative: str) -> LoadedFile:
        from hooklint.sources.files import InputFile, load_file

        display = self._display(relative)
        target = self._is_target(display)
        loaded = load_file(InputFile(self.root / relative, display, target), self.max_size)
        loaded.group = self.display
        return loaded

    def _chart_name(self) -> str | LoadedFile:
        path = self.root / "Chart.yaml"
        try:
            text = path.read_bytes()[: 1024 * 1024].decode("utf-8", "replace")
        except OSError as exc:
            return self._problem(f"Chart.yaml cannot be read: {exc.strerror or exc}")
        docs = parse_yaml(text)[0] if not too_deep(text) and not too_costly(text) else []
        value = docs[0].value if docs else None
        name = value.get("name") if isinstance(value, dict) else None
        if not isinstance(name, str) or not name:
            return self._problem("Chart.yaml has no name: helm cannot render this chart")
        return name

    # -- helpers ------------------------------------------------------------------------
    def _display(self, relative: str) -> str:
        return f"{self.display.rstrip('/')}/{relative}" if self.display not in ("", ".") else relative

    def _shown(self, path: str) -> str:
        try:
            return os.path.relpath(path, self.settings.cwd).replace(os.sep, "/")
        except ValueError:
            return path

    def _is_target(self, display: str) -> bool:
        if not self.place.is_target:
            return False
        return self.place.named is None or display in self.place.named

    def _problem(self, message: str, template: str = "", line: int = 0, column: int = 0) -> LoadedFile:
        relative = _chart_relative(template) if template else ""
        template_read = self._template(relative) if relative else None
        file = template_read.file if template_read is not None else self.chart_file
        mark = pack(max(line - 1, 0), max(column - 1, 0))
        problem = ParseProblem(message, mark, 0, False)
        # a render failure is about the whole chart: reported whatever files were named
        return LoadedFile(file, problems=[problem], is_target=self.place.is_target, group=self.display)

    def _helm_failure(self, error: HelmError) -> LoadedFile:
        if error.missing_dependencies:
            return self._problem(
                f"chart dependencies are missing from charts/ ({error.message.rsplit(': ', 1)[-1]}): "
                "run 'helm dependency build' and commit charts/ (Argo CD downloads them; hooklint never does)"
            )
        message = f"helm template failed: {error.message}"
        if error.template:
            return self._problem(message, error.template, error.line or 1, error.column or 1)
        return self._problem(message)


def _mentions_random(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TEMPLATE_SIZE)
    except OSError:
        return False
    return NONDETERMINISTIC_BYTES.search(data) is not None


def _chart_relative(helm_path: str) -> str:
    """``<chart>/templates/x.yaml`` -> ``templates/x.yaml`` (helm names paths from the chart's name)."""
    _, _, rest = helm_path.partition("/")
    return rest


def chart_files(place: SourceInput) -> tuple[str, list[str]]:
    """The chart's name (its folder's when Chart.yaml names none) and the display paths of
    the files a run lints in it: manifest templates and ``crds/`` (``--show-files``)."""
    source = HelmSource(place, HelmRun(), 1 << 30, None)
    name = source._chart_name()
    shown = name if isinstance(name, str) else place.root.absolute().name
    files = [source._display(r) for r in (*source._manifest_templates(), *source._crd_files())]
    return shown, [f for f in files if source._is_target(f)]


def load_charts(
    places: Sequence[SourceInput], settings: HelmRun, max_size: int, jobs: int
) -> list[LoadedFile]:
    """Every chart's files, in order; renders run in parallel on up to ``jobs`` threads."""
    helm = find_helm(settings) if settings.render else None
    sources = [HelmSource(place, settings, max_size, helm) for place in places]
    if helm is None:
        why = (
            "--no-render"
            if not settings.render
            else (f"helm not found ({settings.binary})" if settings.binary else "helm not found")
        )
        return [f for source in sources for f in source.load_static(why)]
    prepared = [source.prepare() for source in sources]
    results: list[RenderResult | None] = [None] * len(sources)
    cached: dict[int, list[LoadedFile]] = {}
    if settings.cache:  # documents built from an earlier identical render: no render, no parse
        for number, (source, ready) in enumerate(zip(sources, prepared, strict=True)):
            if not isinstance(ready, LoadedFile) and ready[2]:
                files = cache.load_files(source.files_key(ready[2]))
                if files is not None:
                    cached[number] = files
    todo = [(n, p) for n, p in enumerate(prepared) if not isinstance(p, LoadedFile) and n not in cached]

    def render(item: tuple[int, Any]) -> tuple[int, RenderResult]:
        number, (_, args, key) = item
        return number, sources[number].render(args, key)

    if jobs > 1 and len(todo) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
            for number, done in pool.map(render, todo):
                results[number] = done
    else:
        for item in todo:
            number, done = render(item)
            results[number] = done
    out: list[LoadedFile] = []
    for number, (source, ready, rendered) in enumerate(zip(sources, prepared, results, strict=True)):
        if isinstance(ready, LoadedFile):
            out.append(ready)
        elif number in cached:
            out.extend(cached[number])
        elif rendered is not None:
            files = source.load_rendered(rendered)
            if settings.cache and ready[2] and rendered.status in ("ok", "failed"):
                cache.store_files(source.files_key(ready[2]), files)
            out.extend(files)
    return out
