"""Writes about linkage outside the enclave: a run's summary and review queue, and reviewers'
decisions on pairs. Atomic, with an actor, audited."""

import math
from datetime import datetime
from typing import Any

import pyarrow as pa
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from placewise.linkage.models import LinkageRun, PairReview
from placewise.sharing import audit, versions
from placewise.sharing.models import Version


class ReviewError(Exception):
    """A decision that cannot be recorded, with the reason."""


def decided_pairs() -> pa.Table:
    """Every reviewed pair as `token_l, token_r, same`, for the next run to apply."""
    rows = list(
        PairReview.objects.exclude(decision=PairReview.Decision.PENDING).values_list(
            "token_l", "token_r", "decision"
        )
    )
    return pa.table(
        {
            "token_l": pa.array([r[0] for r in rows], pa.string()),
            "token_r": pa.array([r[1] for r in rows], pa.string()),
            "same": pa.array([r[2] == PairReview.Decision.SAME for r in rows], pa.bool_()),
        }
    )


def level_label(weights: list[dict[str, Any]], comparison: str, weight: float | None) -> str:
    """Which level of a comparison a pair reached, from the match weight Splink gave it: each
    level has its own weight, log2(m/u), and a missing value weighs 0. (Splink keeps the level
    itself only alongside the identifiers, which must not leave the enclave.)"""
    if weight is None or weight == 0:
        return "missing on one side"
    levels = [w for w in weights if w["comparison"] == comparison and w["match_weight"] is not None]
    nearest = min(levels, key=lambda w: abs(w["match_weight"] - weight), default=None)
    return nearest["level"] if nearest else "unknown"


def _weights(model: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            rows.append(
                {
                    "comparison": comparison["output_column_name"],
                    "level": level.get("label_for_charts") or level["sql_condition"],
                    "m": m,
                    "u": u,
                    "match_weight": math.log2(m / u) if m and u else None,
                }
            )
    return rows


@transaction.atomic
def record_run(
    *,
    started_at: datetime,
    backend: str,
    threshold: float,
    records: int,
    people: int,
    seconds: float,
    model: dict[str, Any],
    scores: list[dict[str, float]],
    uncertain: pa.Table,
    reviewed_pairs_used: int,
    by: User,
    source_pairs: list[dict[str, Any]] | None = None,
    prior_basis: str = "",
    write: int | None = None,
    recovered: bool = False,
) -> LinkageRun:
    """Keep the run's summary and replace the queue of pairs still waiting for review. `write`
    is the number of the run's write of both stores (stores.replace), named in the audit entry
    so that recovery can tell a run recorded from one whose process died first; `recovered`
    says recovery is recording it, from what the run noted with its links (ADR 0028)."""
    weights = _weights(model)
    comparisons = [c["output_column_name"] for c in model["comparisons"]]
    versions.bump(Version.Of.DATA, reason="linkage run")
    run = LinkageRun.objects.create(
        started_at=started_at,
        backend=backend,
        threshold=threshold,
        records=records,
        people=people,
        seconds=seconds,
        by=by.get_username(),
        weights=weights,
        scores=scores,
        prior=model["probability_two_random_records_match"],
        reviewed_pairs_used=reviewed_pairs_used,
        source_pairs=source_pairs or [],
        prior_basis=prior_basis,
    )
    PairReview.objects.filter(decision=PairReview.Decision.PENDING).delete()
    PairReview.objects.bulk_create(
        [
            PairReview(
                token_l=row["unique_id_l"],
                token_r=row["unique_id_r"],
                source_l=row["source_l"],
                source_r=row["source_r"],
                match_probability=row["match_probability"],
                match_weight=row["match_weight"],
                comparison={
                    name: level_label(weights, name, row[f"mw_{name}"]) for name in comparisons
                },
                run=run,
            )
            for row in uncertain.to_pylist()
        ],
        ignore_conflicts=True,  # a decided pair is never put back in the queue
    )
    audit.record(
        actor=by.get_username(),
        action="linkage.run",
        target=backend,
        reason="the run stopped after its links committed, and recovery recorded it"
        if recovered
        else "",
        detail={
            "records": records,
            "people": people,
            "threshold": threshold,
            "review_queue": uncertain.num_rows,
            "reviewed_pairs_used": reviewed_pairs_used,
            "write": write,
        },
    )
    return run


@transaction.atomic
def review(pair: PairReview, *, decision: str, note: str, by: User) -> PairReview:
    """Record a reviewer's decision; the next run applies it."""
    if decision not in (PairReview.Decision.SAME, PairReview.Decision.DIFFERENT):
        raise ReviewError("Say whether the two records are the same person or different people.")
    pair.decision = decision
    pair.note = note.strip()
    pair.decided_by = by.get_username()
    pair.decided_at = timezone.now()
    pair.save(update_fields=["decision", "note", "decided_by", "decided_at"])
    audit.record(
        actor=by.get_username(),
        action="linkage.review",
        target=f"{pair.source_l}/{pair.token_l} ~ {pair.source_r}/{pair.token_r}",
        detail={"decision": decision, "match_probability": pair.match_probability},
    )
    return pair
