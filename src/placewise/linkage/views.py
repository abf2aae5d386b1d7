"""The Linkage page in the Data area: how the last run went, what the model learned, and the
clerical review queue. Reviewers never see identifiers: they see how each identifier compared
(inside the enclave) and the non-identifying fields the policy function lets them see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from placewise.linkage import actions, queries
from placewise.linkage.forms import ReviewForm
from placewise.linkage.models import LinkageRun, PairReview
from placewise.sharing import policy
from placewise.sharing.access import require
from placewise.sharing.models import Agreement
from placewise.sharing.permissions import Permission
from placewise.store.queries import person_record, run
from placewise.web.charts import bar_chart

# A reviewer says once per session why they are reviewing: the agreements are purpose-bound, so
# a pair is only shown when both records are shared with them for that purpose.
PURPOSE_KEY = "linkage_review_purpose"


@login_required
def linkage_home(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.DATA_VIEW_LOADS)
    latest = LinkageRun.objects.first()
    context: dict[str, object] = {"run": latest}
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
            "sizes": run(queries.cluster_sizes()),
            "sources": run(queries.sources_linked()),
            "pending": PairReview.objects.filter(decision=PairReview.Decision.PENDING).count(),
            "decided": PairReview.objects.exclude(decision=PairReview.Decision.PENDING).count(),
        }
    return render(request, "linkage/home.html", context)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.LINKAGE_REVIEW)
    if request.GET.get("purpose") in Agreement.Purpose.values:
        request.session[PURPOSE_KEY] = request.GET["purpose"]
    status = request.GET.get("status", PairReview.Decision.PENDING)
    pairs = PairReview.objects.all()
    if status in PairReview.Decision.values:
        pairs = pairs.filter(decision=status)
    page = Paginator(pairs.order_by("-match_probability", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "linkage/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": PairReview.Decision.choices,
            "purposes": Agreement.Purpose.choices,
            "purpose": request.session.get(PURPOSE_KEY, ""),
        },
    )


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
            by=request.user.get_username(),
        )
        messages.success(request, "Decision recorded. The next linkage run will apply it.")
        following = PairReview.objects.filter(decision=PairReview.Decision.PENDING).first()
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
