"""`{% date_input form.field %}`: a GOV.UK date input, with its fieldset, legend, hint and error.

Any app's page can load it (`{% load dates %}`); the field is `placewise.web.dates.DateField`.
`prefix` keeps ids unique when a page shows several forms with the same field names.
"""

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from placewise.web import dates

register = template.Library()


@register.simple_tag
def date_input(field: BoundField, prefix: str = "") -> SafeString:
    """The whole form group for a date field, marked as in error when it is."""
    id_ = f"{prefix}{field.auto_id or 'id_' + field.html_name}"
    value = field.value()
    in_error = dates.boxes_in_error(value) if field.errors else ()
    described = " ".join(
        d
        for d, shown in ((f"{id_}-hint", field.help_text), (f"{id_}-error", field.errors))
        if shown
    )
    hint = (
        format_html('<div class="govuk-hint" id="{}-hint">{}</div>', id_, field.help_text)
        if field.help_text
        else ""
    )
    errors = (
        format_html(
            '<p class="govuk-error-message" id="{}-error">{}</p>',
            id_,
            format_html_join(
                " ",
                '<span class="govuk-visually-hidden">Error:</span> {}',
                ((e,) for e in field.errors),
            ),
        )
        if field.errors
        else ""
    )
    return format_html(
        '<div class="govuk-form-group{}"><fieldset class="govuk-fieldset" role="group"{}>'
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>'
        "{}{}{}</fieldset></div>",
        " govuk-form-group--error" if field.errors else "",
        format_html(' aria-describedby="{}"', described) if described else "",
        field.label,
        hint,
        errors,
        dates.boxes(field.html_name, id_, value, in_error),
    )
