"""The review app's keys: one table read by the app's bindings and footer, ``--help`` and the README.

Each entry: the keys (Textual names), how they are written for a reader, the
app's action, and what it does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key names, comma-separated
    shown: str  # as a reader writes them
    action: str  # the app's action (without "action_")
    description: str
    footer: str = ""  # short label in the footer; empty: not in the footer
    footer_key: str = ""  # the key as the footer shows it (default: the first of ``shown``)


KEYS: tuple[Key, ...] = (
    Key("j,down", "j / down", "next", "next row", "move", "j/k"),
    Key("k,up", "k / up", "previous", "previous row"),
    Key("enter", "enter", "details", "the row's details: scores, evidence, parts, glossary marks", "details"),
    Key("a", "a", "accept", "accept the selected link", "accept"),
    Key("r", "r", "reject", "reject the selected link", "reject"),
    Key("u", "u", "undo", "undo the last decision", "undo"),
    Key("l", "l", "link", "link the selected one-sided sentence to a sentence of another article (/ searches)", "link"),
    Key("g", "g", "glossary", "add or edit a glossary concept from the selected sentence; re-applied at once", "glossary"),
    Key("s", "s", "toggle_source", "show English or the source text", "source"),
    Key("q", "q", "save_quit", "save the decisions into the result and quit", "save+quit"),
    Key("escape,ctrl+c", "escape / ctrl+c twice", "abandon", "quit without saving", "quit", "esc"),
)


def footer_items() -> list[tuple[str, str]]:
    """(key, label) of every key the footer shows, in table order."""
    return [(k.footer_key or k.shown.split(" ")[0], k.footer) for k in KEYS if k.footer]


def key_lines(width: int = 24) -> list[str]:
    """The table as plain lines: ``j / down                next row``."""
    return [f"{k.shown:<{width}}{k.description}" for k in KEYS]


def help_text() -> str:
    """The key list for ``aligner review --help`` (click keeps ``\\b`` paragraphs as they are)."""
    return "\b\nKeys:\n" + "\n".join("  " + line for line in key_lines())
