"""Rotating the Django secret key, which signs sessions, password-reset and invitation links and
messages. The old key moves to SECRET_KEY_FALLBACKS, so people stay signed in and links sent
stay good; `retire-old` drops it once they have expired (docs/operating.md)."""

import os
import secrets
from pathlib import Path

from django.conf import settings

KEY = "django_secret_key"
FALLBACKS = "django_secret_key_fallbacks"
VARIABLES = ("PLACEWISE_SECRET_KEY", "PLACEWISE_SECRET_KEY_FALLBACKS")


class SecretKeyRefused(Exception):
    """A rotation this command cannot make, with the reason."""


def _folder() -> Path:
    return Path(settings.PLACEWISE_HOME) / "secrets"


def _write(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.new")
    partial.write_text(text)
    partial.chmod(0o600)
    os.replace(partial, path)


def _refuse_environment() -> None:
    if given := [v for v in VARIABLES if os.environ.get(v)]:
        raise SecretKeyRefused(
            f"{' and '.join(given)} set in the environment: rotate it there (the old key "
            "appended to PLACEWISE_SECRET_KEY_FALLBACKS, comma-separated), then restart"
        )


def rotate() -> int:
    """A new key in the home; the current one first among the fallbacks. Returns how many
    older keys are now accepted."""
    _refuse_environment()
    kept = [str(settings.SECRET_KEY), *settings.SECRET_KEY_FALLBACKS]
    _folder().mkdir(mode=0o700, exist_ok=True)
    _write(_folder() / FALLBACKS, "\n".join(kept) + "\n")
    _write(_folder() / KEY, secrets.token_hex(32))
    return len(kept)


def retire_old() -> int:
    """Accept no key but the current one. Returns how many were dropped."""
    _refuse_environment()
    dropped = len(settings.SECRET_KEY_FALLBACKS)
    (_folder() / FALLBACKS).unlink(missing_ok=True)
    return dropped
