from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).with_name("fixtures")
SAMPLES = ROOT / "desktop" / "samples"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, data and logs of the app go to a temporary folder, never the real user's."""
    home = tmp_path_factory.mktemp("chatguard-home")
    monkeypatch.setenv("CHATGUARD_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def test_analyzer():
    from patterns import Analyzer

    return Analyzer.load(builtin=FIXTURES / "packs" / "good", advice_dir=FIXTURES / "advice")
