"""A peer review's summary as PDF and XLSX (issue 17, item 7), with exactly what the viewer may
see on the page (practice.visibility): a peer's file holds their own feedback only. Text written
by people goes into the workbook through `sharing.spreadsheet_cells` (no formula runs) and into
the PDF escaped (reportlab reads its paragraphs as markup)."""

import html
import io
import itertools

import xlsxwriter

from placewise.practice.models import PeerReview
from placewise.practice.visibility import Sight
from placewise.sharing import spreadsheet_cells as cells

NOTE = (
    "For learning, not for judging performance: a grade is about one piece of practice on one "
    "case, never a score of a person."
)


def _about(review: PeerReview, seen: Sight) -> list[tuple[str, str]]:
    presenter = review.presenter.get_full_name() or review.presenter.get_username()
    return [
        ("Peer review", f"{review.held_on:%d %B %Y}"),
        ("Method", review.get_method_display()),
        ("Practitioner presenting", f"{presenter} ({review.presenter_team})"),
        ("Framework", str(review.framework)),
        ("Case", f"{review.case_source} {review.case_reference}".strip() or "Not chosen yet"),
        ("What this file holds", seen.reason),
        ("How feedback is used", NOTE),
    ]


def workbook(review: PeerReview, seen: Sight) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    about = book.add_worksheet("Review")
    about.set_column(0, 0, 26)
    about.set_column(1, 1, 90)
    for row, (label, value) in enumerate(_about(review, seen)):
        about.write(row, 0, label, bold)
        about.write(row, 1, cells.cell(value), wrap)
    row += 2
    if seen.agreed and review.agreed_on:
        about.write(row, 0, "Summary agreed", bold)
        about.write(row, 1, cells.cell(review.summary), wrap)
        for point in review.learning_points.all():
            row += 1
            about.write(row, 0, "Learning point", bold)
            about.write(
                row,
                1,
                cells.cell(
                    f"{point.text} ({point.criterion_key})" if point.criterion_key else point.text
                ),
                wrap,
            )
    sheet = book.add_worksheet("Feedback")
    heads = ["Area", "Criterion", "Grade", "Strengths", "Areas for improvement"]
    for col, head in enumerate(heads):
        sheet.write(0, col, head, bold)
    sheet.set_column(0, 1, 30)
    sheet.set_column(2, 2, 22)
    sheet.set_column(3, 4, 60)
    for row, f in enumerate(seen.feedback(review), start=1):
        sheet.write_row(
            row,
            0,
            cells.row(
                [f.criterion.area, f.criterion.question, f.grade, f.strengths, f.improvements]
            ),
        )
    book.close()
    return out.getvalue()


def pdf(review: PeerReview, seen: Sight) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()

    def p(text: str, style: str = "Normal") -> Paragraph:
        return Paragraph(html.escape(text, quote=False).replace("\n", "<br/>"), styles[style])

    story: list[object] = [p(f"Peer review, {review.held_on:%d %B %Y}", "Title")]
    story += [p(f"{label}: {value}") for label, value in _about(review, seen)[1:]]
    story.append(Spacer(1, 5 * mm))
    if seen.agreed and review.agreed_on:
        story += [p("What the group agreed", "Heading2"), p(review.summary)]
        points = list(review.learning_points.all())
        if points:
            story.append(p("Learning points", "Heading3"))
            story += [
                p(f"{n}. {pt.text}" + (f" ({pt.criterion_key})" if pt.criterion_key else ""))
                for n, pt in enumerate(points, start=1)
            ]
    story.append(p("Feedback", "Heading2"))
    shown = list(seen.feedback(review))
    if not shown:
        story.append(p("No feedback that you may see."))
    for _, given in itertools.groupby(shown, key=lambda f: f.criterion_id):
        feedback = list(given)
        criterion = feedback[0].criterion
        story.append(p(f"{criterion.area}: {criterion.question}", "Heading3"))
        for f in feedback:
            story += [
                p(f"Grade: {f.grade}"),
                p(f"Strengths: {f.strengths}"),
                p(f"Areas for improvement: {f.improvements or 'None given'}"),
                Spacer(1, 2 * mm),
            ]
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, title=f"Peer review {review.held_on:%d %B %Y}", author="placewise"
    ).build(story)
    return out.getvalue()
