"""Each comparison level of the clear-text model, worked by hand: two records, the level the pair
should fall in, and the level Splink's own comparison puts it in, run on DuckDB over the people
table that model.people_sql builds from the enclave's identities (issue 13, item 1)."""

import logging
from typing import Any

import duckdb
import pytest
from splink import DuckDBAPI, Linker

from placewise.linkage import model, plan

COLUMNS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "date_of_birth_as_written",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "upn",
)
# One child as a partner would write her: every identity field filled.
AMY = {
    "given_name": "Amy",
    "family_name": "Smith",
    "date_of_birth": "2015-03-14",
    "date_of_birth_as_written": None,
    "sex": "F",
    "postcode": "NS1 1AA",
    "address": "12 High Street",
    "nhs_number": "9434765919",
    "upn": "A123456789012",
}


def _identities(con: duckdb.DuckDBPyConnection, *records: dict[str, Any]) -> None:
    con.execute(
        "CREATE TABLE identities (token VARCHAR, source VARCHAR, "
        + ", ".join(f"{c} {'DATE' if c == 'date_of_birth' else 'VARCHAR'}" for c in COLUMNS)
        + ")"
    )
    for number, record in enumerate(records):
        con.execute(
            f"INSERT INTO identities VALUES (?, ?, {', '.join('?' * len(COLUMNS))})",
            [f"t{number}", f"source{number}", *(record[c] for c in COLUMNS)],
        )


def level(comparison: str, left: dict[str, Any], right: dict[str, Any]) -> str:
    """The label of the level `comparison` puts the pair (AMY changed by `left`, AMY changed by
    `right`) in, with the model plan.py fits to the two records."""
    con = duckdb.connect()
    _identities(con, AMY | left, AMY | right)
    con.execute("CREATE TABLE people AS " + model.people_sql(as_written=True))
    fitted = plan.plan_for(plan.profile(con, "people"))
    api = DuckDBAPI(con)
    linker = Linker(
        api.register("people", table_name="people_in"), fitted.settings(), log_level=logging.ERROR
    )
    sides = [
        api.register(
            con.sql(f"SELECT * FROM people WHERE unique_id = 't{n}'").to_arrow_table(),
            table_name=f"record_{n}",
        )
        for n in (0, 1)
    ]
    scored = linker.inference.score_pair(*sides).as_record_list()[0]
    (found,) = [c for c in linker._settings_obj.comparisons if c.output_column_name == comparison]
    gamma = scored[f"gamma_{comparison}"]
    (label,) = [
        lv.label_for_charts for lv in found.comparison_levels if lv.comparison_vector_value == gamma
    ]
    return label


NAMES = "given_name_family_name"


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ({}, {"given_name": "AMY"}, "both names exact"),
        # Forename and surname swapped: given_l = family_r and family_l = given_r.
        (
            {},
            {"given_name": "Smith", "family_name": "Amy"},
            "forename and surname swapped",
        ),
        (
            {"given_name": "Jonathan"},
            {"given_name": "Jonathon", "family_name": "Smithe"},
            "both names similar (Jaro-Winkler 0.92)",
        ),
        # Swapped, and one of them mistyped: Jaro-Winkler 0.88 or more across.
        (
            {"given_name": "Bethany", "family_name": "Finlay"},
            {"given_name": "Finlay", "family_name": "Beghany"},
            "forename and surname swapped, similar",
        ),
        ({}, {"given_name": "Zoe"}, "surname exact, forename not"),
        ({}, {"family_name": "Jones"}, "forename exact, surname not"),
        ({}, {"given_name": "Zoe", "family_name": "Jones"}, "All other comparisons"),
    ],
)
def test_names(left, right, expected):
    assert level(NAMES, left, right) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ({}, {}, "exact"),
        # 31 April is not a date: kept as written on both sides, the same digits.
        (
            {"date_of_birth": None, "date_of_birth_as_written": "31/04/2015"},
            {"date_of_birth": None, "date_of_birth_as_written": "31-04-2015"},
            "the same as written (not a real date)",
        ),
        ({"date_of_birth": "2015-03-04"}, {"date_of_birth": "2015-04-03"}, "day and month swapped"),
        # One digit of the year mistyped: a year apart, so not within a month.
        ({}, {"date_of_birth": "2016-03-14"}, "one digit different"),
        # Written 31/04/2015 against a real 30/04/2015: 20150431 and 20150430, one digit apart.
        (
            {"date_of_birth": "2015-04-30"},
            {"date_of_birth": None, "date_of_birth_as_written": "31/04/2015"},
            "one digit different",
        ),
        # 31 March and 2 April: three digits differ, two days apart.
        ({"date_of_birth": "2015-03-31"}, {"date_of_birth": "2015-04-02"}, "within a month"),
        ({}, {"date_of_birth": "2013-09-27"}, "All other comparisons"),
    ],
)
def test_date_of_birth(left, right, expected):
    assert level("date_of_birth", left, right) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ({}, {"postcode": "ns11aa"}, "full postcode"),
        ({}, {"postcode": "NS1 1AB"}, "same sector"),
        ({}, {"postcode": "NS1 2BD"}, "same district"),
        # Not a UK postcode (FEBRL's are Australian): no sector or district, a typo still counts.
        ({"postcode": "2088"}, {"postcode": "2089"}, "one character different"),
        ({"postcode": "2088"}, {"postcode": "3154"}, "All other comparisons"),
        ({}, {"postcode": "LS99 9ZZ"}, "All other comparisons"),
    ],
)
def test_postcode(left, right, expected):
    assert level("postcode", left, right) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ({}, {"address": "12, HIGH STREET"}, "the same first line"),
        ({}, {"address": "Flat 3, 12 High St."}, "same house number, similar street"),
        ({}, {"address": "14 High Street"}, "similar street, another house number"),
        ({}, {"address": "Rose Cottage, Mill Lane"}, "All other comparisons"),
    ],
)
def test_address_is_house_number_aware(left, right, expected):
    assert level("address", left, right) == expected


@pytest.mark.parametrize(
    ("comparison", "right", "expected"),
    [
        ("sex", {}, "Exact match on sex"),
        ("sex", {"sex": "M"}, "All other comparisons"),
        ("nhs_number", {}, "Exact match on nhs_number"),
        ("nhs_number", {"nhs_number": "4010232137"}, "All other comparisons"),
        ("upn", {}, "Exact match on upn"),
        ("upn", {"upn": "B123456789012"}, "All other comparisons"),
    ],
)
def test_exact_fields(comparison, right, expected):
    assert level(comparison, {}, right) == expected


def test_a_field_missing_on_one_side_is_no_evidence():
    assert level("address", {}, {"address": None}) == "address_street is NULL"
    assert (
        level("date_of_birth", {}, {"date_of_birth": None, "date_of_birth_as_written": None})
        == "dob_digits is NULL"
    )
