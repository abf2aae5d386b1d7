"""Quality you can see without ground truth, per pair of sources (issue 13, item 5): how many
records linked, how the model scored the candidate pairs, and what it learned (m and u per
comparison level, the prior). Shared by the Linkage page and `placewise link`. Aggregates only:
counts of records and pairs per source, never a token or an identifier.

A good run shows most scored pairs far from the threshold (a dip in the middle of the histogram)
and link rates between sources that fit what the partners hold; a bad one shows a hump at the
threshold, a pair of sources with candidate pairs but almost no links, or m and u values close
together (a comparison that tells matches from non-matches poorly).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations_with_replacement, pairwise
from typing import Any

from placewise.linkage.models import LinkageRun

# Match weight bins shown (lower edges, besides the threshold's own weight): below 0 is more
# likely different than the same; 20 and over is beyond doubt in any place.
WEIGHT_EDGES = (0.0, 5.0, 10.0, 20.0)


def per_source_pair(
    records: Iterable[dict[str, Any]], scores: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """What a run keeps per pair of sources (in name order), from the run's two aggregate
    queries (splink_sql.source_pair_records_sql and source_pair_scores_sql). Every pair of
    sources is listed, those with nothing scored between them too: that is a finding."""
    records, scores = list(records), list(scores)
    totals = {r["source_a"]: int(r["records"]) for r in records if r["source_a"] == r["source_b"]}
    pairs: dict[tuple[str, str], dict[str, Any]] = {
        (a, b): {
            "source_a": a,
            "source_b": b,
            "records_a": totals[a],
            "records_b": totals[b],
            "linked_a": 0,
            "linked_b": 0,
            "pairs_scored": 0,
            "pairs_linked": 0,
            "weights": [],
        }
        for a, b in combinations_with_replacement(sorted(totals), 2)
    }
    for row in records:
        a, b = row["source_a"], row["source_b"]
        entry = pairs[(min(a, b), max(a, b))]
        if a == b:
            entry["linked_a"] = entry["linked_b"] = int(row["linked"])
        else:
            entry["linked_a" if a < b else "linked_b"] = int(row["linked"])
    for row in sorted(scores, key=lambda r: (r["source_a"], r["source_b"], r["weight"])):
        entry = pairs[(row["source_a"], row["source_b"])]
        entry["pairs_scored"] += int(row["pairs"])
        entry["pairs_linked"] += int(row["linked"])
        entry["weights"].append(
            {
                "weight": float(row["weight"]),
                "pairs": int(row["pairs"]),
                "linked": int(row["linked"]),
            }
        )
    return list(pairs.values())


@dataclass(frozen=True)
class Bin:
    label: str
    pairs: int
    linked: int


def threshold_weight(threshold: float) -> float:
    """The match weight a pair needs to be linked: log2 of the threshold's odds."""
    return math.log2(threshold / (1 - threshold))


def bins(weights: list[dict[str, Any]], threshold: float) -> list[Bin]:
    """1-wide weight bins folded into a few: below 0, up to the threshold, then WEIGHT_EDGES."""
    cut = round(threshold_weight(threshold), 1)
    edges = sorted({*WEIGHT_EDGES, cut})
    labels = [f"below {edges[0]:g}"]
    labels += [f"{lo:g} to {hi:g}" for lo, hi in pairwise(edges)]
    labels.append(f"{edges[-1]:g} and over")
    counted = [[0, 0] for _ in labels]
    for w in weights:
        # A 1-wide bin [w, w + 1) goes where its lower edge falls.
        index = sum(1 for edge in edges if w["weight"] >= edge)
        counted[index][0] += w["pairs"]
        counted[index][1] += w.get("linked", 0)
    return [
        Bin(label, pairs, linked) for label, (pairs, linked) in zip(labels, counted, strict=True)
    ]


def source_pairs(run: LinkageRun) -> list[dict[str, Any]]:
    """The run's per-pair figures with their histogram folded into `bins`, for the page."""
    return [{**pair, "bins": bins(pair["weights"], run.threshold)} for pair in run.source_pairs]


def lines(run: LinkageRun) -> list[str]:
    """`placewise link`'s report of a run: per pair of sources, then the model's parameters."""
    out: list[str] = []
    pairs = source_pairs(run)
    if pairs:
        width = max(len(f"{p['source_a']} ~ {p['source_b']}") for p in pairs)
        out.append("records linked, per pair of sources (a ~ b: a's records in a person with one")
        out.append("of b's; a source with itself: records in a person with another of its own)")
        out.append(
            f"  {'sources':<{width}} {'a':>8} {'linked':>8} {'b':>8} {'linked':>8} "
            f"{'scored':>9} {'linked':>9}"
        )
        for p in pairs:
            label = f"{p['source_a']} ~ {p['source_b']}"
            out.append(
                f"  {label:<{width}} {p['records_a']:>8,} {p['linked_a']:>8,} "
                f"{p['records_b']:>8,} {p['linked_b']:>8,} "
                f"{p['pairs_scored']:>9,} {p['pairs_linked']:>9,}"
            )
        labels = [b.label for b in pairs[0]["bins"]]
        cell = max(len(label) for label in labels)
        out.append(
            f"match weights of the scored pairs, per pair of sources (pairs; linked from weight "
            f"{threshold_weight(run.threshold):.1f}, probability {run.threshold:g})"
        )
        out.append(f"  {'sources':<{width}} " + " ".join(f"{lb:>{cell}}" for lb in labels))
        for p in pairs:
            label = f"{p['source_a']} ~ {p['source_b']}"
            out.append(f"  {label:<{width}} " + " ".join(f"{b.pairs:>{cell},}" for b in p["bins"]))
    basis = f", estimated from {run.prior_basis}" if run.prior_basis else ""
    out.append(f"model: prior (probability two random records match) {run.prior:.3g}{basis}")
    out.append("m and u per comparison level:")
    width = max((len(f"{w['comparison']}: {w['level']}") for w in run.weights), default=10)
    out.append(f"  {'comparison: level':<{width}} {'m':>8} {'u':>10} {'weight':>7}")
    for w in run.weights:
        m = f"{w['m']:.4f}" if w["m"] is not None else "-"
        u = f"{w['u']:.6f}" if w["u"] is not None else "-"
        weight = f"{w['match_weight']:.2f}" if w["match_weight"] is not None else "-"
        out.append(f"  {w['comparison'] + ': ' + w['level']:<{width}} {m:>8} {u:>10} {weight:>7}")
    return out
