"""Splink used directly, with the settings its own documentation gives for that kind of data, on a
population from bench/linkage_data.py; writes unique_id, cluster_id. Run in its own process by
bench/linkage.py, which measures its time and peak memory.

    python bench/splink_direct.py febrl|febrl4|agencies FOLDER OUT.csv

- febrl (FEBRL1-3, one file): Splink's "Deduplicating the febrl3 dataset" example
  (docs/demos/examples/duckdb/febrl3): its comparisons, blocking rules, deterministic rules at
  recall 0.9, u from 1e6 pairs, EM on date of birth then postcode; clusters at 0.95, the
  threshold of its deduplication example (deduplicate_50k_synthetic), as febrl3 does not cluster.
- febrl4 (two files): Splink's "Linking the febrl4 datasets" example, the detailed model
  (link_only, recall 0.8, EM on date of birth then postcode), clustered at its 0.99.
- agencies (UK-style people in four files): Splink's deduplicate_50k_synthetic example (forename
  and surname with their concatenation's term frequencies, date of birth, UK postcode; prior at
  recall 0.6; u from 1e7 pairs; EM on names then date of birth; clusters at 0.95), without the
  birth place and occupation columns these records do not have.

soc_sec_id, FEBRL's ID column, is given to neither this nor placewise: the examples' comparisons
and rules on it are left out, so both link on the same fields.
"""

import logging
import sys

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def _febrl_dedupe(con: duckdb.DuckDBPyConnection) -> tuple[Linker, float]:
    rules = [block_on("given_name"), block_on("surname"), block_on("date_of_birth")]
    rules.append(block_on("postcode"))
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    linker = Linker(DuckDBAPI(con).register("people"), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ],
        recall=0.9,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    return linker, 0.95


def _febrl_link(con: duckdb.DuckDBPyConnection) -> tuple[Linker, float]:
    rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        link_type="link_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
        retain_intermediate_calculation_columns=True,
    )
    api = DuckDBAPI(con)
    tables = [
        api.register(con.sql(f"SELECT * FROM people WHERE source_dataset = '{s}'"))
        for s in ("febrl4_a", "febrl4_b")
    ]
    linker = Linker(tables, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for rule in ("date_of_birth", "postcode"):
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(rule), estimate_without_term_frequencies=True
        )
    return linker, 0.99


def _agencies(con: duckdb.DuckDBPyConnection) -> tuple[Linker, float]:
    con.execute(
        "CREATE OR REPLACE TABLE people AS SELECT *, given_name || ' ' || surname AS name_concat "
        "FROM people"
    )
    rules = [
        block_on("substr(given_name,1,3)", "substr(surname,1,4)"),
        block_on("surname", "date_of_birth"),
        block_on("given_name", "date_of_birth"),
        block_on("postcode", "given_name"),
        block_on("postcode", "surname"),
        block_on("substr(postcode,1,3)", "date_of_birth"),
        block_on("substr(postcode,1,3)", "given_name"),
        block_on("substr(postcode,1,3)", "surname"),
        block_on("substr(given_name,1,2)", "substr(surname,1,2)", "substr(date_of_birth,1,4)"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            cl.ForenameSurnameComparison(
                "given_name", "surname", forename_surname_concat_col_name="name_concat"
            ),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, invalid_dates_as_null=True
            ),
            cl.PostcodeComparison("postcode"),
        ],
        retain_intermediate_calculation_columns=True,
    )
    linker = Linker(DuckDBAPI(con).register("people"), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("given_name", "surname", "date_of_birth"),
            block_on("substr(given_name,1,2)", "surname", "substr(postcode,1,2)"),
            block_on("date_of_birth", "postcode"),
        ],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    for rule in (block_on("given_name", "surname"), block_on("date_of_birth")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    return linker, 0.95


def main() -> None:
    kind, folder, out = sys.argv[1:4]
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE people AS SELECT * FROM read_csv(?, all_varchar = true)",
        [f"{folder}/splink.csv"],
    )
    # The examples' data have lower-case names; so do these after this.
    con.execute(
        "UPDATE people SET given_name = lower(given_name), surname = lower(surname), "
        "address_1 = lower(address_1)"
    )
    linker, threshold = {"febrl": _febrl_dedupe, "febrl4": _febrl_link, "agencies": _agencies}[
        kind
    ](con)
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    clusters.as_duckdbpyrelation().select("unique_id, cluster_id").write_csv(out)


if __name__ == "__main__":
    main()
