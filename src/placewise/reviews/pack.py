"""A data review session's pack as an XLSX workbook: the session, its agenda with what was said,
actions and verdicts, and each item's monthly numbers with their SPC limits. Every number and
chart comes from `sharing.publication`: what a partner may not see is `[c]` or left out."""

import io
from datetime import datetime
from typing import Any

import xlsxwriter

from placewise.indicators.export import PLACE
from placewise.indicators.signals import Signal
from placewise.outcomes import data
from placewise.outcomes.visibility import visible
from placewise.reviews.models import Action, ReviewSession, Verdict
from placewise.sharing import spreadsheet_cells as cells

WITHHELD = "[c]"


def signals_for(user: Any) -> list[Signal]:
    """The series this user may see: the place's of every indicator they may see, and each
    team's of those whose every source is their own."""
    views, _ = visible(user)
    return [
        s
        for s in data.all_signals()
        if s.indicator.key in views and (s.team == PLACE or views[s.indicator.key].full)
    ]


def inputs(user: Any) -> tuple[dict[tuple[str, str], Signal], set[str]]:
    """The signals this user may see, by (indicator, team), and the indicators whose every source
    is their own (the others' small counts are withheld from a pack)."""
    signals = {(s.indicator.key, s.team): s for s in signals_for(user)}
    views, _ = visible(user)
    return signals, {key for key, view in views.items() if view.full}


def workbook(
    session: ReviewSession, signals: dict[tuple[str, str], Signal], *, full: set[str]
) -> bytes:
    """`full`: indicators whose every source is the viewer's own; for the rest, what the
    publication path withholds is `[c]`."""
    out = io.BytesIO()
    # What people typed (attendees, reasons, notes) goes in as text, never as a formula.
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    month = book.add_format({"num_format": "mmm yyyy"})
    number = book.add_format({"num_format": "0.000"})

    sheet = book.add_worksheet("Session")
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 90)
    for row, (label, value) in enumerate(
        [
            ("Session", str(session)),
            ("Team", session.team),
            ("Held on", session.held_on.isoformat()),
            ("Chair", session.chair.get_username()),
            ("Attendees", session.attendees),
            ("Follow-up on", session.follow_up_on.isoformat() if session.follow_up_on else ""),
            ("Follows", str(session.follows) if session.follows else ""),
        ]
    ):
        sheet.write(row, 0, label, bold)
        sheet.write(row, 1, cells.cell(value), wrap)

    agenda = book.add_worksheet("Agenda")
    head = ["Indicator", "Team", "Why on the agenda", "Signal", "Interpretations", "Reasons"]
    agenda.write_row(0, 0, head, bold)
    agenda.set_column(0, 5, 30, wrap)
    for row, item in enumerate(session.items.all(), start=1):
        agenda.write_row(
            row,
            0,
            cells.row(
                [
                    item.indicator,
                    item.team,
                    item.get_origin_display(),
                    item.highlight,
                    item.interpretations,
                    item.reasons,
                ]
            ),
        )

    acts = book.add_worksheet("Actions")
    acts.write_row(
        0,
        0,
        ["Indicator", "Team", "Action", "Owner", "Due", "Should move", "Verdict", "Loop", "Note"],
        bold,
    )
    acts.set_column(0, 8, 22, wrap)
    actions = list(Action.objects.filter(item__session=session))
    if session.follows is not None:
        actions += list(Action.objects.filter(item__session=session.follows))
    for row, action in enumerate(actions, start=1):
        verdict: Verdict | None = action.verdicts.order_by("-decided_at").first()
        acts.write_row(
            row,
            0,
            cells.row(
                [
                    action.indicator,
                    action.team,
                    action.description,
                    action.owner,
                    action.due_on.isoformat(),
                    action.get_direction_display(),
                    verdict.get_outcome_display() if verdict else "",
                    verdict.get_loop_display() if verdict else "",
                    verdict.note if verdict else "",
                ]
            ),
        )

    numbers = book.add_worksheet("Numbers")
    numbers.write_row(
        0,
        0,
        [
            "Indicator",
            "Team",
            "Month",
            "Numerator",
            "Denominator",
            "Value",
            "Mean",
            "Lower",
            "Upper",
            "Special cause",
        ],
        bold,
    )
    row = 1
    keys = {(i.indicator, i.team) for i in session.items.all()} | {
        (a.indicator, a.team) for a in actions
    }
    for key in sorted(keys):
        signal = signals.get(key)
        if signal is None:
            continue
        published = data.published(signal, full=key[0] in full)
        for m in published.months:
            numbers.write_row(row, 0, cells.row(key))
            numbers.write_datetime(row, 2, datetime(m.period.year, m.period.month, 1), month)
            for col, v in enumerate(
                (m.numerator, m.denominator, m.value, m.mean, m.lower, m.upper), start=3
            ):
                if v is None:
                    numbers.write(row, col, WITHHELD)
                else:
                    numbers.write_number(row, col, v, number if col >= 5 else None)
            rules = "; ".join(m.rules) if not published.limits_withheld else WITHHELD
            numbers.write(row, 9, cells.cell(rules))
            row += 1
        if published.limits_withheld:
            numbers.write(row, 0, cells.cell(f"{key[0]} ({key[1]}): {published.limits_withheld}"))
            row += 1
    book.close()
    return out.getvalue()


def pdf(session: ReviewSession, signals: dict[tuple[str, str], Signal], *, full: set[str]) -> bytes:
    """The pack for the board as a PDF: each agenda item and follow-up with its SPC chart (drawn
    from the same chart geometry the pages use), what was said, and the actions and verdicts.
    Numbers are in the XLSX."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from placewise.outcomes.charts import signal_chart

    styles = getSampleStyleSheet()
    story: list[object] = [
        Paragraph(str(session), styles["Title"]),
        Paragraph(
            f"Chair: {session.chair.get_username()}. Attended: {', '.join(session.attendees.splitlines())}.",
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
    ]

    def chart(signal: Signal) -> Drawing:
        published = data.published(signal, full=signal.indicator.key in full)
        geometry = signal_chart(
            published,
            title=signal.indicator.title,
            description=published.highlight,
            width=480,
            height=200,
        )
        drawing = Drawing(geometry.width, geometry.height)

        def flip(
            pairs: str, dash: list[int] | None = None, colour: object = colors.black
        ) -> PolyLine:
            xy = [float(v) for pair in pairs.split() for v in pair.split(",")]
            flipped = [v if i % 2 == 0 else geometry.height - v for i, v in enumerate(xy)]
            return PolyLine(flipped, strokeColor=colour, strokeWidth=1, strokeDashArray=dash)

        if geometry.mean:  # empty when the mean and limits are withheld from this viewer
            drawing.add(flip(geometry.upper, [3, 2], colors.grey))
            drawing.add(flip(geometry.lower, [3, 2], colors.grey))
            drawing.add(flip(geometry.mean))
        for run in geometry.line:  # broken where a month is withheld
            drawing.add(flip(run, None, colors.HexColor("#1d70b8")))
        for mark in geometry.marks:
            fill = {"concern": "#f47738", "improvement": "#28a197"}.get(mark.state, "#1d70b8")
            drawing.add(
                Circle(
                    mark.x,
                    geometry.height - mark.y,
                    2.5,
                    fillColor=colors.HexColor(fill),
                    strokeColor=None,
                )
            )
        for x, label in geometry.months:
            drawing.add(String(x - 10, 4, label, fontSize=6))
        drawing.add(Line(geometry.plot_left, 14, geometry.width, 14, strokeColor=colors.lightgrey))
        return drawing

    def section(heading: str, signal: Signal | None, lines: list[str]) -> None:
        story.append(Paragraph(heading, styles["Heading2"]))
        if signal is not None:
            published = data.published(signal, full=signal.indicator.key in full)
            story.append(Paragraph(published.highlight, styles["Normal"]))
            story.append(chart(signal))
        for line in lines:
            if line:
                story.append(Paragraph(line, styles["Normal"]))
        story.append(Spacer(1, 4 * mm))

    if session.follows is not None:
        story.append(Paragraph("Follow-up: did the measures move?", styles["Heading1"]))
        for action in Action.objects.filter(item__session=session.follows):
            verdict = action.verdicts.filter(session=session).first()
            section(
                action.description,
                signals.get((action.indicator, action.team)),
                [
                    f"Owner {action.owner}, due {action.due_on:%d %B %Y}; meant to move "
                    f"{action.indicator} {action.get_direction_display().lower()} from "
                    f"{action.from_period:%B %Y}.",
                    f"Verdict: {verdict.get_outcome_display()} ({verdict.get_loop_display().lower()}). {verdict.note}"
                    if verdict
                    else "No verdict yet.",
                ],
            )
    story.append(Paragraph("Agenda", styles["Heading1"]))
    for item in session.items.all():
        section(
            f"{item.indicator} ({item.team}): {item.get_origin_display().lower()}",
            signals.get((item.indicator, item.team)),
            [
                f"What staff make of it: {item.interpretations}" if item.interpretations else "",
                f"Reasons offered: {item.reasons}" if item.reasons else "",
                *(
                    f"Action: {a.description} ({a.owner}, due {a.due_on:%d %B %Y})"
                    for a in item.actions.all()
                ),
            ],
        )
    out = io.BytesIO()
    # Uncompressed: a few hundred kilobytes at most, and its text can be searched and checked.
    SimpleDocTemplate(out, pagesize=A4, title=str(session), pageCompression=0).build(story)
    return out.getvalue()
