"""The C parser imported with stand-ins for ruamel.yaml (hooklint.yaml.cparser).

Each test runs in a fresh interpreter: in this one ruamel.yaml is imported already, and the
stand-ins are used only when it is not.
"""

from __future__ import annotations

import json
import subprocess
import sys

BROKEN = [
    "a: [1, 2\n",  # parser: flow sequence never closed
    "a: b: c\n",  # scanner: mapping values not allowed here
    "a: 'x\n",  # scanner: quoted scalar never closed
    "- a\nb: c\n",  # parser: block end expected
    "a: \x07\n",  # reader: a control character
    "a: *nowhere\n",  # composer level: an unknown alias (the reader's own check)
    "kind: Pod\nmetadata:\n  name: p\n  name: q\n",  # fine YAML: a duplicate key
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: \"\\q\"}\n",  # bad escape
]


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout


_READ = (
    "import json, sys\n"
    "from hooklint.yaml.reader import parse_yaml, read_manifests\n"
    "cases = json.loads(sys.argv[1]) if len(sys.argv) > 1 else CASES\n"
    "out = []\n"
    "for text in cases:\n"
    "    for read in (read_manifests, parse_yaml):\n"
    "        docs, problems = read(text)\n"
    "        out.append([[repr(d.value) for d in docs], [(p.message, p.mark, p.document, p.fatal) for p in problems]])\n"
)


def test_reading_imports_no_ruamel_yaml_module_and_no_typing() -> None:
    out = _run(
        "import sys\n"
        "from hooklint.yaml.reader import read_manifests\n"
        "docs, problems = read_manifests('a: 1\\n---\\nb: [x, {c: d}]\\n')\n"
        "print([d.value for d in docs], problems)\n"
        "from hooklint.yaml.cparser import compiled_module\n"
        "mine = [m for m in sys.modules if m.startswith('ruamel.yaml') and sys.modules[m] is not compiled_module()]\n"
        "print(mine, 'typing' in sys.modules)\n"
    )
    assert out.splitlines() == ["[{'a': 1}, {'b': ['x', {'c': 'd'}]}] []", "[] False"]


def test_documents_and_problems_are_those_of_the_plain_import() -> None:
    cases = "CASES = " + json.dumps(BROKEN) + "\n"
    stand_ins = _run(cases + _READ + "import sys\nprint(json.dumps([out, 'ruamel.yaml' in sys.modules]))\n")
    plain = _run(cases + "import ruamel.yaml\n" + _READ + "print(json.dumps([out, True]))\n")
    got, imported = json.loads(stand_ins)
    want, _ = json.loads(plain)
    assert got == want
    assert imported  # a parse error brought in ruamel.yaml, for its own error and the exact parser
    assert any(problems for _, problems in want)  # the cases do fail


def test_the_real_ruamel_yaml_imported_later_gets_its_own_classes() -> None:
    out = _run(
        "import sys\n"
        "from hooklint.yaml import cparser\n"
        "cparser.c_parser()\n"
        "module = cparser.compiled_module()\n"
        "print(type(module.ScalarEvent).__name__, issubclass(module.ScannerError, cparser.StandInError))\n"
        "import ruamel.yaml, ruamel.yaml.events, ruamel.yaml.scanner, ruamel.yaml.nodes, ruamel.yaml.tokens\n"
        "print(module.ScalarEvent is ruamel.yaml.events.ScalarEvent,\n"
        "      module.ScannerError is ruamel.yaml.scanner.ScannerError,\n"
        "      module.MappingNode is ruamel.yaml.nodes.MappingNode,\n"
        "      module.KeyToken is ruamel.yaml.tokens.KeyToken)\n"
        "left = [n for n in dir(module) if isinstance(getattr(module, n), type)"
        " and issubclass(getattr(module, n), cparser.StandIn)]\n"
        "print(left, [f for f in sys.meta_path if 'cparser' in type(f).__module__])\n"
        "yaml = ruamel.yaml.YAML(typ='safe')\n"
        "print(yaml.load('a: [1, {b: c}]'))\n"
        "try:\n"
        "    yaml.load('a: [')\n"
        "except ruamel.yaml.YAMLError as error:\n"
        "    print(type(error).__name__)\n"
    )
    assert out.splitlines() == [
        "type True",
        "True True True True",
        "[] []",
        "{'a': [1, {'b': 'c'}]}",
        "ParserError",
    ]


def test_a_read_that_sees_ruamel_yaml_imported_midway_leaves_the_real_classes() -> None:
    out = _run(
        "from hooklint.yaml import cparser, reader\n"
        "cparser.c_parser()\n"
        "module = cparser.compiled_module()\n"
        "with reader._LIGHT_EVENTS:\n"
        "    import ruamel.yaml.events\n"
        "    print(module.ScalarEvent is reader._Scalar)\n"
        "print(module.ScalarEvent is ruamel.yaml.events.ScalarEvent)\n"
        "print([d.value for d in reader.read_manifests('a: b\\n')[0]])\n"
        "print(module.ScalarEvent is ruamel.yaml.events.ScalarEvent)\n"
    )
    assert out.splitlines() == ["True", "True", "[{'a': 'b'}]", "True"]


def test_reads_in_a_reading_context_entered_before_the_parser_is_imported_get_light_events() -> None:
    # a loop over files enters reading() before its first read imports the compiled module:
    # that read swaps the classes in, and they stay until the context is left
    out = _run(
        "from hooklint.yaml import cparser, reader\n"
        "print(cparser.compiled_module() is None)\n"
        "with reader.reading():\n"
        "    print([d.value for d in reader.read_manifests('a: b\\n---\\nc: [d]\\n')[0]])\n"
        "    module = cparser.compiled_module()\n"
        "    print(module.ScalarEvent is reader._Scalar)\n"
        "    print([d.value for d in reader.read_manifests('e: 1\\n')[0]])\n"
        "print(module.ScalarEvent is cparser.given('ScalarEvent'), module.ScalarEvent is reader._Scalar)\n"
    )
    assert out.splitlines() == ["True", "[{'a': 'b'}, {'c': ['d']}]", "True", "[{'e': 1}]", "True False"]


def test_with_ruamel_yaml_imported_first_the_module_is_imported_plainly() -> None:
    out = _run(
        "import ruamel.yaml, ruamel.yaml.events, sys\n"
        "from hooklint.yaml import cparser, reader\n"
        "cparser.c_parser()\n"
        "print(cparser.compiled_module().ScalarEvent is ruamel.yaml.events.ScalarEvent)\n"
        "print([d.value for d in reader.read_manifests('a: b\\n')[0]])\n"
        "print([f for f in sys.meta_path if 'cparser' in type(f).__module__])\n"
    )
    assert out.splitlines() == ["True", "[{'a': 'b'}]", "[]"]


def test_a_failing_stand_in_import_falls_back_to_the_plain_one() -> None:
    out = _run(
        "import sys\n"
        "from hooklint.yaml import cparser\n"
        "plain = cparser._import_plain\n"
        "calls = []\n"
        "def once():\n"
        "    calls.append(1)\n"
        "    if len(calls) == 1:\n"
        "        raise ImportError('boom')\n"
        "    return plain()\n"
        "cparser._import_plain = once\n"
        "parser = cparser.c_parser()\n"
        "import ruamel.yaml.events\n"
        "print(len(calls), cparser.compiled_module().ScalarEvent is ruamel.yaml.events.ScalarEvent)\n"
        "print(sorted(m for m in sys.modules if m.startswith('ruamel.yaml') and"
        " type(sys.modules[m].__spec__.loader).__module__ == 'hooklint.yaml.cparser'))\n"
    )
    assert out.splitlines() == ["2 True", "[]"]


def test_threads_reading_at_once_wait_for_one_import() -> None:
    """The compiled module is in sys.modules before its names are: a second thread must not
    take it from there half made (it failed with NameError: name 'StreamStartEvent')."""
    code = (
        "import threading\n"
        "from hooklint.yaml.reader import read_manifests\n"
        "barrier = threading.Barrier(8)\n"
        "out = []\n"
        "def work():\n"
        "    barrier.wait()\n"
        "    try:\n"
        "        out.append([d.value for d in read_manifests('a: [1, 2]\\nb: {c: d}\\n')[0]])\n"
        "    except BaseException as error:\n"
        "        out.append(repr(error))\n"
        "threads = [threading.Thread(target=work) for _ in range(8)]\n"
        "for t in threads: t.start()\n"
        "for t in threads: t.join()\n"
        "print(sorted(map(str, out)))\n"
    )
    want = str([str([{"a": [1, 2], "b": {"c": "d"}}])] * 8)
    for _ in range(3):  # each a fresh interpreter: the race is on the first import
        assert _run(code).strip() == want
