"""Where the project's shared measuring data lives (../shared beside the repository, or $ACCORDS_SHARED).

Its texts belong to their publishers: tests read them at run time and never copy them.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ACCORDS_SHARED", ROOT.parent / "shared"))
EXAMPLE_TXT = SHARED / "examples" / "kazakhstan-abraham-accords.txt"
EXAMPLE_GOLD = SHARED / "examples" / "kazakhstan-abraham-accords.gold.jsonl"
DEV = SHARED / "evalset" / "dev.jsonl"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not present (set ACCORDS_SHARED to the shared folder)")
    return path
