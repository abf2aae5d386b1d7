"""`{% mdc_icons series %}`: Making Data Count's variation and assurance icons for a published
series (`sharing.publication.PublishedSeries`); `explain=True` writes each one's meaning beside it."""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from placewise.indicators import spc
from placewise.web import icons

register = template.Library()


@register.simple_tag
def mdc_icons(series: Any, explain: bool = False) -> SafeString:
    """The series' icons, or nothing when its reading is withheld."""
    keys = [
        k
        for k in spc.icons(series.variation, series.assurance, series.indicator.polarity)
        if k is not None
    ]
    if not keys:
        return SafeString("")
    if not explain:
        return format_html(
            '<span class="pw-mdc">{}</span>',
            format_html_join("", "{}", ((icons.icon(k, 28),) for k in keys)),
        )
    return format_html(
        '<ul class="govuk-list pw-mdc pw-mdc--explained" data-testid="mdc-icons">{}</ul>',
        format_html_join(
            "",
            '<li class="pw-mdc__item">{}<span><strong>{}:</strong> {}.</span></li>',
            (
                (icons.icon(k, 40), icons.SHORT[k], icons.MEANINGS[k].split(": ", 1)[1])
                for k in keys
            ),
        ),
    )


@register.simple_tag
def mdc_key() -> SafeString:
    """Every icon with its meaning, in a GOV.UK details element."""
    return format_html(
        '<details class="govuk-details" data-testid="mdc-key"><summary class="govuk-details__'
        'summary"><span class="govuk-details__summary-text">What the icons mean</span></summary>'
        '<div class="govuk-details__text"><ul class="govuk-list pw-mdc--explained">{}</ul>'
        "</div></details>",
        format_html_join(
            "",
            '<li class="pw-mdc__item">{}<span><strong>{}:</strong> {}.</span></li>',
            (
                (icons.icon(k, 32), icons.SHORT[k], icons.MEANINGS[k].split(": ", 1)[1])
                for k in icons.MEANINGS
            ),
        ),
    )
