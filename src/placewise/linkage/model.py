"""What the Splink model reads: one row per source record from the enclave's identities, in clear
text or as Bloom-filter encodings. The clear-text model itself is fitted to the fields the records
carry (plan.py); the encoded model is fixed here."""

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

# One row per source record (token), its best-known identity, built inside the enclave (always
# DuckDB, whichever backend then links), with the columns the comparison levels derive from it:
# - dob_digits: the date of birth as YYYYMMDD, or a date kept as written (not a real date)
#   turned into the same order, day first unless the year comes first (English files write
#   31/04/2015), so a typo compares digit by digit with a real date;
# - address_number and address_street: the first line's house number (12, 12a) and the rest of
#   it without numbers or punctuation, for the house-number-aware address comparison.
PEOPLE_SQL = """
WITH one AS (
    SELECT token AS unique_id,
           any_value(source) AS source_dataset,
           lower(arg_max(given_name, given_name IS NOT NULL)) AS given_name,
           lower(arg_max(family_name, family_name IS NOT NULL)) AS family_name,
           arg_max(date_of_birth, date_of_birth IS NOT NULL) AS date_of_birth,
           {as_written} AS date_of_birth_as_written,
           arg_max(sex, sex IS NOT NULL) AS sex,
           upper(replace(arg_max(postcode, postcode IS NOT NULL), ' ', '')) AS postcode,
           nullif(trim(regexp_replace(lower(arg_max(address, address IS NOT NULL)),
                                      '[^a-z0-9]+', ' ', 'g')), '') AS address,
           arg_max(nhs_number, nhs_number IS NOT NULL) AS nhs_number,
           arg_max(upn, upn IS NOT NULL) AS upn
    FROM identities
    GROUP BY token),
written AS (
    SELECT *, string_split(trim(regexp_replace(coalesce(date_of_birth_as_written, ''),
                                               '[^0-9]+', ' ', 'g')), ' ') AS dob_parts
    FROM one)
SELECT * EXCLUDE (dob_parts),
       coalesce(strftime(date_of_birth, '%Y%m%d'), CASE
           WHEN len(dob_parts) = 3 AND length(dob_parts[1]) = 4
               THEN dob_parts[1] || lpad(dob_parts[2], 2, '0') || lpad(dob_parts[3], 2, '0')
           WHEN len(dob_parts) = 3 AND length(dob_parts[3]) = 4
               THEN dob_parts[3] || lpad(dob_parts[2], 2, '0') || lpad(dob_parts[1], 2, '0')
           WHEN len(dob_parts) = 1 AND regexp_matches(dob_parts[1], '^(19|20)[0-9]{{6}}$')
               THEN dob_parts[1]
           WHEN len(dob_parts) = 1 AND regexp_matches(dob_parts[1], '^[0-9]{{4}}(19|20)[0-9]{{2}}$')
               THEN substr(dob_parts[1], 5, 4) || substr(dob_parts[1], 3, 2)
                    || substr(dob_parts[1], 1, 2)
       END) AS dob_digits,
       -- The last number on the line is the house's: "flat 3 12a high st" is number 12a.
       list_filter(string_split(address, ' '), lambda w: regexp_matches(w, '^[0-9]+[a-z]?$'))[-1]
           AS address_number,
       nullif(array_to_string(list_filter(string_split(address, ' '),
           lambda w: NOT regexp_matches(w, '[0-9]') AND w NOT IN ('flat', 'apartment', 'apt')), ' '),
           '') AS address_street
FROM written
"""
AS_WRITTEN_SQL = "arg_max(date_of_birth_as_written, date_of_birth_as_written IS NOT NULL)"


def people_sql(*, as_written: bool) -> str:
    """PEOPLE_SQL for an identities table with (or, in a store from before it, without) the
    column that keeps a date of birth as written when it is not a real date."""
    return PEOPLE_SQL.format(as_written=AS_WRITTEN_SQL if as_written else "CAST(NULL AS VARCHAR)")


# --- Privacy-preserving linkage: the same evidence, compared as Bloom filters and keyed hashes ---

# Per source record: the clear identifiers (to be encoded inside the enclave with the shared
# secret) or the agency's own encoding.
ENCODED_PEOPLE_SQL = """
SELECT token AS unique_id,
       any_value(source) AS source_dataset,
       arg_max(given_name, given_name IS NOT NULL) AS given_name,
       arg_max(family_name, family_name IS NOT NULL) AS family_name,
       arg_max(date_of_birth, date_of_birth IS NOT NULL) AS date_of_birth,
       arg_max(sex, sex IS NOT NULL) AS sex,
       arg_max(postcode, postcode IS NOT NULL) AS postcode,
       arg_max(nhs_number, nhs_number IS NOT NULL) AS nhs_number,
       arg_max(upn, upn IS NOT NULL) AS upn,
       arg_max(encoded, encoded IS NOT NULL) AS encoded
FROM identities
GROUP BY token
"""


def _dice(column: str) -> str:
    return (
        f"2.0 * bit_count({column}_l & {column}_r) "
        f"/ (bit_count({column}_l) + bit_count({column}_r))"
    )


def _dice_comparison(column: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column.removesuffix("_bf"),
        comparison_levels=[
            cll.NullLevel(column),
            cll.CustomLevel(f"{_dice(column)} >= 0.99", label_for_charts="letter pairs all agree"),
            cll.CustomLevel(f"{_dice(column)} >= 0.8", label_for_charts="letter pairs ≥ 80% agree"),
            cll.CustomLevel(f"{_dice(column)} >= 0.6", label_for_charts="letter pairs ≥ 60% agree"),
            cll.ElseLevel(),
        ],
    )


def encoded_settings() -> SettingsCreator:
    """The clear-text model's comparisons, made on encodings: Dice of name Bloom filters; exact,
    swapped and year agreement of keyed dates of birth; postcode, sector and district keys."""
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            _dice_comparison("given_name_bf"),
            _dice_comparison("family_name_bf"),
            cl.CustomComparison(
                output_column_name="date_of_birth",
                comparison_levels=[
                    cll.NullLevel("dob_key"),
                    cll.ExactMatchLevel("dob_key"),
                    cll.CustomLevel(
                        "dob_swap_key_l = dob_swap_key_r", label_for_charts="day and month swapped"
                    ),
                    cll.CustomLevel(
                        "birth_year_key_l = birth_year_key_r", label_for_charts="same year"
                    ),
                    cll.ElseLevel(),
                ],
            ),
            cl.CustomComparison(
                output_column_name="postcode",
                comparison_levels=[
                    cll.NullLevel("postcode_key"),
                    cll.ExactMatchLevel("postcode_key"),
                    cll.CustomLevel(
                        "postcode_sector_key_l = postcode_sector_key_r",
                        label_for_charts="same sector",
                    ),
                    cll.CustomLevel(
                        "postcode_district_key_l = postcode_district_key_r",
                        label_for_charts="same district",
                    ),
                    cll.ElseLevel(),
                ],
            ),
            cl.ExactMatch("nhs_number_key"),
            cl.ExactMatch("upn_key"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob_key"),
            block_on("nhs_number_key"),
            block_on("upn_key"),
            block_on("family_name_prefix_key", "birth_year_key"),
            block_on("given_name_key", "postcode_key"),
            block_on("family_name_prefix_key", "postcode_key"),
            block_on("dob_swap_key"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
    )


def encoded_training_blocks() -> list[str | BlockingRuleCreator]:
    return [block_on("dob_key"), block_on("given_name_key", "family_name_prefix_key")]


def encoded_deterministic_blocks() -> list[str | BlockingRuleCreator]:
    return [block_on("nhs_number_key"), block_on("upn_key")]
