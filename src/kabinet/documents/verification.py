"""The public signature check: a code and, optionally, a file → whether the signature is valid.

Both files verify: the version that was signed (its SHA-256 is in the signature) and the stamped
copy handed out after signing (its SHA-256 is kept beside it). Any other file does not."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kabinet.documents.models import Signature, Status
from kabinet.documents.selectors import signature_find


@dataclass(frozen=True)
class Verification:
    signature: Signature | None
    file_checked: bool = False
    file_matches: bool = False
    which: str = ""  # "original" or "stamped"

    @property
    def found(self) -> bool:
        return self.signature is not None

    @property
    def valid(self) -> bool:
        """Found, the document not re-sent since, and (when a file was given) the file matches."""
        if self.signature is None:
            return False
        return self.file_matches or not self.file_checked

    @property
    def superseded(self) -> bool:
        document = self.signature.document if self.signature else None
        return bool(document and document.status != Status.SIGNED)


def signature_verify(*, code: str, file_bytes: bytes | None = None) -> Verification:
    signature = signature_find(code)
    if signature is None:
        return Verification(None)
    if file_bytes is None:
        return Verification(signature)
    digest = hashlib.sha256(file_bytes).hexdigest()
    if digest == signature.sha256:
        return Verification(signature, True, True, "original")
    if signature.stamped_sha256 and digest == signature.stamped_sha256:
        return Verification(signature, True, True, "stamped")
    return Verification(signature, True, False)
