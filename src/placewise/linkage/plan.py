"""A linkage model that fits the sources it is given.

A police force, a voluntary group or a second council sends names, dates of birth, sex and
postcodes but no NHS number or UPN; a school sends UPNs; a GP practice NHS numbers. `profile`
counts, in one query over the enclave's people table, how many records carry each identity field;
`plan_for` then compares only the fields that are there, blocks only on them, and trains without
labels on them: the prior from strong identifiers when some records share one, otherwise from exact
name and date of birth; u by random sampling; m by EM over blocks chosen so that every comparison
is estimated in a block that does not block on it. See docs/adr/0012. The profile also counts the
pairs each wide blocking rule would make, so small files are blocked as widely as they can afford,
and the levels compared are comparisons.py's (docs/adr/0015).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from placewise.linkage import comparisons

# The fields model.people_sql gives every record, in practitioners' words.
FIELDS = {
    "given_name": "forename",
    "family_name": "surname",
    "date_of_birth": "date of birth",
    "sex": "sex",
    "postcode": "postcode",
    "nhs_number": "NHS number",
    "upn": "UPN",
    "address": "address",
    # A date of birth that is not a real date (31/04/2015), kept as written: evidence for the
    # date of birth comparison, never a field compared or blocked on by itself.
    "date_of_birth_as_written": "date of birth as written",
}
AS_WRITTEN = "date_of_birth_as_written"
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

# Wider rules, each on its own a block Splink's examples use on small files: one field agreeing
# (a date of birth, written or real; a postcode; both names; a house on a street). On a region
# they pair tens of millions of records, on a council's or a partner's file a few thousand, and
# they find the pairs whose other fields are all mistyped (FEBRL's, a mover with a misspelt name).
# So each is counted (profile) and taken, in this order, while the pairs they add stay within
# BROAD_PAIRS_PER_RECORD per record: the model sizes its blocking to the data, not to a bench.
BROAD_RULES: tuple[tuple[str, ...], ...] = (
    ("dob_digits",),
    ("postcode",),
    ("given_name", "family_name"),
    ("address_number", "address_street"),
    # A name alone: the pairs whose date of birth, postcode and other name were all changed
    # (FEBRL4's last misses); only a partner's or a small council's file can afford them.
    ("given_name",),
    ("family_name",),
)
SWAPPED_NAMES = CustomRule("l.given_name = r.family_name AND l.family_name = r.given_name")
# 5 per record: at a million records at most five million more pairs to score (about 20 s on two
# cores, by ADR 0006's 55 million in 228 s); at FEBRL's 10,000 all six rules fit.
BROAD_PAIRS_PER_RECORD = 5
# Below a million pairs (a few seconds to score) the cost does not matter: a small place's or a
# partner's file takes every rule.
BROAD_PAIRS_AT_LEAST = 1_000_000


class CannotPlan(Exception):
    """The records carry too little to link without labels; the message says what would fix it."""


@dataclass(frozen=True)
class Profile:
    records: int
    share: dict[str, float]  # field → share of records where it is not blank (fields in the table)
    # Every column of the people table, derived ones too (model.people_sql): which comparison
    # levels the table allows.
    columns: frozenset[str] = frozenset()
    # Pairs each of BROAD_RULES would make (those whose columns the table has).
    broad_pairs: dict[tuple[str, ...], int] = field(default_factory=dict)

    @property
    def present(self) -> frozenset[str]:
        share = dict(self.share)
        # A date kept as written is a date of birth too (its comparison reads both).
        share["date_of_birth"] = share.get("date_of_birth", 0.0) + share.pop(AS_WRITTEN, 0.0)
        return frozenset(f for f, s in share.items() if s >= PRESENT_SHARE and f in self.share)

    @property
    def as_written(self) -> bool:
        """Some records carry a date of birth that is not a real date. A typo is rare by nature,
        so any at all earns the as-written level (PRESENT_SHARE is for fields compared alone)."""
        return self.share.get(AS_WRITTEN, 0.0) > 0


def profile(connection: Any, table: str) -> Profile:
    """How complete each identity field is, in one pass over `table` (a name Splink's people
    table is registered under, never user input), and the pairs each of BROAD_RULES would make
    (one grouping each). Blank text counts as missing; a field the table has no column for is not
    counted (a store from before it existed)."""
    description = connection.execute(f"SELECT * FROM {table} LIMIT 0").description  # nosec B608
    columns = frozenset(d[0] for d in description)
    counted = [f for f in FIELDS if f in columns]
    counts = "".join(
        f", count(nullif(trim(CAST({field} AS VARCHAR)), '')) AS {field}" for field in counted
    )
    (row,) = connection.execute(f"SELECT count(*){counts} FROM {table}").fetchall()  # nosec B608
    records = int(row[0])
    return Profile(
        records=records,
        share={f: (n / records if records else 0.0) for f, n in zip(counted, row[1:], strict=True)},
        columns=columns,
        broad_pairs={
            rule: _pairs(connection, table, rule) for rule in BROAD_RULES if set(rule) <= columns
        },
    )


def _pairs(connection: Any, table: str, rule: tuple[str, ...]) -> int:
    """How many pairs blocking on `rule` (column names from BROAD_RULES) makes: n(n - 1) / 2
    over the records sharing each value."""
    keys = ", ".join(rule)
    present = " AND ".join(f"{c} IS NOT NULL" for c in rule)
    (row,) = connection.execute(
        f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM ("  # nosec B608 - constant names
        f"SELECT count(*) AS n FROM {table} WHERE {present} GROUP BY {keys})"
    ).fetchall()
    return int(row[0])


def describe(rules: Sequence[Sequence[str]]) -> str:
    """Deterministic rules in words, as the run states its prior: "the same NHS number or UPN",
    "the same forename, surname and date of birth"."""
    if all(len(rule) == 1 for rule in rules):
        return "the same " + " or ".join(FIELDS[rule[0]] for rule in rules)
    (rule,) = rules
    words = [FIELDS[f] for f in rule]
    return "the same " + ", ".join(words[:-1]) + " and " + words[-1]


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
    # The people table's columns and whether some dates of birth are kept as written: which
    # comparison levels to build (comparisons.py).
    columns: frozenset[str] = frozenset()
    as_written: bool = False
    # BROAD_RULES the data can afford, scored beside prediction_rules.
    broad_rules: tuple[tuple[str, ...], ...] = ()
    # Share of records carrying each field (the profile's), for `name_rule_recall`.
    shares: dict[str, float] = field(default_factory=dict)

    def name_rule_recall(self, exact_m: dict[str, float]) -> float:
        """The recall of the exact name + date of birth (+ postcode) prior rule as the trained
        model sees it: the chance a true pair has every field on both records (share squared)
        and agrees exactly on each (the exact level's m), taken as independent, as the
        Fellegi-Sunter model itself takes them. `exact_m`: comparison → its exact level's m.
        NAME_RECALL stood in before training; FEBRL's pairs agree on all three far less often
        (0.36), and a prior half its size cost 4% of pairs there. Bounded to [0.1, 0.95]."""
        recall = 1.0
        for compared in ("names", *NAMES, "date_of_birth", "postcode"):
            if compared not in self.compared or compared not in exact_m:
                continue
            for f in _compares(compared):
                recall *= self.shares.get(f, 1.0) ** 2
            recall *= exact_m[compared]
        return min(0.95, max(0.1, recall))

    def settings(self) -> SettingsCreator:
        return SettingsCreator(
            link_type="dedupe_only",  # one source or several: every record against every other
            comparisons=[
                comparisons.for_field(c, self.columns, as_written=self.as_written)
                for c in self.compared
            ],
            blocking_rules_to_generate_predictions=[
                *_blocks((*self.prediction_rules, *self.broad_rules)),
                # Forename and surname written the other way round: a narrow rule at any size.
                *([SWAPPED_NAMES] if set(NAMES) <= self.fields else []),
            ],
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
    # The address is compared on the house number and street model.people_sql derives from it.
    comparable = fields - ({"address"} if "address_street" not in profile.columns else set())
    compared = (("names",) if len(names) == 2 else names) + tuple(
        f
        for f in ("date_of_birth", "postcode", "address", "nhs_number", "upn", "sex")
        if f in comparable
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
        columns=profile.columns,
        as_written=profile.as_written,
        broad_rules=_broad_rules(profile),
        shares=dict(profile.share),
    )


def _broad_rules(profile: Profile) -> tuple[tuple[str, ...], ...]:
    """BROAD_RULES in order while their pairs fit the budget (an over-count: pairs two rules
    share are counted twice)."""
    budget, chosen = max(BROAD_PAIRS_PER_RECORD * profile.records, BROAD_PAIRS_AT_LEAST), []
    for rule, pairs in profile.broad_pairs.items():
        if not _uses(rule) <= profile.present or pairs > budget:
            continue
        chosen.append(rule)
        budget -= pairs
    return tuple(chosen)


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
