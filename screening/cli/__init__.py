"""Thin command lines over the library: `screening bank …` (core only) and the `flask clinician`,
`purge` and `backup` commands (storage)."""

from .bank import main

__all__ = ["main"]
