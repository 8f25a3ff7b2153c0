"""The one place where text from outside becomes terminal or markdown output.

Public surface: :func:`visible`, :func:`one_line`, :func:`rich_text`,
:func:`markup`, :func:`markdown`.

Article text, file names, glossary terms, error messages and package metadata
are data, not commands: an ESC or BEL in them must not retitle the terminal or
clear the screen, a ``[`` in a file name must not be read as rich markup, and
``<script>`` in a sentence must not become HTML in a report.  Every string from
outside goes through one of these functions on its way out:

* :func:`visible` -- control characters shown instead of obeyed: C0 controls
  (except newline and tab) and DEL as their Unicode control pictures
  (ESC -> ``␛``, BEL -> ``␇``), C1 controls and bidirectional overrides and
  isolates as ``⟨U+XXXX⟩``;
* :func:`one_line` -- the same, and newlines and tabs shown too: for messages
  that must stay on one line (errors, notes, lists);
* :func:`rich_text` / :func:`markup` -- for rich: a ``Text`` (never parsed as
  markup), or a markup string with the user's ``[`` escaped;
* :func:`markdown` -- for the report: made visible, then ``&``, ``<`` and ``>``
  HTML-escaped and markdown's own syntax backslash-escaped, so a cell shows
  what the article says and runs nothing: ``![x](http://host/x.png)`` fetches
  no image and ``[text](javascript:...)`` is no link.
"""

from __future__ import annotations

import html
import re

# C0 controls without newline and tab, DEL, C1 controls; bidi embeddings, overrides
# (U+202A-U+202E) and isolates (U+2066-U+2069), which reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_OR_BREAK = re.compile("\r\n|[\x00-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL_PICTURES = 0x2400  # U+2400 SYMBOL FOR NULL .. U+241F; U+2421 is DEL's picture
DEL_PICTURE = "\u2421"


def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(CONTROL_PICTURES + code)
    if code == 0x7F:
        return DEL_PICTURE
    return f"⟨U+{code:04X}⟩"


def visible(text: str) -> str:
    """``text`` with every control character shown as a symbol; newlines and tabs kept.

    A CR-LF line end becomes a newline; a lone CR (which would return the
    cursor and overwrite the line) is shown as ``␍``.
    """
    text = text.replace("\r\n", "\n")
    return _UNSAFE.sub(lambda m: _picture(m.group()), text)


def one_line(text: str) -> str:
    """``text`` made :func:`visible` with its line breaks and tabs shown too (``␊``, ``␉``)."""
    return _UNSAFE_OR_BREAK.sub(lambda m: "␍␊" if m.group() == "\r\n" else _picture(m.group()), text)


def rich_text(text: str, style=None):
    """A rich ``Text`` of ``text`` made :func:`visible` (a ``Text`` is never parsed as markup)."""
    from rich.text import Text

    return Text(visible(text), style=style or "")


def markup(text: str) -> str:
    """``text`` made :func:`visible` and escaped for a rich markup string (``[x]`` stays ``[x]``)."""
    from rich.markup import escape

    return escape(visible(text))


# What makes markdown out of text: a link, an image, a reference or its definition
# needs ``]`` followed by ``(``, ``[`` or ``:`` (an autolink needs ``<``, which is
# HTML-escaped); emphasis and code spans need ``*``, backquotes, and ``_`` at a
# word's edge (``number_bonus`` stays as it is); a backslash would undo the escapes.
# Other brackets stay as they are, so the report's source stays easy to read.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*]|\](?=[(\[:])|(?<!\w)_|_(?!\w)")


def markdown(text: str) -> str:
    """``text`` made :func:`visible`, HTML-escaped (``&``, ``<``, ``>``) and with markdown syntax escaped, for a report."""
    return _MARKDOWN_SYNTAX.sub(lambda m: "\\" + m.group(), html.escape(visible(text), quote=False))
