"""Keyed tokens for source records: the same record always gets the same token in this place, and
nobody without the place secret can compute one from an identifier. Person keys are keyed with
the same secret, so re-keying the place (operations/rekey.py) recomputes both."""

import hashlib
import hmac
import os
from pathlib import Path

from django.conf import settings

# Where the place secret comes from when the environment gives it (config/home.py).
VARIABLE = "PLACEWISE_PLACE_SECRET"
# The folder in the home of a re-keying not yet settled (operations/rekey.py).
JOURNAL = "rekeying"


class SecretChanged(Exception):
    """The place secret in the home is no longer the one this process started with: a re-keying
    ran while it was running. Tokens it made now would match nothing the stores hold."""


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


def secret_file() -> Path:
    return Path(settings.PLACEWISE_HOME) / "secrets" / "place_secret"


def check_still_in_use() -> None:
    """Refuse, saying to restart, when the home's place secret is not the one this process uses.

    A server or worker reads the secret once, when it starts. `placewise rekey` run beside it
    replaces the secret and re-keys every token held; a load or linkage run in that old process
    would then write tokens and person keys under the retired secret, which match nobody. Called
    under the load lock, which re-keying holds throughout, so the answer stands until released.
    A secret from the environment cannot be re-keyed (rekey refuses it), nor a missing file be
    one that replaced ours: neither is checked. A re-keying a crash interrupted is refused too,
    until settled: past its commit point the opt-out register may still hold old tokens, and a
    load checked against it would load people who opted out.
    """
    if (Path(settings.PLACEWISE_HOME) / JOURNAL).exists():
        raise SecretChanged(
            "a re-keying of the place secret was interrupted and is not settled yet: nothing "
            "was written. Start placewise serve, or run placewise rekey, which settle it first."
        )
    if os.environ.get(VARIABLE):
        return
    try:
        kept = secret_file().read_text().strip()
    except FileNotFoundError:
        return
    if kept != str(settings.PLACE_SECRET):
        raise SecretChanged(
            "the place secret was changed (re-keyed) after this process started, so what it "
            "would write could not be linked to anything: nothing was written. Restart "
            "placewise serve and any placewise worker, then try again."
        )
