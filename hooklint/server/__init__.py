"""``hooklint server``: a language server (LSP over stdio) built on pygls.

Only :mod:`hooklint.server.lsp` imports pygls and lsprotocol (the ``server``
extra); the other modules are plain Python over the engine, so they are tested
without an editor:

- :mod:`~hooklint.server.analysis`: which files one edit puts in play, read from
  disk and overlaid with the open buffers, linted by the same engine as ``check``;
- :mod:`~hooklint.server.spans`: finding positions -> 0-based ranges;
- :mod:`~hooklint.server.ignore`: the "ignore this finding" comment edit;
- :mod:`~hooklint.server.fixes`: the seam to ``--fix`` (the edits a fix makes);
- :mod:`~hooklint.server.hover`: rule and annotation documentation for hovers.
"""
