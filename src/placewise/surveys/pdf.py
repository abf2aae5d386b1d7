"""A 360 report as a PDF (reportlab, as reviews/pack.py and practice/exports.py make theirs):
the same numbers the report page shows, after the same group plan; nothing more."""

from __future__ import annotations

import html
import io

from placewise.surveys.report import Report


def report_pdf(report: Report, person_name: str, *, own: bool) -> bytes:
    """The report of a closed round, for its person (`own`: their own note included) or
    someone they shared it with."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()

    def p(text: str, style: str = "Normal") -> Paragraph:
        return Paragraph(html.escape(text, quote=False).replace("\n", "<br/>"), styles[style])

    def score(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}"

    round_ = report.round
    story: list[object] = [
        p(f"360 feedback: {person_name}", "Title"),
        p(
            f"Round started {round_.started_on:%d %B %Y}, closed {round_.closed_on:%d %B %Y}. "
            f"Questionnaire: {round_.questionnaire}. Scores run from 1 (rarely) to 5 (almost always)."
        ),
        p(
            f"A group's scores show only when at least {report.plan.threshold} of its raters "
            "answered; smaller groups are merged into others, or withheld."
        ),
        Spacer(1, 4 * mm),
        p("Self against others, per dimension", "Heading2"),
    ]
    header = ["Dimension", "You", *[f"{line.label} ({line.raters})" for line in report.lines]]
    rows = [
        [label, score(report.own.get(d)), *[score(line.scores.get(d)) for line in report.lines]]
        for d, label in report.dimensions
    ]
    table = Table([header, *rows], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    story.append(table)
    if report.plan.withheld:
        story.append(
            p(f"Fewer than {report.plan.threshold} raters answered, so no rater scores are shown.")
        )
    if report.gaps:
        story += [Spacer(1, 4 * mm), p("The largest gaps", "Heading2")]
        story += [
            p(f"{g.label}: you {g.own:.1f}, raters {g.others:.1f}. {g.reading}")
            for g in report.gaps
        ]
    if report.changes:
        story += [
            Spacer(1, 4 * mm),
            p(f"Change since the round of {report.previous.started_on:%B %Y}", "Heading2"),  # type: ignore[union-attr]
        ]
        for c in report.changes:
            story.append(
                p(
                    f"{c.label}: you {score(c.own_before) or 'none'} → {score(c.own_now) or 'none'}; "
                    f"all raters {score(c.raters_before) or 'withheld'} → {score(c.raters_now) or 'withheld'}"
                )
            )
    story += [Spacer(1, 4 * mm), p("Comments", "Heading2")]
    if own and report.own_comment:
        story.append(p(f"You: {report.own_comment}"))
    story += [p(f"{group}: {text}") for group, text in report.comments]
    if report.comments_withheld:
        story.append(
            p(
                "Comments from groups with fewer raters than the threshold are not shown word "
                "for word."
            )
        )
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, title=f"360 feedback {round_.started_on:%B %Y}", author="placewise"
    ).build(story)
    return out.getvalue()
