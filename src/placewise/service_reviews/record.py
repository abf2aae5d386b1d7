"""A review meeting's record as XLSX and PDF, made for one viewer: the sample's journeys as their
agreements allow (a child whose sampled record they may not open is "Child N", never its case
reference), what is withheld named by provider, the findings and the changes agreed with their
follow-up. The sample's counts go through `sharing.publication`, as on the page."""

import io
from typing import Any

import xlsxwriter
from django.utils.html import escape

from placewise.reviews.models import Action, Verdict
from placewise.service_reviews import queries
from placewise.service_reviews.models import Finding, ReviewMeeting
from placewise.sharing import spreadsheet_cells as cells
from placewise.sharing.models import Agreement
from placewise.web.labels import event_kind

WITHHELD = "[c]"


def _meeting_lines(meeting: ReviewMeeting) -> list[tuple[str, str]]:
    schedule = meeting.schedule
    return [
        ("Review", schedule.title),
        ("Kind", meeting.get_kind_display()),
        ("Held on", f"{meeting.held_on:%d %B %Y}"),
        ("Chair", meeting.chair.get_full_name() or meeting.chair.get_username()),
        ("Attended", ", ".join(meeting.attendees.splitlines())),
        ("Areas of the service", ", ".join(schedule.area_labels())),
        ("Records opened for", Agreement.Purpose(meeting.purpose).label),
    ]


def _child(journey: queries.ChildJourney) -> str:
    if journey.opened:
        return f"Child {journey.number}: {journey.child.reference} ({journey.child.source})"
    return f"Child {journey.number}"


def _withheld(journey: queries.ChildJourney) -> str:
    return "; ".join(
        f"{w['count']} event{'s' if w['count'] != 1 else ''} from {w['provider']} not shared"
        + (f" ({w['reason']})" if w["reason"] else "")
        for w in journey.withheld
    )


def _changes(finding: Finding) -> list[tuple[Action, Verdict | None]]:
    found = []
    for change in finding.changes.select_related("action__carried_to"):
        verdict = change.action.verdicts.order_by("-decided_at").first()
        found.append((change.action, verdict))
    return found


def _follow_up(action: Action, verdict: Verdict | None) -> str:
    if verdict is not None:
        return f"{verdict.get_outcome_display()} ({verdict.get_loop_display().lower()})"
    if action.carried_to is not None:
        return f"To be followed up at {action.carried_to}"
    return "Waiting for the next data review session"


def workbook(meeting: ReviewMeeting, journeys: list[queries.ChildJourney], *, full: bool) -> bytes:
    """`full`: every record read was the viewer's own organisation's; otherwise the sample's small
    counts are withheld (`[c]`), as the publication path withholds them everywhere."""
    out = io.BytesIO()
    # What people typed goes in as text, never as a formula.
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    sheet = book.add_worksheet("Meeting")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 90)
    for row, (label, value) in enumerate(_meeting_lines(meeting)):
        sheet.write(row, 0, label, bold)
        sheet.write(row, 1, cells.cell(value), wrap)

    sample = book.add_worksheet("Children's journeys")
    sample.write_row(
        0, 0, ["Child", "Drawn from", "Event", "From", "To", "Team", "Source", "Withheld"], bold
    )
    sample.set_column(0, 7, 24, wrap)
    row = 1
    for journey in journeys:
        head = [_child(journey), journey.child.drawn_as]
        if not journey.events:
            sample.write_row(row, 0, cells.row([*head, "", "", "", "", "", _withheld(journey)]))
            row += 1
        for event in journey.events:
            sample.write_row(
                row,
                0,
                cells.row(
                    [
                        *head,
                        event_kind(event["kind"]),
                        str(event["start_date"] or ""),
                        str(event["end_date"] or ""),
                        event.get("team") or "",
                        event["source"],
                        _withheld(journey),
                    ]
                ),
            )
            row += 1

    summary = queries.summary(journeys, full=full)
    counts = book.add_worksheet("What the sample shows")
    counts.write_row(0, 0, ["Step", f"Children (of {summary.children})"], bold)
    counts.set_column(0, 0, 44)
    for row, (label, yes) in enumerate(summary.rows, start=1):
        counts.write(row, 0, label)
        counts.write(row, 1, WITHHELD if yes is None else yes)

    found = book.add_worksheet("Findings and changes")
    found.write_row(
        0,
        0,
        [
            "Process",
            "What the journeys show",
            "Strategic goal",
            "Change agreed",
            "Owner",
            "Due",
            "Indicator",
            "Team",
            "Should move",
            "Follow-up",
        ],
        bold,
    )
    found.set_column(0, 9, 24, wrap)
    row = 1
    for finding in meeting.findings.select_related("goal"):
        head = [finding.process, finding.shows, finding.goal.title]
        changes: list[tuple[Action | None, Verdict | None]] = [*_changes(finding)] or [(None, None)]
        for action, verdict in changes:
            tail = (
                [
                    action.description,
                    action.owner,
                    action.due_on.isoformat(),
                    action.indicator,
                    action.team,
                    action.get_direction_display(),
                    _follow_up(action, verdict),
                ]
                if action is not None
                else [""] * 7
            )
            found.write_row(row, 0, cells.row([*head, *tail]))
            row += 1
    book.close()
    return out.getvalue()


def pdf(meeting: ReviewMeeting, journeys: list[queries.ChildJourney], *, full: bool) -> bytes:
    """The meeting's record for its participants and the board, as the viewer may see it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()

    def para(text: str, style: str = "Normal") -> Any:
        # What people typed is text, never markup.
        return Paragraph(escape(text), styles[style])

    story: list[Any] = [para(str(meeting), "Title")]
    story += [para(f"{label}: {value}") for label, value in _meeting_lines(meeting)]
    story.append(Spacer(1, 5 * mm))
    story.append(para("Children's journeys", "Heading1"))
    for journey in journeys:
        story.append(para(f"{_child(journey)}, from {journey.child.drawn_as}", "Heading3"))
        if not journey.opened:
            story.append(para(f"The sampled record is not shown: {journey.reason}"))
        for event in journey.events:
            dates = str(event["start_date"] or "")
            if event["end_date"]:
                dates += f" to {event['end_date']}"
            story.append(para(f"{dates}: {event_kind(event['kind'])} ({event['source']})"))
        if journey.withheld:
            story.append(para(f"Withheld: {_withheld(journey)}."))
    summary = queries.summary(journeys, full=full)
    if summary.children:
        story.append(para("What the sample shows", "Heading2"))
        story += [
            para(f"{label}: {WITHHELD if yes is None else yes} of {summary.children}")
            for label, yes in summary.rows
        ]
        if not full:
            story.append(para(f"{WITHHELD}: too few children to show without identifying them."))
    story.append(para("Findings and process changes", "Heading1"))
    for finding in meeting.findings.select_related("goal"):
        story.append(para(f"{finding.process} (goal: {finding.goal.title})", "Heading3"))
        story.append(para(finding.shows))
        for action, verdict in _changes(finding):
            story.append(
                para(
                    f"Change agreed: {action.description}. Owner {action.owner}, due "
                    f"{action.due_on:%d %B %Y}; should move {action.indicator} ({action.team}) "
                    f"{action.get_direction_display().lower()}. {_follow_up(action, verdict)}."
                )
            )
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=str(meeting), pageCompression=0).build(story)
    return out.getvalue()
