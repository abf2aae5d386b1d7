"""The logs' second line of defence: the code logs no identifiers (tests/integration/operations/test_logs.py
proves it for a load, a linkage run and a person's page), and this filter masks anything shaped
like one that reaches a log anyway, in a message, its arguments or a traceback (a database error
can quote the value it failed on). Names and dates of birth have no shape to find: for those the
test is the guard."""

import logging
import re

MASK = "[withheld]"
SHAPES = re.compile(
    r"""
    \b\d{3}[ -]?\d{3}[ -]?\d{4}\b                 # an NHS number, spaced or not
    | \b[A-Z]\d{11}[0-9A-Z]\b                     # a UPN (the last may be a letter: temporary)
    | \b[A-Z]{1,2}\d[A-Z\d]?\ ?\d[ABD-HJLNP-UW-Z]{2}\b  # a full postcode
    """,
    re.VERBOSE,
)


def masked(text: str) -> str:
    """`text` with every identifier-shaped run replaced."""
    return SHAPES.sub(MASK, text)


class WithoutIdentifiers(logging.Filter):
    """Rewrites each record's message (and traceback) with identifier-shaped runs masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = masked(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = masked(record.exc_text)
        return True
