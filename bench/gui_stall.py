"""How long does the window's GUI thread stall while screenshots are read?

    .venv/bin/python -m bench.gui_stall [--count 20] [--shots DIR] [--why] [--json OUT]

Opens the real window offscreen, scans N chat screenshots (generated with ``python -m
tests.chatgen``; or the two bundled samples copied with one pixel changed so the OCR cache cannot
help) and measures, with a 5 ms QTimer that records its own lateness, the longest stall of the GUI
thread. Then, in the same run and on the same files (OCR cache cleared), the baseline: the same
scan done synchronously on the GUI thread, as a blocking design would. Also prints the time until
the window is up. Targets: stall <= 50 ms, window up <= 2 s.

``--why`` says what the GUI thread was doing during each long stall: every event it handled is
timed (``QApplication.notify``: receiver, event type, wall and CPU time), and so is every Python
method of the window's classes (MainWindow, FindingsPanel, ShotViewer, Scanner...) run on the GUI
thread, and every garbage collection. For each tick later than ``--why-ms`` (default 20 ms) it
prints the events that overlapped the stall and the slowest methods inside them, then the
methods that took most GUI-thread time over the run. Wall time much larger than CPU time means
the thread was waiting (for the GIL or for a CPU), not working. The hooks cost a little time of
their own; compare stalls with and without ``--why``.

The shared machine's load changes stalls a lot: compare two versions back to back, several runs
each, e.g. ``for i in 1 2 3; do (cd OLD && python -m bench.gui_stall --shots S); python -m
bench.gui_stall --shots S; done``.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]


class StallMeter:
    """A 5 ms timer; every tick records how late it fired (the GUI thread was busy)."""

    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval = interval_ms / 1000
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.lates: list[float] = []
        self.gaps: list[tuple[float, float]] = []  # (start, end) of every tick interval, perf_counter
        self.last = 0.0

    def start(self) -> None:
        self.lates.clear()
        self.gaps.clear()
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lates.append(max(0.0, now - self.last - self.interval))
        self.gaps.append((self.last, now))
        self.last = now

    def gap(self) -> None:
        """For the blocking baseline: a tick taken between two blocking calls."""
        self._tick()

    def report(self) -> dict[str, float]:
        ls = sorted(self.lates) or [0.0]
        return {"max_ms": ls[-1] * 1000, "p99_ms": ls[int(0.99 * (len(ls) - 1))] * 1000,
                "median_ms": statistics.median(ls) * 1000, "over_50ms": float(sum(x > 0.05 for x in ls)),
                "over_20ms": float(sum(x > 0.02 for x in ls)), "ticks": float(len(ls))}


# ------------------------------------------------------------------------------ --why


class Why:
    """Records what the GUI thread spends its time on (see the module docstring)."""

    def __init__(self) -> None:
        self.main = threading.get_ident()
        self.events: list[tuple[float, float, float, str]] = []  # start, end, cpu seconds, what
        self.calls: list[tuple[float, float, float, int, str]] = []  # start, end, cpu, depth, name
        self.gcs: list[tuple[float, float, str]] = []  # start, end, thread name
        self.depth = 0
        self._gc_start: dict[int, float] = {}

    # -- the event loop
    def make_app(self) -> Any:
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QApplication

        why = self
        names: dict[int, str] = {}

        class TimedApp(QApplication):
            def notify(self, receiver: Any, event: Any) -> bool:  # noqa: N802  # Qt's name
                if threading.get_ident() != why.main or why.depth:
                    why.depth += threading.get_ident() == why.main
                    try:
                        return super().notify(receiver, event)
                    finally:
                        why.depth -= threading.get_ident() == why.main
                t, c = time.perf_counter(), time.thread_time()
                why.depth += 1
                try:
                    return super().notify(receiver, event)
                finally:
                    why.depth -= 1
                    end = time.perf_counter()
                    if end - t > 0.002:
                        et = int(event.type().value)
                        n = names.get(et)
                        if n is None:
                            try:
                                n = QEvent.Type(et).name
                            except ValueError:
                                n = str(et)
                            names[et] = n
                        try:
                            who = type(receiver).__name__ + (f"#{receiver.objectName()}" if receiver.objectName() else "")
                        except RuntimeError:
                            who = "?"
                        why.events.append((t, end, time.thread_time() - c, f"{n} -> {who}"))

        return TimedApp(sys.argv[:1])

    # -- Python methods
    def wrap_classes(self, classes: list[type]) -> None:
        import functools
        import inspect

        why = self

        def wrap(name: str, fn: Any) -> Any:
            @functools.wraps(fn)
            def timed(*args: Any, **kwargs: Any) -> Any:
                if threading.get_ident() != why.main:
                    return fn(*args, **kwargs)
                t, c = time.perf_counter(), time.thread_time()
                why.depth += 1
                try:
                    return fn(*args, **kwargs)
                finally:
                    why.depth -= 1
                    end = time.perf_counter()
                    if end - t > 0.001:
                        why.calls.append((t, end, time.thread_time() - c, why.depth, name))
            return timed

        for cls in classes:
            for attr, fn in list(vars(cls).items()):
                if inspect.isfunction(fn) and attr not in ("__init__", "notify", "tr"):
                    setattr(cls, attr, wrap(f"{cls.__name__}.{attr}", fn))

    def watch_gc(self) -> None:
        import gc

        def cb(phase: str, info: dict[str, Any]) -> None:
            tid = threading.get_ident()
            if phase == "start":
                self._gc_start[tid] = time.perf_counter()
            elif tid in self._gc_start:
                self.gcs.append((self._gc_start.pop(tid), time.perf_counter(),
                                 "GUI" if tid == self.main else threading.current_thread().name))

        gc.callbacks.append(cb)

    # -- the report
    def report(self, gaps: list[tuple[float, float]], interval: float, threshold: float, top: int = 12) -> None:
        long = [(s, e) for s, e in gaps if e - s - interval > threshold]
        print(f"\n--why: {len(long)} ticks late by > {threshold * 1000:.0f} ms; what the GUI thread did in each "
              "(wall/cpu ms):")
        causes: dict[str, list[float]] = {}
        for s, e in sorted(long, key=lambda g: g[0] - g[1])[:40]:
            late = (e - s - interval) * 1000
            evs = [x for x in self.events if x[0] < e and x[1] > s]
            cs = [x for x in self.calls if x[0] < e and x[1] > s]
            gcs = [x for x in self.gcs if x[0] < e and x[1] > s]
            covered = sum(min(x[1], e) - max(x[0], s) for x in evs) * 1000
            head = max(evs, key=lambda x: x[1] - x[0], default=None)
            inner = sorted(cs, key=lambda x: x[0] - x[1])[:4]
            key = (inner[0][4] if inner else head[3] if head else "outside any event (GIL wait / dispatch)")
            causes.setdefault(key, []).append(late)
            print(f"  late {late:6.1f} ms; events cover {covered:5.1f} ms"
                  + (f"; {head[3]} {1000 * (head[1] - head[0]):.1f}/{1000 * head[2]:.1f}" if head else ""))
            for c in inner:
                print(f"      {'  ' * (c[3])}{c[4]} {1000 * (c[1] - c[0]):.1f}/{1000 * c[2]:.1f}")
            for g in gcs:
                print(f"      gc on {g[2]} thread {1000 * (g[1] - g[0]):.1f}")
        print("  stalls by their slowest method (count, worst ms):")
        for k, v in sorted(causes.items(), key=lambda kv: -max(kv[1])):
            print(f"    {len(v):3d} x  worst {max(v):6.1f}  {k}")
        tot: dict[str, list[float]] = {}
        for s, e, _c, _d, n in self.calls:
            tot.setdefault(n, []).append(e - s)
        print("  GUI-thread methods over the whole run (calls > 1 ms: count, total ms, max ms):")
        for n, v in sorted(tot.items(), key=lambda kv: -max(kv[1]))[:top]:
            print(f"    {len(v):4d}  {1000 * sum(v):8.1f}  {1000 * max(v):7.1f}  {n}")
        gui_gc = [g for g in self.gcs if g[2] == "GUI"]
        if gui_gc:
            print(f"  gc on the GUI thread: {len(gui_gc)} collections, max {1000 * max(g[1] - g[0] for g in gui_gc):.1f} ms")


def instrumented_classes() -> list[type]:
    import desktop.gui.findings as findings
    import desktop.gui.mainwindow as mainwindow
    import desktop.gui.viewer as viewer
    import desktop.scan as scan

    out: list[type] = [mainwindow.MainWindow, findings.FindingsPanel, viewer.ShotViewer, scan.Scanner]
    for mod in (findings, viewer):  # helper functions of the panel and the viewer
        out.extend(c for c in vars(mod).values() if isinstance(c, type) and c.__module__ == mod.__name__
                   and c not in out and c.__name__ not in ("Entry",))
    return out


def make_shots(n: int, folder: Path) -> list[Path]:
    gen = folder / "gen"
    try:
        subprocess.run([sys.executable, "-m", "tests.chatgen", "--out", str(gen), "--styles", "wechat", "whatsapp",
                        "--themes", "light"], cwd=ROOT, check=True, capture_output=True, timeout=300)
        shots = sorted(gen.glob("*.png"))
    except (subprocess.SubprocessError, OSError):
        shots = []
    if len(shots) >= n:
        # spread over the conversations rather than the first few
        step = len(shots) / n
        return [shots[int(i * step)] for i in range(n)]
    from PySide6.QtGui import QImage

    samples = [ROOT / "desktop" / "samples" / "wechat_zh_sextortion.png", ROOT / "desktop" / "samples" / "giftcard_en_sextortion.png"]
    out = []
    for i in range(n):
        img = QImage(str(samples[i % 2]))
        img.setPixel(0, img.height() - 1 - i, 0xFF000000 | i)  # distinct bytes: no OCR cache hits
        p = folder / f"shot_{i:02d}.png"
        img.save(str(p))
        out.append(p)
    return out


def window_idle(win: Any) -> bool:
    """Every item read and the last verdict drawn."""
    if not win.items or any(i.state not in ("done", "error") for i in win.items):
        return False
    busy = getattr(win, "is_busy", None)  # the window's own answer, where it has one
    if callable(busy):
        return not busy()
    return not win._refresh_timer.isActive()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.gui_stall", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--shots", type=Path, help="folder of screenshots to use instead of generating them")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--why", action="store_true", help="say which GUI-thread work caused each long stall")
    ap.add_argument("--why-ms", type=float, default=20.0, help="with --why: explain ticks later than this (ms)")
    ap.add_argument("--json", type=Path, help="append the figures of this run as one JSON line to this file")
    a = ap.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="chatguard-bench-"))
    os.environ["CHATGUARD_HOME"] = str(home / "home")

    from PySide6.QtCore import QTimer

    why = None
    if a.why:
        why = Why()
        why.make_app()
        why.wrap_classes(instrumented_classes())
        why.watch_gc()

    from desktop.gui.app import build_app

    app, win = build_app([], "en", install_hooks=False)
    win.resize(1366, 768)
    win.show()
    app.processEvents()
    window_up = time.perf_counter() - T0

    shots = sorted(a.shots.glob("*.png"))[: a.count] if a.shots else make_shots(a.count, home)
    import desktop

    print(f"code: {Path(desktop.__file__).resolve().parent}")
    print(f"window up: {window_up:.2f} s (target <= 2 s)")
    print(f"screenshots: {len(shots)}")

    meter = StallMeter()
    done_at: list[float] = []

    def poll() -> None:
        if window_idle(win):
            done_at.append(time.perf_counter())
            app.quit()

    meter.start()
    t_start = time.perf_counter()
    win.start_background()
    win.add_paths(shots)
    watcher = QTimer()
    watcher.timeout.connect(poll)
    watcher.start(50)
    app.exec()
    meter.stop()
    watcher.stop()
    threaded = meter.report()
    t_threaded = done_at[0] - t_start
    errors = [i.label for i in win.items if i.state == "error"]
    risk = win.findings.current_verdict()[0]
    print(f"window (QThreadPool, {win.pool.maxThreadCount()} workers): {t_threaded:.1f} s for {len(shots)} screenshots, "
          f"verdict {risk}, {len(errors)} errors")
    print(f"  GUI-thread stall: max {threaded['max_ms']:.0f} ms, p99 {threaded['p99_ms']:.1f} ms, "
          f"median {threaded['median_ms']:.1f} ms, {int(threaded['over_50ms'])} ticks late by > 50 ms, "
          f"{int(threaded['over_20ms'])} by > 20 ms (of {int(threaded['ticks'])}) (target max <= 50 ms)")
    if why is not None:
        why.report(meter.gaps, meter.interval, a.why_ms / 1000)

    base: dict[str, float] = {}
    if not a.no_baseline:
        import ocr

        ocr.clear_cache()
        scanner = win.factory()
        meter.start()
        t_b = time.perf_counter()
        inputs = []
        for p in shots:  # what a blocking design does: read on the GUI thread, repaint between files
            inputs.extend(scanner.read_input(p))
            app.processEvents()
            meter.gap()
        scanner.finish(inputs)
        app.processEvents()
        meter.gap()
        meter.stop()
        base = meter.report()
        print(f"baseline (same scan on the GUI thread): {time.perf_counter() - t_b:.1f} s")
        print(f"  GUI-thread stall: max {base['max_ms']:.0f} ms, median {base['median_ms']:.0f} ms")
    win.close()
    shutil.rmtree(home, ignore_errors=True)
    ok = threaded["max_ms"] <= 50 and window_up <= 2
    print("result:", "OK" if ok else "OVER TARGET")
    if a.json:
        import json

        with a.json.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"window_up_s": window_up, "scan_s": t_threaded, "errors": len(errors), "risk": risk,
                                 "why": a.why, **{f"stall_{k}": v for k, v in threaded.items()},
                                 **{f"blocking_{k}": v for k, v in base.items()},
                                 "load1": os.getloadavg()[0]}) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
