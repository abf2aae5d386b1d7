"""Keyed tokens for source records: the same record always gets the same token in this place, and
nobody without the place secret can compute one from an identifier."""

import hashlib
import hmac


class Tokeniser:
    def __init__(self, secret: str) -> None:
        self._key = secret.encode()
        self._cache: dict[tuple[str, str], str] = {}

    def token(self, source: str, record_id: str) -> str:
        key = (source, record_id)
        found = self._cache.get(key)
        if found is None:
            message = f"{source}\x1f{record_id}".encode()
            found = hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]
            self._cache[key] = found
        return found
