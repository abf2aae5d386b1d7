"""`placewise link`: cluster source records into people inside the enclave.

Identifiers are read from the enclave into a private Splink backend (an in-memory DuckDB, or
Spark); only `token → person key` (with match probability and cluster size) is written back to the
enclave and copied to the analytic store. Outside the enclave the run leaves its model weights, the
distribution of scores, and a review queue of uncertain pairs named by token. Reviewers' decisions
on earlier pairs are applied before clustering. See docs/adr/0006 and 0007.
"""

import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from splink import Linker
from splink.internals.pipeline import CTEPipeline

from placewise.linkage import (
    actions,
    bloom,
    model,
    one_to_one,
    plan,
    recorded,
    report,
    splink_sql,
)
from placewise.linkage.backends import Backend, open_backend
from placewise.linkage.encode import read_secret
from placewise.sources.actions import only_committed_loads
from placewise.sources.canonical import FileRejected
from placewise.store import stores
from placewise.store.pseudonymise import Tokeniser

# Fellegi-Sunter's prior falls as the place grows, so a fixed probability asks for more evidence
# in a bigger place. Measured with bench/linkage.py: at 0.95 a 60,000-child place lost 3% of true
# pairs (cluster F1 0.971) at precision 1.000; at 0.8 cluster F1 was 0.9975 there and no worse at
# 400 or 6,000 children, at default and heavy noise.
MATCH_THRESHOLD = 0.8
# Pairs scored at least this likely are predicted; the uncertain ones go to review.
PREDICT_FLOOR = 0.2
EM_PAIRS = 2e6
# Unsupervised training needs enough records to estimate from; below this, refuse clearly.
MIN_RECORDS = 50


class CannotTrain(Exception):
    """The records give the unsupervised training nothing to learn from."""


class TooFewRecords(CannotTrain):
    """There are too few records to train a linkage model without labels."""


@dataclass(frozen=True)
class LinkRun:
    records: int
    people: int
    seconds: float
    backend: str
    review_queue: int
    run_id: int  # the LinkageRun kept outside the enclave: its report (linkage/report.py)


@dataclass
class Result:
    links: pa.Table  # token, cluster_id, cluster_size, match_probability
    # unique_id_l, unique_id_r, source_l, source_r, match_probability, match_weight, mw_* (the
    # weight each comparison contributed)
    uncertain: pa.Table
    scores: list[dict[str, float]]
    model: dict[str, Any]
    # Per pair of sources: records, records linked, pairs scored by match weight (report.py's
    # `per_source_pair` shapes them); aggregates only.
    source_pairs: list[dict[str, Any]]
    prior_basis: str  # what the prior was estimated from, at what recall


def link(
    *,
    threshold: float = MATCH_THRESHOLD,
    backend: str = "duckdb",
    encoded: bool | None = None,
    progress: bool = False,
    by: User,
) -> LinkRun:
    """Train the model without labels (u by random sampling, m by EM), predict, apply reviewers'
    decisions, cluster, store.

    `encoded`: compare Bloom filters and keyed hashes instead of identifiers. None (the default)
    does so exactly when some agency sent an encoded file, since its records carry nothing else.
    """
    logging.getLogger("splink").setLevel(logging.INFO if progress else logging.ERROR)
    started_at, started = datetime.now(UTC), time.perf_counter()
    # Only committed loads' identities are linked: a load that died after the enclave's commit
    # is settled first, and none can commit while the identities are read.
    # Opened for writing so that a store made before encoded identities gains the column.
    with only_committed_loads(by=by), stores.enclave() as vault:
        if encoded is None:
            (count,) = vault.execute(
                "SELECT count(*) FROM identities WHERE encoded IS NOT NULL"
            ).fetchall()[0]
            encoded = count > 0
        people = encoded_people(vault) if encoded else model_people(vault)
        fields = None if encoded else profiled(vault, people)
    if encoded and backend != "duckdb":
        raise CannotTrain(
            "encoded (Bloom filter) linkage runs on the DuckDB backend only: Spark SQL has no "
            "bit-string type to compare the filters"
        )
    if people.num_rows < MIN_RECORDS:
        raise TooFewRecords(
            f"{people.num_rows} source records loaded; the model is trained "
            f"without labels and needs at least {MIN_RECORDS}"
        )
    try:
        fitted = None if fields is None else plan.plan_for(fields)
    except plan.CannotPlan as error:
        raise CannotTrain(str(error)) from None
    reviewed = actions.decided_pairs()
    with open_backend(backend, progress=progress) as work:
        result = _splink(work, people, reviewed, threshold, fitted)
    # Keyed with the place secret, as tokens are (store/pseudonymise.py), so a person key reveals
    # nothing about the tokens in its cluster and re-keying the place recomputes it.
    person_key = Tokeniser(str(django_settings.PLACE_SECRET)).person_key
    keys = [person_key(c) for c in result.links.column("cluster_id").to_pylist()]
    summary = {
        "started_at": started_at,
        "backend": f"{backend}, encoded" if encoded else backend,
        "threshold": threshold,
        "records": result.links.num_rows,
        "people": len(set(keys)),
        "seconds": time.perf_counter() - started,
        "model": result.model,
        "scores": result.scores,
        "uncertain": result.uncertain,
        "reviewed_pairs_used": reviewed.num_rows,
        "source_pairs": result.source_pairs,
        "prior_basis": result.prior_basis,
    }
    # Under the load lock, after recovery, as a load writes; the report too, so that no recovery
    # in another process takes this run for one that died before recording it.
    with only_committed_loads(by=by):
        write = _store_links(result.links, keys, summary=summary)
        summary["seconds"] = time.perf_counter() - started  # the links' writing too
        saved = recorded.record(summary, write=write, by=by)
    return LinkRun(
        records=result.links.num_rows,
        people=len(set(keys)),
        seconds=summary["seconds"],
        backend=backend,
        review_queue=result.uncertain.num_rows,
        run_id=saved.pk,
    )


def _splink(
    work: Backend, people: pa.Table, reviewed: pa.Table, threshold: float, fitted: plan.Plan | None
) -> Result:
    """`fitted`: the model for these records' fields; None for Bloom-filter encodings, whose
    model is fixed (model.encoded_settings)."""
    api = work.api
    if fitted is None:
        # Bloom filters arrive as '0'/'1' text; DuckDB's BIT type gives bit_count and & for Dice.
        work.connection.register("people_in", people)
        work.connection.execute(
            "CREATE TABLE people_encoded AS SELECT * REPLACE ("
            "given_name_bf::BIT AS given_name_bf, family_name_bf::BIT AS family_name_bf) "
            "FROM people_in"
        )
        records = api.register("people_encoded", table_name="people")
        linker = Linker(records, model.encoded_settings(), log_level=logging.ERROR)
    else:
        records = api.register(people, table_name="people")
        linker = Linker(records, fitted.settings(), log_level=logging.ERROR)
    prior_basis = _train(linker, fitted)
    predictions = linker.inference.predict(threshold_match_probability=PREDICT_FLOOR)
    # Between sources that hold each person once, links are one-to-one (one_to_one.py).
    prior = linker._settings_obj._probability_two_random_records_match
    resolved = _run(
        api,
        [predictions, records],
        one_to_one.resolved_sql(predictions, records, threshold, prior),
    )
    decisions = api.register(reviewed, table_name="reviewed_pairs")
    adjusted = _run(api, [resolved, decisions], splink_sql.with_decisions_sql(resolved, decisions))
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(adjusted, threshold)
    links = work.arrow(
        _run(api, [clusters, adjusted], splink_sql.links_sql(clusters, adjusted, threshold))
    )
    scores = work.arrow(_run(api, [predictions], splink_sql.scores_sql(predictions)))
    uncertain = work.arrow(
        _run(
            api,
            [predictions, decisions, records],
            splink_sql.uncertain_sql(predictions, decisions, records, threshold),
        )
    )
    pair_scores = work.arrow(
        _run(
            api,
            [resolved, records],
            splink_sql.source_pair_scores_sql(resolved, records, threshold),
        )
    )
    pair_records = work.arrow(
        _run(api, [clusters, records], splink_sql.source_pair_records_sql(clusters, records))
    )
    return Result(
        links=links,
        uncertain=uncertain,
        scores=[
            {"weight": float(w), "pairs": int(n)}
            for w, n in zip(
                scores.column("weight").to_pylist(), scores.column("pairs").to_pylist(), strict=True
            )
        ],
        model=linker.misc.save_model_to_json(),
        source_pairs=report.per_source_pair(pair_records.to_pylist(), pair_scores.to_pylist()),
        prior_basis=prior_basis,
    )


def _train(linker: Linker, fitted: plan.Plan | None) -> str:
    """Train; return what the prior was estimated from, at what recall, as the run says it."""
    priors: list[tuple[list[Any], float, str]]
    training: list[Any]
    if fitted is None:
        priors = [
            (
                model.encoded_deterministic_blocks(),
                plan.STRONG_RECALL,
                "NHS number or UPN keys agreeing",
            )
        ]
        training = model.encoded_training_blocks()
    else:
        priors = [(fitted.prior_blocks(), fitted.prior_recall, plan.describe(fitted.prior_rules))]
        if fitted.fallback_prior_rules:
            priors.append(
                (
                    fitted.fallback_prior_blocks(),
                    plan.NAME_RECALL,
                    plan.describe(fitted.fallback_prior_rules),
                )
            )
        training = fitted.training_blocks()
    basis = _estimate_prior(linker, priors)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    try:
        for block in training:
            # EM on a sample of each training block: a region's date-of-birth block holds tens
            # of millions of pairs (238 s at 860k records), while two million settle the m values.
            linker.training.estimate_parameters_using_expectation_maximisation(
                block, estimate_without_term_frequencies=True, max_pairs=EM_PAIRS
            )
    except ValueError as error:
        raise CannotTrain(
            "the model could not be trained on these records without labels "
            f"({error}); link more records, or sources that share more of their identity fields"
        ) from None
    if fitted is not None and not any(f in fitted.fields for f in plan.STRONG):
        # The name rule's recall, first a stated guess (plan.NAME_RECALL), is now known to the
        # model: estimate the prior again with it.
        exact_m = {}
        for c in linker._settings_obj.comparisons:
            # Every comparison of plan.py puts exact agreement first after the null level.
            exact = next(lv for lv in c.comparison_levels if not lv.is_null_level)
            name = c.output_column_name
            if exact.m_probability:
                exact_m["names" if name == "given_name_family_name" else name] = exact.m_probability
        recall = fitted.name_rule_recall(exact_m)
        rule = plan.describe(fitted.prior_rules)
        basis = _estimate_prior(linker, [(fitted.prior_blocks(), recall, rule)])
        if basis.startswith(rule):
            basis += " (from the trained model; 0.70 assumed before training)"
    return basis


def _estimate_prior(linker: Linker, priors: list[tuple[list[Any], float, str]]) -> str:
    """The prior from the first deterministic rules that some pairs meet. Splink sets it to 0
    when none do (e.g. NHS numbers in one source only), and a prior of 0 is the log of zero
    that EM stops on; the default stands in then, which EM does not need to be exact. Returns
    what it was estimated from, at what recall."""
    settings = linker._settings_obj  # Splink has no public way to put a prior back
    default = settings._probability_two_random_records_match
    for rules, recall, described in priors:
        try:
            linker.training.estimate_probability_two_random_records_match(rules, recall=recall)
        except ValueError:
            # More agreements than the recall allows (a tiny place): try the next rules.
            settings._probability_two_random_records_match = default
            continue
        if settings._probability_two_random_records_match > 0:
            return f"{described}, at recall {recall:.2f}"
        settings._probability_two_random_records_match = default
    logging.getLogger(__name__).info("no deterministic agreements; default prior")
    return "Splink's default: no two records agreed on " + " nor ".join(d for _, _, d in priors)


def _run(api: Any, inputs: list[Any], sql: str) -> Any:
    pipeline = CTEPipeline(inputs)
    pipeline.enqueue_sql(sql, f"__placewise_{abs(hash(sql)) % 10**8}")
    return api.sql_pipeline_to_splink_dataframe(pipeline)


def _store_links(links: pa.Table, keys: list[str], *, summary: dict[str, Any]) -> int:
    """Replace the last run's links in both stores as one unit (stores.replace): after a crash
    at any moment they are the last run's or this run's, in both stores, once recovered. The
    run's summary (actions.record_run's arguments) is noted with the links, so that a run that
    dies after they commit still gets its report (recorded.record_unrecorded). Returns the
    write's number. Call holding the load lock."""
    now = datetime.now(UTC)
    table = pa.table(
        {
            "token": links.column("token"),
            "person_key": pa.array(keys, pa.string()),
            "cluster_size": links.column("cluster_size").cast(pa.int32()),
            "match_probability": links.column("match_probability").cast(pa.float64()),
            "linked_at": pa.array([now] * links.num_rows, pa.timestamp("us", tz="UTC")),
        }
    )
    whole = [stores.Replace("person_links", rows=table)]  # a run replaces the last one whole
    stores.replace(
        kind=recorded.KIND, in_enclave=whole, in_analytic=whole, note=recorded.note(summary)
    )
    last = stores.last_commit(recorded.KIND)
    assert last is not None  # nosec B101  # the write above committed
    return last[0]


def model_people(vault: Any) -> pa.Table:
    """One row per source record; a store whose identities keep dates of birth as written
    (when not real dates) gives those too, an older one NULL."""
    columns = {row[0] for row in vault.execute("DESCRIBE identities").fetchall()}
    sql = model.people_sql(as_written=plan.AS_WRITTEN in columns)
    return vault.sql(sql).to_arrow_table()


def profiled(vault: Any, people: pa.Table) -> plan.Profile:
    """Which identity fields the records carry, counted inside the enclave."""
    vault.register("linkage_people", people)
    try:
        return plan.profile(vault, "linkage_people")
    finally:
        vault.unregister("linkage_people")


def encoded_people(vault: Any) -> pa.Table:
    """One row per source record, every identifier as the agencies' encoding: clear ones are
    encoded here with the shared secret, exactly as `placewise encode` does at an agency."""
    path = django_settings.PLACEWISE_LINKAGE_SECRET_FILE
    if not path.exists():
        raise CannotTrain(
            f"encoded linkage needs the secret shared with the encoding agencies in {path} "
            "(or PLACEWISE_LINKAGE_SECRET_FILE)"
        )
    try:
        secret = read_secret(path)
    except FileRejected as error:
        raise CannotTrain(str(error)) from None
    columns: dict[str, list[Any]] = {
        name: []
        for name in ("unique_id", "source_dataset", "sex", *bloom.BLOOM_FIELDS, *bloom.KEY_FIELDS)
    }
    cursor = vault.execute(model.ENCODED_PEOPLE_SQL)
    while batch := cursor.fetchmany(10_000):
        for token, source, given, family, born, sex, postcode, nhs, upn, sent in batch:
            if sent is not None:
                fields = json.loads(sent)
            else:
                fields = bloom.encode_identity(
                    given_name=given,
                    family_name=family,
                    date_of_birth=born,
                    postcode=postcode,
                    nhs_number=nhs,
                    upn=upn,
                    secret=secret,
                )
            columns["unique_id"].append(token)
            columns["source_dataset"].append(source)
            columns["sex"].append(sex)
            for name in bloom.BLOOM_FIELDS:
                columns[name].append(bloom.as_bits(fields.get(name)))
            for name in bloom.KEY_FIELDS:
                columns[name].append(fields.get(name))
    return pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})
