"""Counts said in words, for pages, briefings and the CLI: "1 target", "2 targets".

Investigators quote these lines in letters; "1 targets" or "1 days old" reads as a
careless tool."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` with its noun agreeing: counted(1, "target") is "1 target", counted(1204,
    "record") "1,204 records", counted(2, "match", "matches") "2 matches"."""
    return f"{n:,} {noun if abs(n) == 1 else plural or noun + 's'}"
