"""The Linkage page in the Data area: how the last run went, what the model learned, and the
clerical review queue. Reviewers never see identifiers: they see how each identifier compared
(inside the enclave) and the non-identifying fields the policy function lets them see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Paginator
from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import Abs
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from placewise.governance.queries import signed_in
from placewise.jobs import actions as jobs
from placewise.jobs import tasks
from placewise.linkage import actions, queries, report
from placewise.linkage.forms import ReviewForm
from placewise.linkage.models import LinkageRun, PairReview
from placewise.sharing import policy
from placewise.sharing.access import permission, require
from placewise.sharing.models import Agreement
from placewise.sharing.permissions import Permission
from placewise.store.queries import person_record, run
from placewise.web.charts import bar_chart

# A reviewer says once per session why they are reviewing: the agreements are purpose-bound, so
# a pair is only shown when both records are shared with them for that purpose.
PURPOSE_KEY = "linkage_review_purpose"
# What the audit log says the queue asked the policy function about: the whole queue, one source
# at a time, not any one person.
QUEUE_SUBJECT = "linkage review queue"
# The most likely matches first, as the queue has always listed them.
# Where a pair sits if no run has recorded its threshold yet (ADR 0006's clustering threshold).
DEFAULT_THRESHOLD = 0.8


def in_queue_order(pairs: QuerySet[PairReview]) -> QuerySet[PairReview]:
    """Nearest the latest run's linking threshold first, as the queue page says: the pairs the
    model was least sure about. (Sorting by probability put the surest pairs first.)"""
    latest = LinkageRun.objects.order_by("-pk").values_list("threshold", flat=True).first()
    threshold = latest if latest is not None else DEFAULT_THRESHOLD
    distance = Abs(F("match_probability") - Value(threshold, output_field=FloatField()))
    return pairs.annotate(distance=distance).order_by("distance", "pk")


@login_required
def linkage_home(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.DATA_VIEW_LOADS)
    latest = LinkageRun.objects.first()
    context: dict[str, object] = {
        "run": latest,
        "may_run": permission(request.user, Permission.LINKAGE_REVIEW).allowed,
    }
    if latest is not None:
        # Every whole-number bin from the lowest to the highest, empty ones too, so the axis is
        # a true scale.
        counted = {int(s["weight"]): s["pairs"] for s in latest.scores}
        bins = range(min(counted, default=0), max(counted, default=0) + 1)
        scores = [(str(w), counted.get(w, 0)) for w in bins]
        context |= {
            "scores_chart": bar_chart(
                scores,
                title="Scores of the candidate pairs",
                description=(
                    "Number of candidate record pairs at each match weight. Pairs far to the "
                    "right are near-certain matches, far to the left near-certain non-matches; "
                    "the pairs in between are the uncertain ones."
                ),
                x_label="Match weight",
                y_label="Pairs",
            ),
            # Per pair of sources, without ground truth: records linked and the scores' spread.
            "source_pairs": report.source_pairs(latest),
            "threshold_weight": report.threshold_weight(latest.threshold),
            "sizes": run(queries.cluster_sizes()),
            "sources": run(queries.sources_linked()),
            "pending": PairReview.objects.filter(decision=PairReview.Decision.PENDING).count(),
            "decided": PairReview.objects.exclude(decision=PairReview.Decision.PENDING).count(),
        }
    return render(request, "linkage/home.html", context)


@login_required
@require_POST
def linkage_start(request: HttpRequest) -> HttpResponse:
    """Run linkage as a job (placewise.jobs), and follow it on its page."""
    require(request.user, Permission.LINKAGE_REVIEW)
    return redirect(tasks.queue(jobs.start_linkage(by=signed_in(request))))


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.LINKAGE_REVIEW)
    if request.GET.get("purpose") in Agreement.Purpose.values:
        request.session[PURPOSE_KEY] = request.GET["purpose"]
    purpose = request.session.get(PURPOSE_KEY, "")
    if purpose not in Agreement.Purpose.values:
        purpose = ""  # a purpose no agreement can be made for any more: ask again
    status = request.GET.get("status", PairReview.Decision.PENDING)
    pairs = PairReview.objects.all()
    if status in PairReview.Decision.values:
        pairs = pairs.filter(decision=status)
    context: dict[str, object] = {
        "status": status,
        "statuses": PairReview.Decision.choices,
        "purposes": Agreement.Purpose.choices,
        "purpose": purpose,
    }
    if purpose:
        # A pair's sources and its probability already tell a reviewer something about two
        # people, so a pair is listed only when both records could be opened for this purpose.
        allowed, refused = _sources_for(request.user, purpose, pairs)
        shown = _openable(pairs, allowed)
        context |= {
            "page": Paginator(in_queue_order(shown), 50).get_page(request.GET.get("page")),
            "hidden": pairs.count() - shown.count(),
            "refused": refused,
            "purpose_label": Agreement.Purpose(purpose).label,
        }
    return render(request, "linkage/queue.html", context)


def _sources_for(
    user: AbstractBaseUser | AnonymousUser, purpose: str, pairs: QuerySet[PairReview]
) -> tuple[set[str], list[str]]:
    """The sources in these pairs that the policy function lets this user read for this purpose,
    asked once per source (each answer audited), and the reasons for those it refuses, one per
    refusal, naming the provider and never a pair."""
    # order_by() clears the model's ordering, which would otherwise be selected and so defeat
    # the DISTINCT.
    unordered = pairs.order_by()
    sources = set(unordered.values_list("source_l", flat=True).distinct()) | set(
        unordered.values_list("source_r", flat=True).distinct()
    )
    allowed, refused = set(), []
    for source in sorted(sources):
        access = policy.decide(user, source=source, purpose=purpose, subject=QUEUE_SUBJECT)
        if access.allowed:
            allowed.add(source)
        else:
            # Named by source: one provider may have several, shared differently.
            refused.append(f"Records from {source}: {access.reason}")
    return allowed, sorted(set(refused))


def _openable(pairs: QuerySet[PairReview], allowed: set[str]) -> QuerySet[PairReview]:
    return pairs.filter(source_l__in=allowed, source_r__in=allowed)


@login_required
def review_pair(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Permission.LINKAGE_REVIEW)
    pair = get_object_or_404(PairReview, pk=pk)
    purpose = request.session.get(PURPOSE_KEY)
    if not purpose:
        messages.info(request, "Say why you are reviewing pairs before opening one.")
        return redirect("linkage:queue")
    sides = []
    for token, source in ((pair.token_l, pair.source_l), (pair.token_r, pair.source_r)):
        access = policy.decide(
            request.user,
            source=source,
            purpose=purpose,
            subject=f"token {token[:16]} (linkage review {pair.pk})",
        )
        if not access.allowed:
            return render(request, "web/denied.html", {"reason": access.reason}, status=403)
        record = run(person_record(token, access.fields))
        provider = policy.provider_of(source)
        sides.append(
            {
                "source": source,
                "provider": provider.name if provider else source,
                "record": record[0] if record else {},
            }
        )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.review(
            pair,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            by=signed_in(request),
        )
        messages.success(request, "Decision recorded. The next linkage run will apply it.")
        # The next pair in the queue this reviewer may open, asked of the policy function as the
        # queue asks it: a pair they may not open is not theirs to be sent to.
        pending = PairReview.objects.filter(decision=PairReview.Decision.PENDING)
        allowed, _ = _sources_for(request.user, purpose, pending)
        following = in_queue_order(_openable(pending, allowed)).first()
        return redirect("linkage:pair", pk=following.pk) if following else redirect("linkage:queue")
    fields = sorted({f for side in sides for f in side["record"]})
    return render(
        request,
        "linkage/pair.html",
        {
            "pair": pair,
            "sides": sides,
            "fields": fields,
            "form": form,
            "purpose": Agreement.Purpose(purpose).label,
        },
        status=400 if form.errors else 200,
    )
