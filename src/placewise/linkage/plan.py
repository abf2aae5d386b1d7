"""A linkage model that fits the sources it is given.

A police force, a voluntary group or a second council sends names, dates of birth, sex and
postcodes but no NHS number or UPN; a school sends UPNs; a GP practice NHS numbers. `profile`
counts, in one query over the enclave's people table, how many records carry each identity field;
`plan_for` then compares only the fields that are there, blocks only on them, and trains without
labels on them: the prior from strong identifiers when some records share one, otherwise from exact
name and date of birth; u by random sampling; m by EM over blocks chosen so that every comparison
is estimated in a block that does not block on it. See docs/adr/0012.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

# The fields PEOPLE_SQL (model.py) gives every record, in practitioners' words.
FIELDS = {
    "given_name": "forename",
    "family_name": "surname",
    "date_of_birth": "date of birth",
    "sex": "sex",
    "postcode": "postcode",
    "nhs_number": "NHS number",
    "upn": "UPN",
}
NAMES = ("family_name", "given_name")
STRONG = ("nhs_number", "upn")
# A field on fewer records than this is noise to the model: its u and m values would be estimated
# from a handful of pairs (or none, which is the "math domain error" of issue 13).
PRESENT_SHARE = 0.01
# Recall of the deterministic rules the prior is estimated from: the share of true pairs they find.
# NHS number and UPN: 0.8, as since ADR 0006; the 0.8 clustering threshold was measured with it.
STRONG_RECALL = 0.8
# Exact name, date of birth and postcode: bench/linkage.py's exact-matching baseline finds 0.79 of
# true pairs at default noise and 0.45 at heavy noise (6,000 children). Partner files carry more
# movers and typos than the default, so 0.7; a factor of 1.5 either way moves every pair's weight
# by under 0.6 bits, which the 0.8 threshold and the review queue absorb. Without a postcode the
# rule finds more, so 0.7 understates it and the prior errs towards matching, not away.
NAME_RECALL = 0.7

SWAPPED_DAY_AND_MONTH = (
    "year(date_of_birth_l) = year(date_of_birth_r) "
    "AND month(date_of_birth_l) = day(date_of_birth_r) "
    "AND day(date_of_birth_l) = month(date_of_birth_r)"
)

# Rules for scoring pairs: each is used when every field it names is present, so with all fields
# present these are ADR 0006's rules unchanged. Date of birth alone makes blocks of a hundred or
# more children a day in a region (55 million pairs at 860k records, 228 s to score): each
# date-of-birth rule is narrowed by one more thing most true pairs share. A pair then escapes only
# if it differs in district, surname initial and forename initial at once, and in every other rule
# too. Surname and year of birth alone paired 172 million records at 860k (common surnames):
# narrowed the same way.
PREDICTION_RULES: tuple[tuple[str, ...], ...] = (
    ("date_of_birth", "substr(postcode, 1, 3)"),
    ("date_of_birth", "substr(family_name, 1, 1)"),
    ("date_of_birth", "substr(given_name, 1, 1)"),
    ("nhs_number",),
    ("upn",),
    ("family_name", "year(date_of_birth)", "substr(given_name, 1, 1)"),
    ("family_name", "year(date_of_birth)", "substr(postcode, 1, 3)"),
    ("given_name", "postcode"),
    ("substr(family_name, 1, 3)", "postcode"),
)


class CannotPlan(Exception):
    """The records carry too little to link without labels; the message says what would fix it."""


@dataclass(frozen=True)
class Profile:
    records: int
    share: dict[str, float]  # field → share of records where it is not blank

    @property
    def present(self) -> frozenset[str]:
        return frozenset(f for f, s in self.share.items() if s >= PRESENT_SHARE)


def profile(connection: Any, table: str) -> Profile:
    """How complete each identity field is, in one pass over `table` (a name Splink's people
    table is registered under, never user input). Blank text counts as missing."""
    counts = ", ".join(
        f"count(nullif(trim(CAST({field} AS VARCHAR)), '')) AS {field}" for field in FIELDS
    )
    (row,) = connection.execute(f"SELECT count(*), {counts} FROM {table}").fetchall()  # nosec B608
    records = int(row[0])
    return Profile(
        records=records,
        share={f: (n / records if records else 0.0) for f, n in zip(FIELDS, row[1:], strict=True)},
    )


def _uses(rule: Sequence[str]) -> set[str]:
    """The fields an SQL expression list reads: each expression names one field."""
    return {field for expression in rule for field in FIELDS if field in expression}


@dataclass(frozen=True)
class Plan:
    """What to compare, block on and train on, as field names and SQL expressions (readable in a
    test, and turned into Splink's objects by `settings` and the block methods)."""

    fields: frozenset[str]
    compared: tuple[str, ...]  # "names" for forename and surname together, else field names
    prediction_rules: tuple[tuple[str, ...], ...]
    training_rules: tuple[tuple[str, ...], ...]  # EM, one block at a time
    prior_rules: tuple[tuple[str, ...], ...]
    prior_recall: float
    # When strong identifiers are present but no two records share one, the prior comes from
    # these instead (empty: keep Splink's default, which EM does not need to be exact).
    fallback_prior_rules: tuple[tuple[str, ...], ...]

    def settings(self) -> SettingsCreator:
        return SettingsCreator(
            link_type="dedupe_only",  # one source or several: every record against every other
            comparisons=[_comparison(c, self.fields) for c in self.compared],
            blocking_rules_to_generate_predictions=[*_blocks(self.prediction_rules)],
            retain_matching_columns=False,
            # Gamma (level) columns say how each pair compared, for the review queue; identifiers
            # are not retained (retain_matching_columns) so predictions hold none.
            retain_intermediate_calculation_columns=True,
        )

    def training_blocks(self) -> list[BlockingRuleCreator]:
        return _blocks(self.training_rules)

    def prior_blocks(self) -> list[BlockingRuleCreator]:
        return _blocks(self.prior_rules)

    def fallback_prior_blocks(self) -> list[BlockingRuleCreator]:
        return _blocks(self.fallback_prior_rules)


def _blocks(rules: Sequence[Sequence[str]]) -> list[BlockingRuleCreator]:
    return [block_on(*rule) for rule in rules]


def _comparison(compared: str, fields: frozenset[str]) -> Any:
    if compared == "names":
        # Jaro-Winkler levels on both names; Splink 5 gives the surname-only and forename-only
        # exact levels term-frequency adjustments, so an agreeing rare surname counts for more
        # than an agreeing Smith.
        return cl.ForenameSurnameComparison("given_name", "family_name")
    if compared in NAMES:  # one name only: the same levels on it alone
        return cl.JaroWinklerAtThresholds(compared, [0.92, 0.88]).configure(
            term_frequency_adjustments=True
        )
    if compared == "date_of_birth":
        return cl.CustomComparison(
            output_column_name="date_of_birth",
            comparison_levels=[
                cll.NullLevel("date_of_birth"),
                cll.ExactMatchLevel("date_of_birth"),
                cll.CustomLevel(SWAPPED_DAY_AND_MONTH, label_for_charts="day and month swapped"),
                cll.AbsoluteDateDifferenceLevel(
                    "date_of_birth", input_is_string=False, threshold=1, metric="month"
                ),
                cll.ElseLevel(),
            ],
        )
    if compared == "postcode":
        return cl.PostcodeComparison("postcode")
    return cl.ExactMatch(compared)  # NHS number, UPN, sex


def _missing_message(profile: Profile) -> str:
    if profile.records == 0:
        return "no source records are loaded; load the partners' files first"
    present = [FIELDS[f] for f in FIELDS if f in profile.present]
    carried = ", ".join(present) if present else "no identity fields"
    return (
        f"these sources carry only {carried}; linkage needs at least a name and a date of birth "
        "(or a name and a postcode, NHS number or UPN): map those columns in the sources' "
        "mapping files, or load a source that carries them"
    )


def plan_for(profile: Profile) -> Plan:
    """The comparisons, blocks and training that fit the fields `profile` found."""
    fields = profile.present
    names = tuple(f for f in NAMES if f in fields)
    others = fields & {"date_of_birth", "postcode", *STRONG}
    if profile.records == 0 or not names or not others:
        raise CannotPlan(_missing_message(profile))
    compared = (("names",) if len(names) == 2 else names) + tuple(
        f for f in ("date_of_birth", "postcode", "nhs_number", "upn", "sex") if f in fields
    )
    prediction = tuple(rule for rule in PREDICTION_RULES if _uses(rule) <= fields)
    name_rule = names + tuple(f for f in ("date_of_birth", "postcode") if f in fields)
    strong = tuple((f,) for f in STRONG if f in fields)
    return Plan(
        fields=fields,
        compared=compared,
        prediction_rules=prediction,
        training_rules=_training_rules(compared, names, fields),
        prior_rules=strong or (name_rule,),
        prior_recall=STRONG_RECALL if strong else NAME_RECALL,
        fallback_prior_rules=((name_rule,) if strong and len(name_rule) > len(names) else ()),
    )


def _compares(compared: str) -> set[str]:
    return set(NAMES) if compared == "names" else {compared}


def _training_rules(
    compared: tuple[str, ...], names: tuple[str, ...], fields: frozenset[str]
) -> tuple[tuple[str, ...], ...]:
    """EM blocks, taken in order of preference while some comparison is not yet estimated: EM
    cannot learn m for a field from pairs that were chosen for agreeing on it. Date of birth
    first (it estimates names, postcode and the identifiers), then the names (which estimate
    date of birth): with every field present that is ADR 0006's plan."""
    candidates = [("date_of_birth",), names, ("postcode",), ("nhs_number",), ("upn",)]
    chosen: list[tuple[str, ...]] = []
    estimated: set[str] = set()
    for rule in candidates:
        if not set(rule) <= fields:
            continue
        newly = {c for c in compared if c not in estimated and not _compares(c) & set(rule)}
        if newly:
            chosen.append(rule)
            estimated |= newly
    if estimated != set(compared):
        # Not reached: plan_for asks for a name and one more blockable field, and each of those
        # is estimated in the other's block. Said plainly should the rules above change.
        raise CannotPlan(f"no training blocks estimate {', '.join(set(compared) - estimated)}")
    return tuple(chosen)
