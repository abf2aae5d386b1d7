"""A practitioner's progress record as PDF and XLSX (issue 17, item 7), for their own portfolio:
what the progress page shows, as the same viewer may see it (the practitioner: every review; their
supervisor: the shared ones). What people typed goes into the workbook as text, never as a
formula (sharing/spreadsheet_cells). Downloads are audited."""

import io
from typing import Any

import xlsxwriter

from placewise.sharing import audit
from placewise.sharing import spreadsheet_cells as cells
from placewise.supervision.progress import Progress

KINDS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ABOUT = (
    "Grades are feedback from peers on one piece of practice, not a score of a person: they are "
    "not averaged, and no one is ranked."
)


def make(found: Progress, kind: str, *, by: Any) -> tuple[bytes, str, str]:
    """The record, its content type and its file name; the download audited."""
    made = pdf(found) if kind == "pdf" else workbook(found)
    who = found.view.practitioner.get_username()
    audit.record(
        actor=by.get_username(),
        action="supervision.progress_record",
        target=who,
        detail={"format": kind, "reviews": len(found.reviews), "own": found.view.own},
    )
    return made, KINDS[kind], f"progress-record-{who}.{kind}"


def _rows(found: Progress) -> list[list[object]]:
    """Every line of every criterion's timeline, in date order."""
    rows: list[list[object]] = []
    for c in found.criteria:
        for e in c.entries:
            if e.kind == "review" and e.grades is not None:
                g = e.grades
                rows.append(
                    [
                        c.area,
                        c.question,
                        e.on.isoformat(),
                        "Peer review",
                        g.said,
                        "\n".join(g.strengths),
                        "\n".join(g.improvements),
                        "\n".join(g.learning_points),
                    ]
                )
            elif e.kind == "action" and e.action is not None:
                a = e.action
                rows.append(
                    [
                        c.area,
                        c.question,
                        e.on.isoformat(),
                        "Will try (supervision)",
                        f"{a.description} (by {a.due_on:%-d %B %Y})",
                        "",
                        "",
                        "",
                    ]
                )
            elif e.verdict is not None and e.action is not None:
                v = e.verdict
                rows.append(
                    [
                        c.area,
                        c.question,
                        e.on.isoformat(),
                        "Follow-up (supervision)",
                        f"{e.action.description}: {v.get_outcome_display()}. {v.note}".strip(),
                        "",
                        "",
                        v.evidence.get("summary", ""),
                    ]
                )
    return rows


def escape(text: str) -> str:
    """Text for a PDF paragraph, whose markup is XML-like: what people typed is not markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


HEAD = [
    "Area",
    "Criterion",
    "Date",
    "What",
    "Grades peers gave, or the action",
    "Strengths",
    "Areas for improvement",
    "Learning points, or the evidence",
]


def workbook(found: Progress) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    about = book.add_worksheet("About")
    about.set_column(0, 0, 24)
    about.set_column(1, 1, 90)
    for row, (label, value) in enumerate(
        [
            ("Progress record of", found.practitioner_name),
            ("Peer reviews", str(len(found.reviews))),
            ("Shown", "Every peer review" if found.view.own else "Reviews shared into supervision"),
            ("About the grades", ABOUT),
        ]
    ):
        about.write(row, 0, label, bold)
        about.write(row, 1, cells.cell(value), wrap)
    sheet = book.add_worksheet("Progress")
    sheet.write_row(0, 0, HEAD, bold)
    sheet.set_column(0, 7, 28, wrap)
    for row, values in enumerate(_rows(found), start=1):
        sheet.write_row(row, 0, cells.row(values))
    grades = book.add_worksheet("Grades")
    grades.write_row(
        0, 0, ["Criterion", "Review", *(found.criteria[0].scale if found.criteria else [])], bold
    )
    row = 1
    for c in found.criteria:
        for g in c.reviews:
            counted = dict(g.counts)
            grades.write_row(
                row,
                0,
                cells.row(
                    [
                        c.question,
                        g.review.held_on.isoformat(),
                        *(counted.get(s, 0) for s in c.scale),
                    ]
                ),
            )
            row += 1
    book.close()
    return out.getvalue()


def pdf(found: Progress) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    styles = getSampleStyleSheet()
    title = f"Progress across peer reviews: {found.practitioner_name}"
    story: list[object] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(
                f"{len(found.reviews)} peer review{'' if len(found.reviews) == 1 else 's'}"
                + ("" if found.view.own else ", those shared into supervision")
                + f". {ABOUT}"
            ),
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
    ]
    for c in found.criteria:
        story.append(Paragraph(escape(c.question), styles["Heading2"]))
        if c.area:
            story.append(Paragraph(escape(c.area), styles["Italic"]))
        if c.reviews:
            data = [["Review", *c.scale]] + [
                [f"{g.review.held_on:%-d %b %Y}", *(str(dict(g.counts).get(s, 0)) for s in c.scale)]
                for g in c.reviews
            ]
            story.append(Table(data, hAlign="LEFT"))
        for e in c.entries:
            if e.kind == "review" and e.grades is not None:
                line = f"{e.on:%-d %B %Y}, peer review: {e.grades.said}."
                for text in e.grades.improvements:
                    line += f" Area for improvement: {text.rstrip('.')}."
                for text in e.grades.learning_points:
                    line += f" Learning point: {text.rstrip('.')}."
            elif e.kind == "action" and e.action is not None:
                line = (
                    f"{e.on:%-d %B %Y}, supervision: will try “{e.action.description}” "
                    f"(by {e.action.due_on:%-d %B %Y})."
                )
            elif e.verdict is not None and e.action is not None:
                line = (
                    f"{e.on:%-d %B %Y}, follow-up: {e.verdict.get_outcome_display()}. "
                    f"{e.verdict.evidence.get('summary', '')} {e.verdict.note}"
                )
            else:
                continue
            story.append(Paragraph(escape(line), styles["Normal"]))
        story.append(Spacer(1, 4 * mm))
    if found.other_points:
        story.append(Paragraph("Other learning points", styles["Heading2"]))
        for review, text in found.other_points:
            story.append(Paragraph(escape(f"{review.held_on:%-d %B %Y}: {text}"), styles["Normal"]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title, pageCompression=0).build(story)
    return out.getvalue()
