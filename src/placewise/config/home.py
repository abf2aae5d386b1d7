"""Where a place keeps its state: PLACEWISE_HOME holds databases, DuckDB files, uploads and secrets.

Two places never mix because each has its own home. Secrets are created on first use and kept in the
home, readable only by the owner, unless the environment supplies them.
"""

import os
import secrets
from pathlib import Path


def home() -> Path:
    """The place's home directory, created if missing."""
    path = Path(os.environ.get("PLACEWISE_HOME", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret(name: str, env: str) -> str:
    """A secret from the environment, or one generated once and kept in the home."""
    if value := os.environ.get(env):
        return value
    path = home() / "secrets" / name
    if not path.exists():
        path.parent.mkdir(mode=0o700, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def fallbacks_of_secret(name: str, env: str) -> list[str]:
    """Secrets rotated out but still accepted: comma-separated in the environment, or one a line
    in the home (written by `placewise secret-key rotate`). None unless rotated."""
    if value := os.environ.get(env):
        return [v.strip() for v in value.split(",") if v.strip()]
    path = home() / "secrets" / name
    return (
        [line.strip() for line in path.read_text().splitlines() if line.strip()]
        if path.exists()
        else []
    )
