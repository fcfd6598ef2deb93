"""A figure's breakdown as a person reads it. Stored as canonical "dimension=label" pairs (indicators.pipeline),
where the dimension is the source's column key ("kon", "samarbejde") and the label the source's own words
("Kvinder", "Alle jobcentre"): people see the labels only, never the keys."""

from __future__ import annotations


def in_words(breakdown: str, total: str = "") -> str:
    """A breakdown in words: "kon=Kvinder|opholdstid=3-5 år" → "Kvinder, 3-5 år"; the total (none) → `total`."""
    if not breakdown:
        return total
    return ", ".join(part.split("=", 1)[-1] for part in breakdown.split("|"))
