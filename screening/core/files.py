"""Files the app writes are its owner's alone: folders 0700, files 0600, whatever the umask.

The database and its -wal and -shm files, backups and the development secret key all hold
health data or what protects it.
"""

from __future__ import annotations

import os
from pathlib import Path


def private_folder(path: Path) -> None:
    """Create a folder (and its parents) that only its owner can enter, whatever the umask."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700)
        path.chmod(0o700)  # mkdir's mode is filtered by the umask; chmod is not


def private_file(path: Path) -> None:
    """Create a file, if it is missing, that only its owner can read or write, and tighten one
    that exists (from before this rule); whatever the umask."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    path.chmod(0o600)
