"""The clerical review queue is in the order its page states (issue 15, item 9): nearest the
latest run's linking threshold first, not the surest pairs first."""

from datetime import UTC, datetime

import pytest

from placewise.linkage.models import LinkageRun, PairReview
from placewise.linkage.views import in_queue_order
from placewise.sharing import actors

pytestmark = pytest.mark.django_db


def _run(threshold: float) -> None:
    LinkageRun.objects.create(
        started_at=datetime(2026, 1, 1, tzinfo=UTC),
        backend="duckdb",
        threshold=threshold,
        records=4,
        people=3,
        seconds=1.0,
        by=actors.command_line(),
        prior=0.01,
    )


def _pairs(probabilities: list[float]) -> None:
    for i, p in enumerate(probabilities):
        PairReview.objects.create(
            token_l=f"a{i}",
            token_r=f"b{i}",
            source_l="s",
            source_r="t",
            match_probability=p,
            match_weight=0.0,
        )


def test_nearest_the_threshold_first():
    _run(0.8)
    _pairs([0.99, 0.81, 0.5, 0.78])
    # Distances from 0.8, by hand: 0.19, 0.01, 0.30, 0.02.
    order = [p.match_probability for p in in_queue_order(PairReview.objects.all())]
    assert order == [0.81, 0.78, 0.99, 0.5]


def test_the_latest_runs_threshold_counts():
    _run(0.8)
    _run(0.5)
    _pairs([0.99, 0.52, 0.81])
    order = [p.match_probability for p in in_queue_order(PairReview.objects.all())]
    assert order == [0.52, 0.81, 0.99]
