"""A refused request is logged as one line: who, what they asked for, and why they were refused.

Django logs every 403 from a PermissionDenied with its traceback (django.security.PermissionDenied)
and every 403 response as a warning (django.request). A refusal is the access rules working, and
the policy function has already audited it, so a traceback only buries real faults in the log.
This filter rewrites those records in place; 5xx records keep their tracebacks.

Configured in settings.LOGGING before Django's apps are loaded: it imports nothing of Django's.
"""

import logging


def _escaped(text: object) -> str:
    # A path or a reason can carry what someone typed (a source name, a reference): escaped so a
    # newline in it cannot forge a second log line.
    return str(text).encode("unicode_escape").decode("ascii")


def _who(request: object) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return str(user.get_username())


class OneLineRefusals(logging.Filter):
    """Turns a 403 record into `Refused <who> <method> <path>: <reason>`, without exc_info."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Each django.setup() adds the filter to the logger again (dictConfig replaces a logger's
        # handlers but not its filters), so a record may come through twice: rewrite it once.
        if getattr(record, "status_code", None) != 403 or getattr(record, "one_line", False):
            return True
        record.one_line = True
        request = getattr(record, "request", None)
        exception = record.exc_info[1] if record.exc_info else None
        reason = getattr(exception, "reason", None) or (str(exception) if exception else "")
        record.msg = "Refused %s %s %s: %s"
        record.args = (
            _who(request),
            _escaped(getattr(request, "method", "")),
            _escaped(getattr(request, "path", "")),
            _escaped(reason or "the reason was shown to them on the page"),
        )
        record.exc_info = None
        record.exc_text = None
        return True
