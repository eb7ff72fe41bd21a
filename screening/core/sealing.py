"""Keys derived from the secret key, one per purpose, for authenticated encryption (Fernet:
AES-128-CBC with an HMAC-SHA256, carrying its own timestamp).

A purpose names what the key seals ("screening drafts", "screening totp"), so a value sealed
for one use cannot be opened as another. Changing the secret key makes every sealed value
unreadable: drafts in progress, and clinicians' two-factor secrets (they enrol again).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["Fernet", "InvalidToken", "fernet"]


def fernet(secret_key: str, purpose: str) -> Fernet:
    """The Fernet for one purpose: its key is HKDF-SHA256 of the secret key, with the purpose
    as HKDF's info."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))
