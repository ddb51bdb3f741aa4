"""Many conversations at once, across the machine's cores.

Matching is pure Python, so one process uses one core. For big batches (an exported chat
history, a folder of text files, the benchmarks) the conversations are split into chunks and
matched in worker processes, each with its own copy of the same pack; small batches are matched
in this process, where starting workers would cost more than it saves.

Workers are forked where that is safe (Linux, no threads of ours running: the CLI) and spawned
otherwise (macOS, Windows, a process with other threads such as the window). Each chunk returns
only rule numbers, scores, matched strings and spans; the ``Finding`` objects are rebuilt here
from the same rules, so results are exactly those of ``Analyzer.raw_findings`` on each
conversation in turn (tested). Forked workers inherit the conversations and receive only which
ones to match (pickling the messages cost the calling process 3 ms per 1,500, on a machine whose
every core is busy matching); spawned workers receive them through a pipe, never a file.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from .types import Finding, Message

if TYPE_CHECKING:
    from .advice import AdviceCatalogue
    from .analyzer import Analyzer
    from .learned import LearnedModel
    from .matcher import Matcher
    from .pack import Pack

__all__ = ["raw_findings_many", "default_workers"]

MIN_PARALLEL_MESSAGES = 4000  # below this, one process is faster than starting workers
CHUNK_MESSAGES = 1500

# (rule number, score, matched, span) per finding, per message, per conversation
_Compact = list[list[list[tuple[int, float, str, tuple[int, int]]]]]

_worker: Analyzer | None = None
_inherited: Sequence[Sequence[Message]] = ()  # a forked worker's copy of the batch


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _compact(an: Analyzer, convs: Sequence[Sequence[Message]]) -> _Compact:
    return [[[(ri, h.score, h.matched, h.span) for ri, h in msg] for msg in an.raw_hits(conv)]
            for conv in convs]


def _init_spawned(pack: Pack, advice: AdviceCatalogue, learned: LearnedModel | None,
                  builtin: frozenset[str], matcher: Matcher) -> None:
    global _worker
    from .analyzer import Analyzer

    # the parent's matcher, indexes and native regex gate included: nothing to build again
    _worker = Analyzer(pack, advice, cache_size=0, learned=learned, builtin=builtin, matcher=matcher)


def _run_chunk(convs: Sequence[Sequence[Message]]) -> _Compact:
    assert _worker is not None
    return _compact(_worker, convs)


def _run_inherited(bounds: tuple[int, int]) -> _Compact:
    assert _worker is not None
    return _compact(_worker, _inherited[bounds[0]:bounds[1]])


def _context() -> multiprocessing.context.BaseContext:
    if (sys.platform.startswith("linux") and threading.active_count() == 1
            and not getattr(sys, "frozen", False)):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _bounds(convs: Sequence[Sequence[Message]], size: int) -> list[tuple[int, int]]:
    """(first, end) conversation numbers of each chunk of about ``size`` messages."""
    out: list[tuple[int, int]] = []
    start = n = 0
    for i, conv in enumerate(convs):
        n += len(conv)
        if n >= size:
            out.append((start, i + 1))
            start, n = i + 1, 0
    if start < len(convs):
        out.append((start, len(convs)))
    return out


def raw_findings_many(an: Analyzer, conversations: Sequence[Sequence[Message]], *,
                      workers: int | None = None,
                      min_messages: int = MIN_PARALLEL_MESSAGES) -> list[list[list[Finding]]]:
    """``[an.raw_findings(c) for c in conversations]``, on several cores when it pays."""
    workers = default_workers() if workers is None else max(1, workers)
    total = sum(len(c) for c in conversations)
    if workers == 1 or total < min_messages:
        return [an.raw_findings(c) for c in conversations]
    global _worker, _inherited
    bounds = _bounds(conversations, min(CHUNK_MESSAGES, max(200, total // (workers * 4))))
    ctx = _context()
    try:
        if ctx.get_start_method() == "fork":
            # the analyzer and the batch are inherited by the forked workers: nothing to load,
            # and only chunk bounds to send
            _worker, _inherited = an, conversations
            # the pack's objects move out of the collector's reach, so a collection in a worker
            # does not write to (and copy) every page it inherited
            import gc

            gc.freeze()
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                parts = list(pool.map(_run_inherited, bounds))
        else:
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_spawned,
                                     initargs=(an.pack, an.advice, an.learned, an.builtin, an.matcher)) as pool:
                parts = list(pool.map(_run_chunk, [conversations[a:b] for a, b in bounds]))
    finally:
        _worker, _inherited = None, ()
    return [[[an.finding(ri, score, matched, span) for ri, score, matched, span in msg]
             for msg in conv] for part in parts for conv in part]
