"""Strip debug information and symbol tables from a built Linux bundle, safely.

Several wheels ship their ELF files unstripped (tesserocr's extension 4.5 MB of DWARF,
pyclipper, Pillow, PyYAML, ICU, GEOS, ...: ~17 MB in all). PyInstaller's own `strip=True`
cannot be used: GNU strip rewrites some auditwheel/patchelf-repaired libraries into files the
loader refuses ("ELF load command address/offset not page-aligned": numpy's OpenBLAS). So each
file is stripped to a copy, and a stripped copy is kept only if it is smaller and the dynamic
loader still accepts it: every replaced file is dlopen()ed (RTLD_NOW) in a child process from
its place in the bundle (its $ORIGIN run paths resolve to the bundle's libraries); any file
that fails is put back as it was. The smoke test then runs the whole program.

    python packaging/strip_bundle.py dist/ChatGuard/_internal     (chatguard.spec calls main())
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# dlopen()s each path given on stdin, prints the ones that fail
_CHECK = r"""
import ctypes, os, sys
for line in sys.stdin:
    p = line.rstrip("\n")
    try:
        ctypes.CDLL(p, mode=os.RTLD_NOW | os.RTLD_LOCAL)
    except OSError as e:
        print(p + "\t" + str(e).replace("\n", " "))
"""


def _is_elf(p: Path) -> bool:
    try:
        with p.open("rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def _load_failures(paths: list[Path], python: str) -> dict[str, str]:
    if not paths:
        return {}
    out = subprocess.run([python, "-c", _CHECK], input="".join(f"{p}\n" for p in paths),
                         capture_output=True, text=True, check=False).stdout
    return dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)


def strip_tree(internal: Path, python: str = sys.executable, log=print) -> int:
    """Strip every shared object under `internal` that loads as well stripped as before.

    Returns the number of bytes saved."""
    strip = shutil.which("strip")
    if not strip:
        log("strip_bundle: no `strip` on PATH; bundle left unstripped")
        return 0
    candidates = sorted(p for p in internal.rglob("*")
                        if p.is_file() and not p.is_symlink() and ".so" in p.name
                        and not p.name.startswith("libpython") and _is_elf(p))  # libpython: the spec strips it
    # only files that load now can be checked after stripping; the rest stay as they are
    unloadable = _load_failures(candidates, python)
    replaced: list[tuple[Path, Path, int]] = []
    for p in candidates:
        if str(p) in unloadable:
            continue
        tmp = p.with_name(p.name + ".stripped")
        r = subprocess.run([strip, "--strip-unneeded", "-o", str(tmp), str(p)], capture_output=True, check=False)
        before = p.stat().st_size
        if r.returncode != 0 or not tmp.is_file() or tmp.stat().st_size >= before - 4096:
            tmp.unlink(missing_ok=True)
            continue
        backup = p.with_name(p.name + ".unstripped")
        shutil.copy2(p, backup)  # copy, not rename: keeps the inode others may hard-link
        shutil.copymode(p, tmp)
        os.replace(tmp, p)
        replaced.append((p, backup, before))
    failed = _load_failures([p for p, _, _ in replaced], python)
    saved = 0
    for p, backup, before in replaced:
        if str(p) in failed:
            os.replace(backup, p)
            log(f"strip_bundle: kept unstripped (stripped copy does not load): {p.relative_to(internal)}: "
                f"{failed[str(p)][:160]}")
        else:
            backup.unlink()
            saved += before - p.stat().st_size
    log(f"strip_bundle: stripped {len(replaced) - len(failed)} of {len(candidates)} shared objects, "
        f"-{saved / 1e6:.1f} MB ({len(unloadable)} not loadable outside the app, left as they are)")
    return saved


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    strip_tree(Path(args[0]).resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
