"""How long does the window's GUI thread stall while screenshots are read?

    .venv/bin/python -m bench.gui_stall [--count 20] [--shots DIR]

Opens the real window offscreen, scans N chat screenshots (generated with ``python -m
tests.chatgen``; or the two bundled samples copied with one pixel changed so the OCR cache cannot
help) and measures, with a 5 ms QTimer that records its own lateness, the longest stall of the GUI
thread. Then, in the same run and on the same files (OCR cache cleared), the baseline: the same
scan done synchronously on the GUI thread, as a blocking design would. Also prints the time until
the window is up. Targets: stall <= 50 ms, window up <= 2 s.
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
from pathlib import Path  # noqa: E402

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
        self.last = 0.0

    def start(self) -> None:
        self.lates.clear()
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lates.append(max(0.0, now - self.last - self.interval))
        self.last = now

    def gap(self) -> None:
        """For the blocking baseline: a tick taken between two blocking calls."""
        self._tick()

    def report(self) -> dict[str, float]:
        ls = sorted(self.lates) or [0.0]
        return {"max_ms": ls[-1] * 1000, "p99_ms": ls[int(0.99 * (len(ls) - 1))] * 1000,
                "median_ms": statistics.median(ls) * 1000, "over_50ms": float(sum(x > 0.05 for x in ls)),
                "ticks": float(len(ls))}


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.gui_stall", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--shots", type=Path, help="folder of screenshots to use instead of generating them")
    ap.add_argument("--no-baseline", action="store_true")
    a = ap.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="chatguard-bench-"))
    os.environ["CHATGUARD_HOME"] = str(home / "home")

    from PySide6.QtCore import QTimer

    from desktop.gui.app import build_app

    app, win = build_app([], "en", install_hooks=False)
    win.resize(1366, 768)
    win.show()
    app.processEvents()
    window_up = time.perf_counter() - T0

    shots = sorted(a.shots.glob("*.png"))[: a.count] if a.shots else make_shots(a.count, home)
    print(f"window up: {window_up:.2f} s (target <= 2 s)")
    print(f"screenshots: {len(shots)}")

    meter = StallMeter()
    done_at: list[float] = []

    def finished() -> bool:
        return bool(win.items) and all(i.state in ("done", "error") for i in win.items) and not win._refresh_timer.isActive()

    def poll() -> None:
        if finished():
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
          f"median {threaded['median_ms']:.1f} ms, {int(threaded['over_50ms'])} ticks late by > 50 ms "
          f"(of {int(threaded['ticks'])}) (target max <= 50 ms)")

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
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
