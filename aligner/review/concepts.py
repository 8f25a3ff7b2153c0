"""A glossary concept added or edited from the review, through the glossary's own editing code
(lock, validation, atomic write; every other row keeps its bytes).

Public surface: :class:`ConceptDraft`, :func:`draft_for`, :func:`save_concept`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aligner.errors import GlossaryError
from aligner.model import Result


@dataclass(frozen=True)
class ConceptDraft:
    """What the editor shows: the concept being edited (``existing``, empty for a new one) and its fields."""

    existing: str
    en: str
    variants: dict = field(default_factory=dict)  # lang -> "a | b"
    avoid: str = ""


def _split(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split("|") if v.strip())


def draft_for(result: Result, places: list[tuple[int, int]], glossary_path: str | Path | None, words: tuple[str, ...] = ()) -> ConceptDraft:
    """The editor's fields for the sentences ``places`` (article, sentence) of a row.

    A sentence with a glossary concept opens that concept as the file has it
    (a violated one first);
    otherwise a new concept, its English taken from ``words`` (the link's shared
    names or words) and, per language, the variants the row's sentences
    already match for it.
    """
    from aligner import glossary as gl

    langs = list(dict.fromkeys([*(result.articles[a].lang for a, _ in places), *(a.lang for a in result.articles)]))
    hits = [h for a, s in places for h in result.articles[a].sentences[s].glossary]
    hits.sort(key=lambda h: h.status not in ("violation", "untranslated"))  # the problem the reviewer sees first
    if hits and glossary_path is not None and Path(glossary_path).is_file():
        try:
            c = gl.show(gl.load(glossary_path), hits[0].concept)
        except GlossaryError:
            c = None
        if c is not None:
            variants = {lang: " | ".join(c.variants.get(lang, ())) for lang in dict.fromkeys([*langs, *c.variants])}
            return ConceptDraft(c.en, " | ".join((c.en, *c.accepted)), variants, " | ".join(c.avoid))
    return ConceptDraft("", words[0] if words else "", {lang: "" for lang in langs})


def save_concept(path: str | Path, draft: ConceptDraft):
    """Add ``draft`` as a new concept, or edit the concept it names, in the glossary at ``path``.

    Returns the glossary as written.  Raises :class:`GlossaryError` (the glossary
    code's message) when the edit is refused; the file is then unchanged.
    """
    from aligner import glossary as gl

    en_forms = _split(draft.en)
    if not en_forms:
        raise GlossaryError("the English term is empty")
    variants = {lang: _split(v) for lang, v in draft.variants.items()}
    with gl.locked(path):
        g = gl.load(path)
        if draft.existing:
            gl.edit(g, draft.existing, en=" | ".join(en_forms).replace(" | ", "|"),
                    variants={k: v for k, v in variants.items() if v or k in g.header}, avoid=_split(draft.avoid))
        else:
            gl.add(g, en_forms[0], {k: v for k, v in variants.items() if v}, avoid=_split(draft.avoid))
        gl.write(g)
    return g
