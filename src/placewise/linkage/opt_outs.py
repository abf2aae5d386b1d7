"""An opted-out record leaves the linkage review queue with its rows (store/forget.py): a pair
naming its token, decided or not, is deleted, so no trace of it stays beside the model."""

from typing import Any

from django.db.models import Q

from placewise.linkage.models import PairReview


def drop_pairs(sender: Any, *, token: str, **_: Any) -> None:
    PairReview.objects.filter(Q(token_l=token) | Q(token_r=token)).delete()
