"""Security headers Django 5.2 does not set itself, and sign-in throttling."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

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


MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses sign-in for a while after repeated failures for the same username."""

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip().lower()
        key = f"signin-failures:{username}"
        if username and (cache.get(key) or 0) >= MAX_FAILURES:
            raise forms.ValidationError(
                "Too many failed attempts to sign in with this username. Wait 15 minutes and "
                "try again, or ask your administrator to reset your password.",
                code="throttled",
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                cache.set(key, (cache.get(key) or 0) + 1, LOCKOUT_SECONDS)
            raise


# Pages a signed-in person can reach before passing the second factor.
_OPEN_PREFIXES = ("/login/", "/logout/", "/second-factor/", "/public/", "/static/", "/admin/login/")


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
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if second_factor.confirmed(user) is not None:
                return redirect(f"/second-factor/?next={request.path}")
            if second_factor.required_for(user):
                return redirect(f"/second-factor/setup/?next={request.path}")
        return self.get_response(request)
