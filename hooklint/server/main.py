"""``hooklint server``'s body: check the extra is installed, then serve."""

from __future__ import annotations


def run_server() -> int:
    """Serve LSP on stdio; exit 2 with one line when pygls (the ``server`` extra) is missing."""
    from hooklint.cli.commands import fail

    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        fail("'hooklint server' needs the server extra: python -m pip install 'hooklint[server]'")
    from hooklint.server.lsp import serve

    return serve()
