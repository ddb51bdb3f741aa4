"""CI helper: puts Tesseract's chi_sim, chi_tra and eng (tessdata_fast 4.1.0, the same files
Debian's tesseract-ocr-chi-sim/-chi-tra/-eng 1:4.1.0 install) in a folder for the bundle, and
checks them against packaging/tessdata.sha256. The build then reads them through
CHATGUARD_TESSDATA_SRC. Build time only: the app itself never downloads anything.

    python packaging/fetch_tessdata.py build/tessdata
"""

from __future__ import annotations

import hashlib
import sys
import urllib.request
from pathlib import Path

BASE = "https://github.com/tesseract-ocr/tessdata_fast/raw/4.1.0/"
SUMS = Path(__file__).with_name("tessdata.sha256")


def main() -> int:
    dest = Path(sys.argv[1] if len(sys.argv) > 1 else "build/tessdata")
    dest.mkdir(parents=True, exist_ok=True)
    bad = 0
    for line in SUMS.read_text(encoding="utf-8").splitlines():
        want, name = line.split()
        target = dest / name
        if not target.is_file() or hashlib.sha256(target.read_bytes()).hexdigest() != want:
            with urllib.request.urlopen(BASE + name, timeout=120) as r:  # noqa: S310 (fixed https URL)
                target.write_bytes(r.read())
        got = hashlib.sha256(target.read_bytes()).hexdigest()
        ok = got == want
        bad += not ok
        print(f"{'ok ' if ok else 'BAD'} {name} {target.stat().st_size} bytes sha256 {got}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
