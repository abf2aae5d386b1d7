"""The comparison levels of the clear-text model, one builder per identity field.

Each field is compared only when the records carry it (plan.py decides), and a level that needs a
column derived inside the enclave (model.people_sql: the date of birth as digits, the house number
and street of the first address line) is used only when the people table has that column, so a
hand-built table in a test gets the levels its columns allow. Levels run from the strongest
evidence to the weakest; Splink puts each pair in the first level it meets.
"""

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import ColumnExpression
from splink.internals.comparison_level_creator import ComparisonLevelCreator

SWAPPED_DAY_AND_MONTH = (
    "year(date_of_birth_l) = year(date_of_birth_r) "
    "AND month(date_of_birth_l) = day(date_of_birth_r) "
    "AND day(date_of_birth_l) = month(date_of_birth_r)"
)
# Postcodes reach the model upper-cased without spaces (model.people_sql). A UK postcode's inward
# part is a digit and two letters, so the sector is all but its last two characters and the
# district all but its last three. Splink's PostcodeComparison expects the space and, on a
# postcode with none, took "NS11" for the district of NS1 1AA; on a non-UK code (FEBRL's
# Australian four digits) these patterns match nothing, and Splink's regex extraction gives NULL,
# which agrees with nothing.
SECTOR = "^([A-Z]{1,2}[0-9][A-Z0-9]?[0-9])[A-Z][A-Z]$"
DISTRICT = "^([A-Z]{1,2}[0-9][A-Z0-9]?)[0-9][A-Z][A-Z]$"
# Jaro-Winkler similarity at which two spellings of a street are taken as the same street:
# Splink's name threshold, which "high st" / "high street" and one-letter typos pass.
STREET_SIMILAR = 0.88
SWAPPED_SIMILAR = 0.88
NAME_LABELS = (
    "both names exact",
    "forename and surname swapped",
    "both names similar (Jaro-Winkler 0.92)",
    "both names similar (Jaro-Winkler 0.88)",
    "forename and surname swapped, similar",
    "surname exact, forename not",
    "forename exact, surname not",
)


class _SwappedAndSimilar(ComparisonLevelCreator):
    """Forename and surname written the other way round, each within Jaro-Winkler 0.88 of the
    other record's (a swap and a typo: FEBRL's "finlay beghany" and "bethany finlay"). Built with
    the dialect's own Jaro-Winkler function, as Splink's levels are, so it runs on Spark too."""

    def create_sql(self, sql_dialect: Any) -> str:
        jw = sql_dialect.jaro_winkler_function_name
        return (
            f"{jw}(given_name_l, family_name_r) >= {SWAPPED_SIMILAR} "
            f"AND {jw}(family_name_l, given_name_r) >= {SWAPPED_SIMILAR}"
        )

    def create_label_for_charts(self) -> str:
        return "forename and surname swapped, similar"


def names() -> Any:
    """Forename and surname together: Splink's ForenameSurnameComparison (exact on both;
    swapped exactly, given_l = family_r and family_l = given_r; Jaro-Winkler on both at 0.92 and
    0.88; surname only and forename only exact with term-frequency adjustments, so an agreeing
    rare surname counts for more than an agreeing Smith; else), with swapped-and-similar added
    after the Jaro-Winkler levels."""
    levels: list[Any] = [
        *cl.ForenameSurnameComparison("given_name", "family_name").create_comparison_levels()
    ]
    # After the null, exact, swapped and two Jaro-Winkler levels; before the one-name levels.
    levels.insert(5, _SwappedAndSimilar())
    # Labels an analyst reads on the Linkage page and in `placewise link`'s table.
    for index, label in enumerate(NAME_LABELS, start=1):
        levels[index] = levels[index].configure(label_for_charts=label)
    return cl.CustomComparison(
        output_column_name="given_name_family_name", comparison_levels=levels
    )


def one_name(field: str) -> Any:
    """One name only (a file with a surname and no forename): the same levels on it alone."""
    return cl.JaroWinklerAtThresholds(field, [0.92, 0.88]).configure(
        term_frequency_adjustments=True
    )


def date_of_birth(columns: frozenset[str], *, as_written: bool) -> Any:
    """Exact; the same as written (when some records carry a date that is not a real date, e.g.
    31/04/2015, kept as written); day and month swapped; one digit apart (a typo: Damerau-
    Levenshtein 1 on YYYYMMDD, so a real date and a written one compare too); within a month;
    else. Without the digits column (a hand-built table) the digit levels are left out."""
    digits = "dob_digits" in columns
    levels: list[Any] = [
        cll.NullLevel("dob_digits") if digits else cll.NullLevel("date_of_birth"),
        cll.ExactMatchLevel("date_of_birth").configure(label_for_charts="exact"),
    ]
    if digits and as_written:
        levels.append(
            cll.ExactMatchLevel("dob_digits").configure(
                label_for_charts="the same as written (not a real date)"
            )
        )
    levels.append(cll.CustomLevel(SWAPPED_DAY_AND_MONTH, label_for_charts="day and month swapped"))
    if digits:
        levels.append(
            cll.DamerauLevenshteinLevel("dob_digits", 1).configure(
                label_for_charts="one digit different"
            )
        )
    levels += [
        cll.AbsoluteDateDifferenceLevel(
            "date_of_birth", input_is_string=False, threshold=1, metric="month"
        ).configure(label_for_charts="within a month"),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(output_column_name="date_of_birth", comparison_levels=levels)


def postcode() -> Any:
    """Full postcode; sector; district (UK postcodes only); one character different; else."""
    column = ColumnExpression("postcode")
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            cll.NullLevel("postcode"),
            cll.ExactMatchLevel("postcode").configure(label_for_charts="full postcode"),
            cll.ExactMatchLevel(column.regex_extract(SECTOR, 1)).configure(
                label_for_charts="same sector"
            ),
            cll.ExactMatchLevel(column.regex_extract(DISTRICT, 1)).configure(
                label_for_charts="same district"
            ),
            cll.DamerauLevenshteinLevel("postcode", 1).configure(
                label_for_charts="one character different"
            ),
            cll.ElseLevel(),
        ],
    )


def address() -> Any:
    """The first line of the address, house-number aware: the same line; the same house number
    on a similar street; a similar street with another (or no) house number, which is weaker
    evidence (a neighbour, or a family that moved along the road); else."""
    return cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            # A line with no street ("21", a house number alone) says too little to count
            # against a match: it is missing, like an empty line.
            cll.NullLevel("address_street"),
            cll.ExactMatchLevel("address").configure(label_for_charts="the same first line"),
            cll.And(
                cll.ExactMatchLevel("address_number"),
                cll.JaroWinklerLevel("address_street", STREET_SIMILAR),
            ).configure(label_for_charts="same house number, similar street"),
            cll.JaroWinklerLevel("address_street", STREET_SIMILAR).configure(
                label_for_charts="similar street, another house number"
            ),
            cll.ElseLevel(),
        ],
    )


def exact(field: str) -> Any:
    """NHS number, UPN, sex: they agree or they do not."""
    return cl.ExactMatch(field)


def for_field(compared: str, columns: frozenset[str], *, as_written: bool) -> Any:
    """The comparison for one entry of a plan's `compared`."""
    if compared == "names":
        return names()
    if compared in ("family_name", "given_name"):
        return one_name(compared)
    if compared == "date_of_birth":
        return date_of_birth(columns, as_written=as_written)
    if compared == "postcode":
        return postcode()
    if compared == "address":
        return address()
    return exact(compared)
