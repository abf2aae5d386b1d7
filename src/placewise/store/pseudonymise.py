"""Keyed tokens for source records: the same record always gets the same token in this place, and
nobody without the place secret can compute one from an identifier. Person keys are keyed with
the same secret, so re-keying the place (operations/rekey.py) recomputes both."""

import hashlib
import hmac


class Tokeniser:
    def __init__(self, secret: str) -> None:
        self._key = secret.encode()
        self._secret = secret
        self._cache: dict[tuple[str, str], str] = {}

    def token(self, source: str, record_id: str) -> str:
        key = (source, record_id)
        found = self._cache.get(key)
        if found is None:
            message = f"{source}\x1f{record_id}".encode()
            found = hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]
            self._cache[key] = found
        return found

    def person_key(self, cluster_id: str) -> str:
        """The key linkage gives the person a cluster of records stands for (linkage/run.py uses
        this one definition), keyed so that it reveals nothing about the tokens in it."""
        digest = hashlib.sha256(f"{self._secret}\x1fperson\x1f{cluster_id}".encode())
        return f"PK{digest.hexdigest()[:20]}"


def fingerprint(secret: str) -> str:
    """A short name for a secret that reveals nothing of it: for the audit log and the journal."""
    return hashlib.sha256(f"placewise secret fingerprint\x1f{secret}".encode()).hexdigest()[:16]
