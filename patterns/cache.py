"""A prebuilt form of the built-in pack, so that start-up does not parse it.

Loading the built-in pack means reading ~16 YAML files, parsing ~1,800 regexes and analysing
them for the regex gate, and building the phrase indexes: about 2 s on a slow machine, paid at
every start of the CLI and the window. ``make package`` stores the result (the pack and its
``Matcher``) in one pickle beside the pack files; at start-up it is loaded in ~0.15 s instead.

The cache holds only what is derived from the pack shipped with the app, never a user's pack,
text or screenshot. It is used only when its key matches: the bytes of every built-in pack
file, the Python version, and the compiled code of the ``patterns`` modules (their bytecode,
file names left out, so the same code inside a PyInstaller bundle has the same key). A stale,
missing or unreadable cache is ignored (logged at DEBUG or WARNING), never an error. It is read
only from the built-in pack folder, which is as trusted as the code beside it.

    .venv/bin/python -m patterns.cache [PACK_DIR [OUT]]   # default: patterns/packs/builtin.cache
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import logging
import marshal
import pickle
import sys
import types
from dataclasses import replace
from pathlib import Path
from typing import Any

from .pack import BUILTIN_DIR, Pack, load_pack

log = logging.getLogger(__name__)

CACHE_NAME = "builtin.cache"
_FORMAT = b"chatguard-pack-cache 1\n"
# every module whose classes or behaviour the pickled objects depend on
_MODULES = ("patterns.pack", "patterns.matcher", "patterns.regex_gate", "patterns.hs_gate", "patterns.normalize",
            "patterns.shapes", "patterns.types", "patterns.cache")


def _strip_filenames(code: types.CodeType) -> types.CodeType:
    consts = tuple(_strip_filenames(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename="", co_consts=consts)


def code_digest() -> str | None:
    """Digest of the compiled code of the modules the cache depends on; None when a module's
    code cannot be had (then no cache is used)."""
    h = hashlib.sha256()
    for name in _MODULES:
        mod = sys.modules.get(name) or importlib.import_module(name)
        loader = getattr(mod.__spec__, "loader", None)
        get_code = getattr(loader, "get_code", None)
        if get_code is None:
            return None
        try:
            code = get_code(name)
        except Exception:  # noqa: BLE001 - any failure only means "no cache"
            return None
        if code is None:
            return None
        h.update(name.encode() + b"\0" + marshal.dumps(_strip_filenames(code)))
    return h.hexdigest()


def cache_key(folder: Path = BUILTIN_DIR) -> bytes | None:
    code = code_digest()
    if code is None:
        return None
    h = hashlib.sha256(_FORMAT)
    h.update(f"{sys.version_info[0]}.{sys.version_info[1]} {pickle.HIGHEST_PROTOCOL}\n".encode())
    h.update(code.encode())
    for path in sorted(Path(folder).glob("*.yaml")):
        if path.is_file():
            data = path.read_bytes()
            h.update(f"\n{path.name} {len(data)}\n".encode() + data)
    return h.hexdigest().encode("ascii")


def build(folder: Path = BUILTIN_DIR, out: Path | None = None) -> Path:
    """Load the built-in pack the normal way (every check on) and write the cache."""
    from .matcher import Matcher

    folder = Path(folder)
    out = Path(out) if out is not None else folder / CACHE_NAME
    key = cache_key(folder)
    if key is None:
        raise RuntimeError("the patterns modules' code is not available: no cache can be keyed")
    pack = load_pack(folder)  # trusted=False: the full regex safety walks, as the tests do
    matcher = Matcher(pack.rules)
    # the native regex gate (hs_gate.py): ~20 s to compile, so it is built here, once
    why = matcher.build_native_gate()
    if why is not None:
        log.warning("pack cache: without the Hyperscan regex gate (%s)", why)
    blob = pickle.dumps((pack, matcher), protocol=pickle.HIGHEST_PROTOCOL)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(_FORMAT + key + b"\n" + blob)
    tmp.replace(out)
    return out


def load(folder: Path = BUILTIN_DIR) -> tuple[Pack, Any] | None:
    """(pack, matcher) from the cache beside the built-in pack, or None when there is none or
    it does not match this pack and this code."""
    path = Path(folder) / CACHE_NAME
    try:
        with path.open("rb") as fh:
            head = fh.readline()
            stored = fh.readline().rstrip(b"\n")
            if head != _FORMAT:
                log.debug("pack cache %s: unknown format", path)
                return None
            key = cache_key(folder)
            if key is None or stored != key:
                log.debug("pack cache %s is stale (pack or code changed): not used", path)
                return None
            blob = fh.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("pack cache %s unreadable (%s): the pack is loaded from its files", path, exc)
        return None
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the collector would triple the load time
    try:
        pack, matcher = pickle.loads(blob)
    except Exception as exc:  # noqa: BLE001 - a damaged cache only costs start-up time
        log.warning("pack cache %s damaged (%s): the pack is loaded from its files", path, type(exc).__name__)
        return None
    finally:
        if enabled:
            gc.enable()
    if not isinstance(pack, Pack):
        log.warning("pack cache %s holds something else: not used", path)
        return None
    # the files as they are here, not where the cache was built
    pack = replace(pack, files=tuple(str(Path(folder) / Path(f).name) for f in pack.files))
    log.info("built-in pack %s %s loaded from its start-up cache", pack.id, pack.version)
    return pack, matcher


if __name__ == "__main__":  # pragma: no cover - exercised by make package and the tests
    args = sys.argv[1:]
    print(build(Path(args[0]) if args else BUILTIN_DIR, Path(args[1]) if len(args) > 1 else None))
