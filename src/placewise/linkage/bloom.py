"""Privacy-preserving linkage keys, for an agency that will not send identifiers even to the enclave.

The agency runs `placewise encode` on its own machine with a secret it shares with the enclave
(and with no one else). Names become Bloom filters of their letter pairs (Schnell, Bachteler and
Reiher's cryptographic long-term keys, as `clkhash` makes them): two spellings that share most
letter pairs share most bits, so typos still match by the Dice coefficient of the filters, which
keyed hashing alone cannot do. Dates of birth, postcodes and NHS numbers / UPNs, where agreement is
exact or on a part, become keyed hashes of those parts. Without the secret none of this can be
reversed by a dictionary attack on the hash; with it, Bloom filters of short names are still open to
frequency attacks, which is why the secret never leaves the agencies and the enclave (ADR 0008).
"""

import base64
import hashlib
import hmac
import json
import re
from datetime import date

FILTER_BITS = 1024
HASHES_PER_BIGRAM = 10
VERSION = "bloom-v1"

# The encoded fields, in the order `placewise encode` writes them.
BLOOM_FIELDS = ("given_name_bf", "family_name_bf")
KEY_FIELDS = (
    "given_name_key",
    "family_name_prefix_key",
    "dob_key",
    "dob_swap_key",
    "birth_year_key",
    "postcode_key",
    "postcode_sector_key",
    "postcode_district_key",
    "nhs_number_key",
    "upn_key",
)


def _name(value: str | None) -> str | None:
    cleaned = re.sub(r"[^a-z]", "", (value or "").lower())
    return cleaned or None


def bigrams(value: str) -> list[str]:
    padded = f" {value} "
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def bloom_filter(value: str, *, secret: bytes, field: str) -> bytes:
    """The field's Bloom filter: each letter pair sets HASHES_PER_BIGRAM bits chosen by double
    hashing with two keys derived from the secret and the field name."""
    key1 = hmac.new(secret, f"{field}\x1f1".encode(), hashlib.sha256).digest()
    key2 = hmac.new(secret, f"{field}\x1f2".encode(), hashlib.sha256).digest()
    bits = bytearray(FILTER_BITS // 8)
    for gram in bigrams(value):
        h1 = int.from_bytes(hmac.new(key1, gram.encode(), hashlib.sha256).digest()[:8], "big")
        h2 = int.from_bytes(hmac.new(key2, gram.encode(), hashlib.sha256).digest()[:8], "big")
        for i in range(HASHES_PER_BIGRAM):
            position = (h1 + i * h2) % FILTER_BITS
            bits[position // 8] |= 1 << (7 - position % 8)
    return bytes(bits)


def keyed(value: str | None, *, secret: bytes, field: str) -> str | None:
    if not value:
        return None
    return hmac.new(secret, f"{field}\x1f{value}".encode(), hashlib.sha256).hexdigest()[:32]


def encode_identity(
    *,
    given_name: str | None,
    family_name: str | None,
    date_of_birth: date | None,
    postcode: str | None,
    nhs_number: str | None,
    upn: str | None,
    secret: bytes,
) -> dict[str, str | None]:
    """Every encoded field for one person's identifiers (None where the identifier is missing)."""
    given, family = _name(given_name), _name(family_name)
    code = re.sub(r"\s", "", (postcode or "").upper()) or None
    encoded: dict[str, str | None] = {
        "given_name_bf": _b64(bloom_filter(given, secret=secret, field="given")) if given else None,
        "family_name_bf": _b64(bloom_filter(family, secret=secret, field="family"))
        if family
        else None,
        "given_name_key": keyed(given, secret=secret, field="given"),
        "family_name_prefix_key": keyed(family[:3] if family else None, secret=secret, field="f3"),
        "dob_key": keyed(
            date_of_birth.isoformat() if date_of_birth else None, secret=secret, field="dob"
        ),
        # Day and month in either order: a swapped date of birth agrees on this key.
        "dob_swap_key": keyed(
            f"{date_of_birth.year}:{sorted((date_of_birth.day, date_of_birth.month))}"
            if date_of_birth
            else None,
            secret=secret,
            field="dobswap",
        ),
        "birth_year_key": keyed(
            str(date_of_birth.year) if date_of_birth else None, secret=secret, field="year"
        ),
        "postcode_key": keyed(code, secret=secret, field="postcode"),
        # The inward code's first digit makes the sector (AB1 2CD → AB1 2); the outward code the
        # district (AB1).
        "postcode_sector_key": keyed(
            code[:-2] if code and len(code) > 4 else None, secret=secret, field="sector"
        ),
        "postcode_district_key": keyed(
            code[:-3] if code and len(code) > 4 else None, secret=secret, field="district"
        ),
        "nhs_number_key": keyed(re.sub(r"\s", "", nhs_number or ""), secret=secret, field="nhs"),
        "upn_key": keyed((upn or "").strip().upper(), secret=secret, field="upn"),
    }
    return encoded


def serialise(encoded: dict[str, str | None]) -> str:
    return json.dumps({"v": VERSION, **encoded}, sort_keys=True, separators=(",", ":"))


def as_bits(b64: str | None) -> str | None:
    """A filter as the '0'/'1' text DuckDB casts to its BIT type, for Dice in SQL."""
    if b64 is None:
        return None
    return "".join(f"{byte:08b}" for byte in base64.b64decode(b64))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def dice(a: bytes, b: bytes) -> float:
    both = sum(bin(x & y).count("1") for x, y in zip(a, b, strict=True))
    total = sum(bin(x).count("1") for x in a) + sum(bin(y).count("1") for y in b)
    return 2 * both / total if total else 0.0
