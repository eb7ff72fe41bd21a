"""Loading a bank: the model, then the checks of the whole bank, with file:line problems."""

from __future__ import annotations

from pathlib import Path

from .bank import Bank
from .checks import check
from .source import load_model


def load_bank(path: Path | str) -> Bank:
    """Read and validate a bank file; raise SourceError naming file, line and id."""
    return load_model(path, Bank, check, kind="bank")
