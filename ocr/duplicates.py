"""Lines repeated across screenshots of one chat (the overlap left by scrolling)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from .types import ImageReading, OcrLine, Sender

_WS = re.compile(r"\s+")


def _key(line: OcrLine) -> str:
    return _WS.sub("", line.text).lower()


def _same(a: OcrLine, b: OcrLine, ka: str, kb: str) -> bool:
    if not ka or not kb:
        return False
    if a.sender != b.sender and Sender.UNKNOWN not in (a.sender, b.sender):
        return False
    if ka == kb:
        return True
    return Levenshtein.normalized_similarity(ka, kb) >= 0.85 and min(len(ka), len(kb)) >= 6


def mark_duplicates(readings: Sequence[ImageReading]) -> list[list[tuple[int, int] | None]]:
    """For each reading, for each line: ``(reading_index, line_index)`` of the line's first
    occurrence in an EARLIER screenshot of the same chat, or None.

    Screenshots are of the same chat unless both name different contacts. A line only counts as
    repeated inside a run of matching consecutive lines (two or more, or one long line), so a
    lone "ok" said twice in a chat is not taken for scrolling overlap."""
    out: list[list[tuple[int, int] | None]] = [[None] * len(r.lines) for r in readings]
    keys = [[_key(ln) for ln in r.lines] for r in readings]
    for j, rj in enumerate(readings):
        for i in range(j):
            ri = readings[i]
            if ri.contact and rj.contact and ri.contact != rj.contact:
                continue
            for a0, b0, n in _runs(ri.lines, rj.lines, keys[i], keys[j]):
                long_enough = n >= 2 or len(keys[j][b0]) >= 8
                if not long_enough:
                    continue
                for k in range(n):
                    if out[j][b0 + k] is None:
                        first = out[i][a0 + k] or (i, a0 + k)
                        out[j][b0 + k] = first
    return out


def _runs(a: Sequence[OcrLine], b: Sequence[OcrLine], ka: list[str], kb: list[str]) -> list[tuple[int, int, int]]:
    """Maximal runs of consecutive matching lines (start in a, start in b, length), longest first,
    not crossing each other."""
    n, m = len(a), len(b)
    if not n or not m:
        return []
    eq = [[_same(a[x], b[y], ka[x], kb[y]) for y in range(m)] for x in range(n)]
    length = [[0] * (m + 1) for _ in range(n + 1)]
    for x in range(n - 1, -1, -1):
        for y in range(m - 1, -1, -1):
            if eq[x][y]:
                length[x][y] = length[x + 1][y + 1] + 1
    cands = []
    for x in range(n):
        for y in range(m):
            L = length[x][y]
            if L and (x == 0 or y == 0 or not eq[x - 1][y - 1]):
                cands.append((L, x, y))
    cands.sort(key=lambda c: (-c[0], c[1]))
    chosen: list[tuple[int, int, int]] = []
    for L, x, y in cands:
        if any(not ((x + L <= cx and y + L <= cy) or (x >= cx + cl and y >= cy + cl)) for cl, cx, cy in [(c[2], c[0], c[1]) for c in chosen]):
            continue
        chosen.append((x, y, L))
    return chosen
