"""``hooklint check --fix``: mechanical fixes as byte-exact text splices.

A fix never reformats: it replaces or inserts the few characters it must, found
from the positions a Document carries, and every byte elsewhere stays as it was
(comments, quotes, indentation, flow style, CRLF, BOM, document separators).
Every edited file is read back and must give exactly the values the fix intends
(see :mod:`hooklint.fix.verify`); a file hooklint cannot read cleanly (any HL000)
is never edited.

``text`` (source text, offsets, edits), ``scalars`` (where a scalar's text is),
``blocks`` (mapping entries by whole lines), ``target`` (a finding as a fixer sees it),
``verdicts`` (whether and how safely each rule's finding can be fixed, from the values alone),
``changes`` (Change, shared building blocks), ``fixers`` (one per rule: its verdict and its
edits), ``verify`` (the read-back check), ``plan``
(one file's findings -> verified edits), ``run`` (the --fix/--diff rounds), ``diff``,
``ignore`` (--add-ignore), ``command`` (the CLI body), ``mapped`` (fixes for findings of
Helm charts and Kustomize builds, in the repository file a finding maps to, where the text is
literal there), ``rendered`` (one such source's fixes chosen, applied and verified) and
``rerender`` (rendering the source again with the edited files, in a shadow copy).
Baselines are :mod:`hooklint.baseline`.
"""

from __future__ import annotations

from hooklint.model import SourceFile


def fixable_source(source: SourceFile) -> bool:
    """Is this a file read as it is from disk, fixed as a raw file?

    Stdin never is.  A rendered source (Helm templates, kustomize output) is not written
    as linted: its findings are fixed, where literal, in the files they map to
    (:mod:`hooklint.fix.mapped`), and verified by rendering again.
    """
    return source.plain_file
