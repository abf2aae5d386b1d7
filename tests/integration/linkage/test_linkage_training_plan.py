"""The training plan chosen from what the records carry, through the enclave's own people table
(model.people_sql), and the quality a run shows per pair of sources without ground truth
(issue 13, items 1 and 5)."""

import dataclasses
import json
import re

import duckdb
import pytest
from django.urls import reverse

from placewise.cli import main
from placewise.linkage import model, plan, report
from placewise.linkage.models import LinkageRun
from placewise.store import stores

COLUMNS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "upn",
    "date_of_birth_as_written",
)


def _plan(rows: list[tuple[object, ...]], *, as_written: bool = True) -> plan.Plan:
    """The plan for identities rows (values in COLUMNS order; without the as-written column
    when `as_written` is False, as in a store from before it), two sources alternating."""
    columns = COLUMNS if as_written else COLUMNS[:-1]
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE identities (token VARCHAR, source VARCHAR, "
        + ", ".join(f"{c} {'DATE' if c == 'date_of_birth' else 'VARCHAR'}" for c in columns)
        + ")"
    )
    for n, row in enumerate(rows):
        con.execute(
            f"INSERT INTO identities VALUES (?, ?, {', '.join('?' * len(columns))})",
            [f"t{n}", f"s{n % 2}", *row[: len(columns)]],
        )
    con.execute("CREATE TABLE people AS " + model.people_sql(as_written=as_written))
    return plan.plan_for(plan.profile(con, "people"))


def _child(n: int, **changes: object) -> tuple[object, ...]:
    values = {
        "given_name": f"name{n}",
        "family_name": f"surname{n % 13}",
        "date_of_birth": f"2015-01-{n % 28 + 1:02d}",
        "sex": "FM"[n % 2],
        "postcode": f"NS{n % 9 + 1} 1AA",
        "address": f"{n} High Street",
        "nhs_number": None,
        "upn": None,
        "date_of_birth_as_written": None,
    } | changes
    return tuple(values[c] for c in COLUMNS)


def test_strong_identifiers_give_the_prior_at_recall_0_8():
    """NHS numbers on half the records: the prior comes from NHS number agreements, with the
    recall ADR 0006 measured (0.8), and from exact name, birth and postcode should none agree."""
    fitted = _plan([_child(n, nhs_number=f"94347659{n:02d}" if n % 2 else None) for n in range(40)])
    assert fitted.prior_rules == (("nhs_number",),)
    assert fitted.prior_recall == plan.STRONG_RECALL == 0.8
    assert fitted.fallback_prior_rules == (
        ("family_name", "given_name", "date_of_birth", "postcode"),
    )
    assert "nhs_number" in fitted.compared and ("nhs_number",) in fitted.prediction_rules


def test_without_strong_identifiers_the_prior_is_names_birth_and_postcode_at_0_7():
    fitted = _plan([_child(n) for n in range(40)])
    assert fitted.prior_rules == (("family_name", "given_name", "date_of_birth", "postcode"),)
    assert fitted.prior_recall == plan.NAME_RECALL == 0.7
    # The address is compared when present, and learned in the date-of-birth block.
    assert fitted.compared == ("names", "date_of_birth", "postcode", "address", "sex")
    assert fitted.training_rules == (("date_of_birth",), ("family_name", "given_name"))


def test_one_source_is_deduplicated():
    con_rows = [_child(n) for n in range(40)]
    fitted = _plan(con_rows)
    assert fitted.settings().get_settings("duckdb").as_dict()["link_type"] == "dedupe_only"


def test_an_entirely_empty_address_column_is_not_compared():
    fitted = _plan([_child(n, address="  ") for n in range(40)])
    assert "address" not in fitted.compared


def test_dates_kept_as_written_earn_their_level_and_count_as_dates_of_birth():
    """Two of forty dates of birth are not real dates (5%): the as-written level is built, and
    the date of birth is still compared and blocked on. In a store without the column, the same
    records (with those two dates missing) are planned the same, without that level."""
    rows = [_child(n) for n in range(40)]
    for n in (3, 4):
        rows[n] = _child(n, date_of_birth=None, date_of_birth_as_written="31/04/2015")
    fitted = _plan(rows)
    assert fitted.as_written and "date_of_birth" in fitted.compared
    levels = [
        level.get("label_for_charts")
        for c in fitted.settings().get_settings("duckdb").as_dict()["comparisons"]
        if c["output_column_name"] == "date_of_birth"
        for level in c["comparison_levels"]
    ]
    assert "the same as written (not a real date)" in levels
    older = _plan(rows, as_written=False)
    assert not older.as_written and older.compared == fitted.compared


def test_a_date_of_birth_column_sent_empty_is_refused_naming_what_would_fix_it():
    rows = [_child(n, date_of_birth=None, postcode=None, address=None) for n in range(40)]
    with pytest.raises(
        plan.CannotPlan, match=re.escape("these sources carry only forename, surname, sex")
    ):
        _plan(rows)


# --- Quality per pair of sources, kept with the run and shown (item 5) ---


@pytest.mark.django_db
def test_a_run_keeps_counts_per_pair_of_sources_and_no_tokens(linked_place):
    run = LinkageRun.objects.get()
    with stores.enclave(read_only=True) as vault:
        records = dict(
            vault.execute(
                "SELECT source, count(DISTINCT token) FROM identities GROUP BY source"
            ).fetchall()
        )
        tokens = [t for (t,) in vault.execute("SELECT DISTINCT token FROM identities").fetchall()]
    pairs = {(p["source_a"], p["source_b"]): p for p in run.source_pairs}
    # Every pair of sources, each with itself too: n(n + 1) / 2.
    assert len(pairs) == len(records) * (len(records) + 1) // 2
    for (a, b), p in pairs.items():
        assert (p["records_a"], p["records_b"]) == (records[a], records[b])
        assert 0 <= p["linked_a"] <= p["records_a"] and 0 <= p["linked_b"] <= p["records_b"]
        assert p["pairs_scored"] == sum(w["pairs"] for w in p["weights"])
        assert p["pairs_linked"] <= p["pairs_scored"]
    # The council's case system and its census hold the same children: most are linked.
    csc = pairs.get(("council_cin", "council_csc"))
    if csc is not None:
        assert csc["linked_a"] > 0 and csc["linked_b"] > 0
    kept = json.dumps(run.source_pairs)
    assert not any(token in kept for token in tokens)


@pytest.mark.django_db
def test_placewise_link_prints_quality_per_pair_and_the_model(council_loaded, capsys):
    assert main(["link", "--quiet"]) == 0
    linked = capsys.readouterr().out
    run = LinkageRun.objects.get()
    assert "records linked, per pair of sources" in linked
    assert "match weights of the scored pairs, per pair of sources" in linked
    assert f"model: prior (probability two random records match) {run.prior:.3g}" in linked
    # The council's sources carry NHS numbers and UPNs: the prior comes from them, at 0.8.
    assert run.prior_basis == "the same NHS number or UPN, at recall 0.80"
    assert run.prior_basis in linked
    for p in run.source_pairs:
        assert f"{p['source_a']} ~ {p['source_b']}" in linked
    # Every comparison level's m and u, as the run kept them.
    assert all(f"{w['comparison']}: {w['level']}" in linked for w in run.weights)


@pytest.mark.django_db
def test_the_linkage_page_shows_quality_per_pair_to_those_who_may_see_linkage(
    linked_place, client, people
):
    run = LinkageRun.objects.get()
    client.force_login(people["alice"])
    response = client.get(reverse("linkage:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="source-pairs"' in page and 'data-testid="source-pair-weights"' in page
    shown = response.context["source_pairs"]
    assert [(p["source_a"], p["source_b"]) for p in shown] == [
        (p["source_a"], p["source_b"]) for p in run.source_pairs
    ]
    # The histogram's bins add up to the pairs scored, and the threshold's weight is a bin edge.
    for p in shown:
        assert sum(b.pairs for b in p["bins"]) == p["pairs_scored"]
    assert any(
        b.label.startswith(f"{report.threshold_weight(run.threshold):g} to")
        for b in shown[0]["bins"]
    )
    client.force_login(people["charlie"])
    assert client.get(reverse("linkage:home")).status_code == 403


def test_the_histogram_folds_weights_into_bins_around_the_threshold():
    """Hand-worked: 1-wide bins at -2, 0, 1, 3, 12 and 25; at threshold 0.8 (weight 2) the
    bins are below 0, 0 to 2, 2 to 5, 5 to 10, 10 to 20 and 20 and over."""
    weights = [
        {"weight": -2.0, "pairs": 5, "linked": 0},
        {"weight": 0.0, "pairs": 4, "linked": 0},
        {"weight": 1.0, "pairs": 3, "linked": 0},
        {"weight": 3.0, "pairs": 2, "linked": 2},
        {"weight": 12.0, "pairs": 7, "linked": 7},
        {"weight": 25.0, "pairs": 9, "linked": 9},
    ]
    assert [(b.label, b.pairs, b.linked) for b in report.bins(weights, 0.8)] == [
        ("below 0", 5, 0),
        ("0 to 2", 7, 0),
        ("2 to 5", 2, 2),
        ("5 to 10", 0, 0),
        ("10 to 20", 7, 7),
        ("20 and over", 9, 9),
    ]


def test_per_source_pair_lists_every_pair_even_with_nothing_between_them():
    records = [
        {"source_a": "a", "source_b": "a", "records": 10, "linked": 2},
        {"source_a": "b", "source_b": "b", "records": 5, "linked": 0},
        {"source_a": "a", "source_b": "b", "records": 10, "linked": 4},
        {"source_a": "b", "source_b": "a", "records": 5, "linked": 3},
        {"source_a": "c", "source_b": "c", "records": 7, "linked": 0},
    ]
    scores = [
        {"source_a": "a", "source_b": "b", "weight": 8.0, "pairs": 4, "linked": 4},
        {"source_a": "a", "source_b": "b", "weight": -1.0, "pairs": 6, "linked": 0},
    ]
    pairs = {(p["source_a"], p["source_b"]): p for p in report.per_source_pair(records, scores)}
    assert set(pairs) == {("a", "a"), ("a", "b"), ("a", "c"), ("b", "b"), ("b", "c"), ("c", "c")}
    ab = pairs[("a", "b")]
    assert (ab["records_a"], ab["linked_a"], ab["records_b"], ab["linked_b"]) == (10, 4, 5, 3)
    assert (ab["pairs_scored"], ab["pairs_linked"]) == (10, 4)
    assert [w["weight"] for w in ab["weights"]] == [-1.0, 8.0]
    assert (pairs[("a", "a")]["linked_a"], pairs[("a", "c")]["pairs_scored"]) == (2, 0)


def _profile(records: int, pairs: dict[tuple[str, ...], int]) -> plan.Profile:
    every = ("given_name", "family_name", "date_of_birth", "postcode", "address")
    return plan.Profile(
        records=records,
        share=dict.fromkeys(every, 1.0),
        columns=frozenset({*every, "dob_digits", "address_number", "address_street"}),
        broad_pairs=pairs,
    )


def test_wide_blocking_rules_are_taken_while_the_data_affords_them():
    """FEBRL4's counts (10,000 records): all six rules, 390,166 pairs, under the million any
    file may have. A region of a million records: date of birth alone would pair 76 million,
    over the 5 million (5 a record) budget, so it is left out; postcode (3 million), both names
    (1.5 million) and house and street (0.4 million) fit, 4.9 million in all, and a forename or
    a surname alone (hundreds of millions) do not."""
    febrl4 = {
        ("dob_digits",): 5740,
        ("postcode",): 53197,
        ("given_name", "family_name"): 2851,
        ("address_number", "address_street"): 2637,
        ("given_name",): 154898,
        ("family_name",): 170843,
    }
    assert plan.plan_for(_profile(10_000, febrl4)).broad_rules == tuple(febrl4)
    region = {
        ("dob_digits",): 76_000_000,
        ("postcode",): 3_000_000,
        ("given_name", "family_name"): 1_500_000,
        ("address_number", "address_street"): 400_000,
        ("given_name",): 900_000_000,
        ("family_name",): 300_000_000,
    }
    assert plan.plan_for(_profile(1_000_000, region)).broad_rules == tuple(region)[1:4]


def test_the_name_rule_recall_comes_from_the_trained_model():
    """Names on 98% of records (both), dates of birth on 96%, postcodes on all: a true pair has
    them all on both sides with chance 0.98^4 x 0.96^2; it agrees exactly on the names with m
    0.5, the date 0.9, the postcode 0.8. Recall 0.98^4 x 0.96^2 x 0.5 x 0.9 x 0.8 = 0.3066."""
    fitted = plan.plan_for(_profile(1_000, {}))
    fitted = dataclasses.replace(
        fitted,
        shares={"given_name": 0.98, "family_name": 0.98, "date_of_birth": 0.96, "postcode": 1.0},
    )
    exact_m = {"names": 0.5, "date_of_birth": 0.9, "postcode": 0.8, "address": 0.4}
    assert fitted.name_rule_recall(exact_m) == pytest.approx(0.98**4 * 0.96**2 * 0.5 * 0.9 * 0.8)
    # Bounded: a model that learned nothing cannot set the prior to almost any value.
    assert fitted.name_rule_recall({"names": 0.01}) == 0.1
