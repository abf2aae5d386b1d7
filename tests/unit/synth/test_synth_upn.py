"""Synthetic UPNs carry the DfE's check letter, so loading a synthetic place warns about none."""

import csv
import random
import re

import pytest

from placewise.sources.identity_checks import upn_is_valid
from placewise.synth.people import UPN_CHECK_LETTERS, upn_check_letter
from placewise.synth.place import generate


# The DfE CIN validator's own examples for rule 1510 (cin_validator, rule_1510.test_validate).
@pytest.mark.parametrize(
    ("upn", "valid"),
    [
        ("A950000178301", True),
        ("H243278544154", True),
        ("X845212818005", True),
        ("R247962919251", False),
        ("X428558133462", False),
    ],
)
def test_the_check_letter_agrees_with_the_dfe_examples(upn, valid):
    assert (upn_check_letter(upn[1:]) == upn[0]) is valid
    assert upn_is_valid(upn) is valid


def test_the_synths_check_letter_is_the_one_the_product_accepts():
    rng = random.Random(0)
    for _ in range(500):
        digits = "".join(str(rng.randrange(10)) for _ in range(12))
        right = upn_check_letter(digits)
        assert upn_is_valid(right + digits)
        assert not any(
            upn_is_valid(other + digits) for other in UPN_CHECK_LETTERS if other != right
        )


@pytest.mark.parametrize("digits", ["12345678901", "1234567890123", "12345678901A"])
def test_only_twelve_digits_have_a_check_letter_here(digits):
    with pytest.raises(ValueError):
        upn_check_letter(digits)


def test_every_upn_a_synthetic_place_writes_has_a_valid_check_letter(tmp_path):
    generate(tmp_path, children=300, years=2, seed=5)
    upns: dict[str, list[str]] = {}
    for path in sorted(tmp_path.rglob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            found = [row["UPN"] for row in csv.DictReader(handle) if row.get("UPN")]
        if found:
            upns[path.name] = found
    census = (tmp_path / "council" / "cin_census.xml").read_text(encoding="utf-8")
    upns["cin_census.xml"] = re.findall(r"<UPN>([^<]*)</UPN>", census)
    for name in ("case_system_people.csv", "schools_attendance.csv", "cin_census.xml"):
        assert upns.get(name), f"{name} carries UPNs"
    assert {name: [u for u in found if not upn_is_valid(u)] for name, found in upns.items()} == {
        name: [] for name in upns
    }
