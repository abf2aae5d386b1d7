"""Security headers Django 5.2 does not set itself, and sign-in throttling."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# Everything is served from this origin; no inline script or style is allowed.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    )
)


class SecurityHeaders:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses sign-in for a while after repeated failures for the same username, or from the
    same address, counted in the database (placewise.sharing.lockout) so that every worker and
    every restart sees the same count."""

    def clean(self) -> dict[str, Any]:
        from placewise.sharing import lockout

        username = (self.data.get("username") or "").strip().lower()
        meta = self.request.META if self.request is not None else {}
        # The client's address, through a trusted reverse proxy (PLACEWISE_TRUSTED_PROXIES).
        address, now = lockout.client_address(meta), timezone.now()
        kind, failure = lockout.Kind.PASSWORD, None
        with transaction.atomic():
            # Parallel guesses at one account take turns on its row, so none reads the count
            # before the one ahead of it is recorded. A username that names nobody has no row.
            list(
                get_user_model()
                .objects.select_for_update()
                .filter(username__iexact=username)
                .values_list("pk", flat=True)
            )
            lock = lockout.lock_for(kind=kind, username=username, address=address, now=now)
            if lock is None:
                try:
                    cleaned = super().clean()
                except forms.ValidationError as wrong:
                    if username:
                        lockout.record_failure(
                            kind=kind, username=username, address=address, now=now
                        )
                    failure = wrong  # raised below: raising here would roll back the count
                else:
                    if self.user_cache is not None:
                        lockout.forgive(kind=kind, username=username)
                    return cleaned
        if failure is not None:
            raise failure
        assert lock is not None  # super().clean() either returned or failed above
        if lock.on_address:
            message = (
                "Too many failed attempts to sign in from this network, which other people may "
                f"share. Try again after {lock.until_text}, or ask your administrator for help."
            )
        else:
            message = (
                "Too many failed attempts to sign in with this username. Try again after "
                f"{lock.until_text}, or ask your administrator to reset your password."
            )
        raise forms.ValidationError(message, code="throttled")


class SessionKeptAlive:
    """Keeps a signed-in session alive by writing it at most once a minute, not on every page.

    Sessions end after SESSION_COOKIE_AGE without a request. Django's way to slide that expiry
    (SESSION_SAVE_EVERY_REQUEST) writes the session row on every request, which on SQLite makes
    every page view a write queued behind every other. Writing it when a minute has passed since
    it was last written ends an idle session between 29 and 30 minutes after its last request.
    """

    KEY = "_kept_alive"
    EVERY = 60  # seconds

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(timezone.now().timestamp())
            if now - int(session.get(self.KEY, 0)) >= self.EVERY:
                session[self.KEY] = now  # modified: SessionMiddleware saves it, expiry renewed
        return response


# Pages a signed-in person can reach before passing the second factor: signing in, and what
# anyone may read without signing in at all (the public portal and its API, the residents' guide,
# the "you said, we did" pages) — except the service's own pages under them.
_OPEN_PREFIXES = (
    "/login/",
    "/logout/",
    "/second-factor/",
    "/static/",
    "/public/",
    "/api/",
    "/guide/",
    "/community/you-said-we-did/",
)
_GATED_UNDER_OPEN = ("/guide/service/", "/public/manage/")


class SecondFactorGate:
    """After the password: people with an authenticator must enter a code; people whose roles
    require one must set one up first. Nothing else is served until they have."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.shortcuts import redirect

        from placewise.sharing import second_factor

        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(second_factor.SESSION_KEY)
            and (
                not request.path.startswith(_OPEN_PREFIXES)
                or request.path.startswith(_GATED_UNDER_OPEN)
            )
        ):
            if second_factor.confirmed(user) is not None:
                return redirect(f"/second-factor/?next={request.path}")
            if second_factor.required_for(user):
                return redirect(f"/second-factor/setup/?next={request.path}")
        return self.get_response(request)
