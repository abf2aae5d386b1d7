"""A person's 4C plan as PDF, and all their leadership data as JSON: theirs to take away.
Downloads are audited; what the person wrote is not put in the audit log."""

import io
import json
from datetime import date, datetime
from typing import Any

from placewise.leadership import queries, starter
from placewise.leadership.models import (
    Capability,
    Conversation,
    Entry,
    Plan,
    Reflection,
    Share,
)
from placewise.reviews.models import Action
from placewise.sharing import audit


def plan_pdf(plan: Plan, *, by: Any) -> bytes:
    """The plan as it stands: level, each capability, the experiments and what happened."""
    from xml.sax.saxutils import escape  # nosec B406  # escapes text for ReportLab, parses nothing

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()

    def para(text: str, style: str = "Normal") -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), styles[style])

    story: list[Any] = [
        para(str(plan), "Title"),
        para(f"Level: {plan.get_level_display()}. Started {plan.started_on:%-d %B %Y}."),
        Spacer(1, 4 * mm),
    ]
    gaps = queries.missing(plan)
    story.append(
        para("The plan is complete." if not gaps else "Still to do: " + "; ".join(gaps) + ".")
    )
    rows = queries.experiments(plan, own=False)
    for capability, written in queries.current(plan).items():
        story.append(para(Capability(capability).label, "Heading2"))
        story.append(para(starter.GUIDANCE[capability], "Italic"))
        for kind in (Entry.Kind.STAND, Entry.Kind.WHY):
            entry = written[kind]
            story.append(para(f"{kind.label}: {entry.text if entry else 'not written yet'}"))
        for row in (r for r in rows if r.experiment.capability == capability):
            e = row.experiment
            story.append(
                para(f"Experiment ({e.get_scope_display().lower()}): {e.what}", "Heading4")
            )
            story.append(
                para(
                    f"When and where: {e.when_where}. From {e.starts_on:%-d %B %Y}, "
                    f"review on {e.review_on:%-d %B %Y}."
                )
            )
            for r in row.reflections:
                story.append(
                    para(
                        f"{r.written_on:%-d %B %Y}: {r.what_happened} ({r.get_effect_display()})"
                        + (f" Learned: {r.learned}" if r.learned else "")
                    )
                )
    story += [Spacer(1, 6 * mm), para(f"Guidance after: {starter.SOURCE}", "Italic")]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=str(plan), pageCompression=0).build(story)
    audit.record(
        actor=by.get_username(),
        action="leadership.plan_pdf",
        target=plan.person.get_username(),
        detail={"plan": plan.pk},
    )
    return out.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _action(action: Action) -> dict[str, Any]:
    return {
        "what": action.description,
        "agreed_at": action.agreed_at,
        "agreed_on": _plain(action.agreed_on),
        "review_on": _plain(action.due_on),
        "closed_on": _plain(action.closed_on),
        "reflections": [
            {
                "written_on": _plain(r.written_on),
                "what_happened": r.what_happened,
                "learned": r.learned,
                "effect": r.get_effect_display(),
            }
            for r in Reflection.objects.filter(action=action)
        ],
        "follow_ups": [
            {
                "given_at": v.given_at,
                "outcome": v.get_outcome_display(),
                "loop": v.get_loop_display(),
                "decided_at": _plain(v.decided_at),
            }
            for v in action.verdicts.order_by("decided_at")
        ],
    }


def my_data(person: Any) -> dict[str, Any]:
    """Everything leadership holds about the person, as they may see it."""
    plan = queries.plan_of(person)
    found: dict[str, Any] = {"person": person.get_username(), "plan": None}
    if plan is not None:
        found["plan"] = {
            "level": plan.get_level_display(),
            "started_on": _plain(plan.started_on),
            "history": [
                {
                    "written_on": _plain(e.written_on),
                    "capability": e.get_capability_display() if e.capability else "",
                    "kind": e.get_kind_display(),
                    "text": e.text,
                }
                for e in plan.entries.all()
            ],
            "experiments": [
                {
                    "capability": e.get_capability_display(),
                    "for": e.get_scope_display(),
                    "starting_point": e.activity,
                    "when_where": e.when_where,
                    "starts_on": _plain(e.starts_on),
                    **_action(e.action),
                }
                for e in plan.experiments.select_related("action")
            ],
        }
    found["shared_with"] = [
        s.viewer.get_username()
        for s in Share.objects.filter(person=person).select_related("viewer")
    ]
    # The six-dimension 360 rounds are the surveys app's: its own account of what is theirs.
    from placewise.surveys.queries import data_of

    found["surveys"] = data_of(person)
    found["coaching"] = []
    for c in queries.coachings(person):
        found["coaching"].append(
            {
                "coach": c.coach.get_username(),
                "coachee": c.coachee.get_username(),
                "since": _plain(c.since),
                "until": _plain(c.until),
                "conversations": [
                    {
                        "held_on": _plain(v.held_on),
                        "goal": v.goal,
                        "reality": v.reality,
                        "options": v.options,
                        "recorded": v.get_recorded_display(),
                        "will": [_action(a) for a in v.commitments.all()],
                    }
                    for v in Conversation.objects.filter(coaching=c).order_by("held_on", "pk")
                ],
            }
        )
    return found


def my_data_json(person: Any) -> bytes:
    found = my_data(person)
    audit.record(
        actor=person.get_username(),
        action="leadership.my_data",
        target=person.get_username(),
        detail={"coaching": len(found["coaching"]), "plan": found["plan"] is not None},
    )
    return json.dumps(found, indent=2, ensure_ascii=False).encode()
