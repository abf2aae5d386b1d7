"""Django's admin, for placewise staff only once they have passed the second factor.

placewise.web.admin_apps makes this the default site, so every model registered with
`admin.site` is behind the same check. The admin's own sign-in form is never shown: it is not
throttled, so people sign in through placewise's sign-in page and second factor instead.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from placewise.sharing.access import AccessDenied
from placewise.sharing.second_factor import SESSION_KEY


class StaffAdminSite(AdminSite):
    """The admin site every model registers with (`admin.site`)."""

    def has_permission(self, request: HttpRequest) -> bool:
        """Active staff, signed in, who have entered a code from their authenticator."""
        return super().has_permission(request) and bool(request.session.get(SESSION_KEY))

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Sends people to the step they have not done yet, or says why they cannot come in."""
        index = reverse("admin:index", current_app=self.name)
        target = request.GET.get("next") or index
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = index
        if not request.user.is_authenticated:
            return redirect_to_login(target)
        if not request.session.get(SESSION_KEY):
            # Without an authenticator the code page sends them on to set one up.
            return redirect(f"{reverse('second_factor_verify')}?{urlencode({'next': target})}")
        if self.has_permission(request):
            return redirect(target)
        raise AccessDenied(
            "The admin pages are only for placewise staff. If you need them for your work, "
            "ask your placewise administrator."
        )
