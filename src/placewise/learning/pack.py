"""A data review session's pack as an XLSX workbook: the session, its agenda with what was said,
actions and verdicts, and each item's monthly numbers with their SPC limits."""

import io
from datetime import datetime

import xlsxwriter

from placewise.indicators.signals import Signal
from placewise.learning.models import Action, ReviewSession, Verdict

SMALL = 10


def workbook(
    session: ReviewSession, signals: dict[tuple[str, str], Signal], *, full: set[str]
) -> bytes:
    """`full`: indicators whose every source is the viewer's own; for the rest, months with a
    count under 10 are withheld."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
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
        sheet.write(row, 1, value, wrap)

    agenda = book.add_worksheet("Agenda")
    head = ["Indicator", "Team", "Why on the agenda", "Signal", "Interpretations", "Reasons"]
    agenda.write_row(0, 0, head, bold)
    agenda.set_column(0, 5, 30, wrap)
    for row, item in enumerate(session.items.all(), start=1):
        agenda.write_row(
            row,
            0,
            [
                item.indicator,
                item.team,
                item.get_origin_display(),
                item.highlight,
                item.interpretations,
                item.reasons,
            ],
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
            ],
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
        for p, n, d in zip(
            signal.chart.points, signal.numerators, signal.denominators, strict=True
        ):
            if key[0] not in full and (0 < n < SMALL or 0 < d < SMALL):
                continue

            numbers.write_row(row, 0, [key[0], key[1]])
            numbers.write_datetime(row, 2, datetime(p.period.year, p.period.month, 1), month)
            numbers.write_row(row, 3, [n, d])
            for col, v in enumerate((p.value, p.mean, p.lower, p.upper), start=5):
                numbers.write_number(row, col, v, number)
            numbers.write(row, 9, "; ".join(p.rules))
            row += 1
    book.close()
    return out.getvalue()
