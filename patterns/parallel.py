"""Many conversations at once, across the machine's cores.

Matching is pure Python, so one process uses one core. For big batches (an exported chat
history, a folder of text files, the benchmarks) the conversations are split into chunks and
matched in worker processes, each with its own copy of the same pack; small batches are matched
in this process, where starting workers would cost more than it saves.

Workers are forked where that is safe (Linux, no threads of ours running: the CLI) and spawned
otherwise (macOS, Windows, a process with other threads such as the window). Each chunk returns
only rule numbers, scores, matched strings and spans; the ``Finding`` objects are rebuilt here
from the same rules, so results are exactly those of ``Analyzer.raw_findings`` on each
conversation in turn (tested). Message text reaches the workers through a pipe, never a file.
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


def _context() -> multiprocessing.context.BaseContext:
    if (sys.platform.startswith("linux") and threading.active_count() == 1
            and not getattr(sys, "frozen", False)):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _chunks(convs: Sequence[Sequence[Message]], size: int) -> list[list[Sequence[Message]]]:
    out: list[list[Sequence[Message]]] = []
    cur: list[Sequence[Message]] = []
    n = 0
    for conv in convs:
        cur.append(conv)
        n += len(conv)
        if n >= size:
            out.append(cur)
            cur, n = [], 0
    if cur:
        out.append(cur)
    return out


def raw_findings_many(an: Analyzer, conversations: Sequence[Sequence[Message]], *,
                      workers: int | None = None,
                      min_messages: int = MIN_PARALLEL_MESSAGES) -> list[list[list[Finding]]]:
    """``[an.raw_findings(c) for c in conversations]``, on several cores when it pays."""
    workers = default_workers() if workers is None else max(1, workers)
    total = sum(len(c) for c in conversations)
    if workers == 1 or total < min_messages:
        return [an.raw_findings(c) for c in conversations]
    global _worker
    chunks = _chunks(conversations, min(CHUNK_MESSAGES, max(200, total // (workers * 4))))
    ctx = _context()
    if ctx.get_start_method() == "fork":
        _worker = an  # inherited by the forked workers, nothing to load or send
        # the pack's objects move out of the collector's reach, so a collection in a worker
        # does not write to (and copy) every page it inherited
        import gc

        gc.freeze()
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
    else:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_spawned,
                                   initargs=(an.pack, an.advice, an.learned, an.builtin, an.matcher))
    try:
        with pool:
            parts = list(pool.map(_run_chunk, chunks))
    finally:
        _worker = None
    return [[[an.finding(ri, score, matched, span) for ri, score, matched, span in msg]
             for msg in conv] for part in parts for conv in part]
