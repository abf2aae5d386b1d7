"""The Splink model for English children's records: names with Jaro-Winkler levels, date of birth
with day/month transposition, postcode, and NHS number and UPN as strong evidence when present."""

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

# One row per source record (token), its best-known identity, built inside the enclave.
PEOPLE_SQL = """
SELECT token AS unique_id,
       any_value(source) AS source_dataset,
       lower(arg_max(given_name, given_name IS NOT NULL)) AS given_name,
       lower(arg_max(family_name, family_name IS NOT NULL)) AS family_name,
       arg_max(date_of_birth, date_of_birth IS NOT NULL) AS date_of_birth,
       arg_max(sex, sex IS NOT NULL) AS sex,
       upper(replace(arg_max(postcode, postcode IS NOT NULL), ' ', '')) AS postcode,
       arg_max(nhs_number, nhs_number IS NOT NULL) AS nhs_number,
       arg_max(upn, upn IS NOT NULL) AS upn
FROM identities
GROUP BY token
"""

SWAPPED_DAY_AND_MONTH = (
    "year(date_of_birth_l) = year(date_of_birth_r) "
    "AND month(date_of_birth_l) = day(date_of_birth_r) "
    "AND day(date_of_birth_l) = month(date_of_birth_r)"
)


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.ForenameSurnameComparison("given_name", "family_name"),
            cl.CustomComparison(
                output_column_name="date_of_birth",
                comparison_levels=[
                    cll.NullLevel("date_of_birth"),
                    cll.ExactMatchLevel("date_of_birth"),
                    cll.CustomLevel(
                        SWAPPED_DAY_AND_MONTH, label_for_charts="day and month swapped"
                    ),
                    cll.AbsoluteDateDifferenceLevel(
                        "date_of_birth", input_is_string=False, threshold=1, metric="month"
                    ),
                    cll.ElseLevel(),
                ],
            ),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("nhs_number"),
            cl.ExactMatch("upn"),
            cl.ExactMatch("sex"),
        ],
        # Date of birth alone makes blocks of a hundred or more children a day in a region (55
        # million pairs at 860k records, 228 s to score): each date-of-birth rule is narrowed by
        # one more thing most true pairs share. A pair then escapes only if it differs in
        # district, surname initial and forename initial at once, and in every other rule too.
        blocking_rules_to_generate_predictions=[
            block_on("date_of_birth", "substr(postcode, 1, 3)"),
            block_on("date_of_birth", "substr(family_name, 1, 1)"),
            block_on("date_of_birth", "substr(given_name, 1, 1)"),
            block_on("nhs_number"),
            block_on("upn"),
            # Surname and year of birth alone paired 172 million records at 860k (common
            # surnames): narrowed the same way.
            block_on("family_name", "year(date_of_birth)", "substr(given_name, 1, 1)"),
            block_on("family_name", "year(date_of_birth)", "substr(postcode, 1, 3)"),
            block_on("given_name", "postcode"),
            block_on("substr(family_name, 1, 3)", "postcode"),
        ],
        retain_matching_columns=False,
        # Gamma (level) columns say how each pair compared, for the review queue; identifiers are
        # not retained (retain_matching_columns) so predictions hold none.
        retain_intermediate_calculation_columns=True,
    )


def training_blocks() -> list[str | BlockingRuleCreator]:
    """Blocks for EM: each leaves out a different comparison so every one is estimated."""
    return [block_on("date_of_birth"), block_on("family_name", "given_name")]


def deterministic_blocks() -> list[str | BlockingRuleCreator]:
    """Prior-probability estimate: pairs sharing a strong identifier are nearly always matches."""
    return [block_on("nhs_number"), block_on("upn")]


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
