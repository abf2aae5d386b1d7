from django.conf import settings
from django.db import models


class SecondFactor(models.Model):
    """A person's TOTP authenticator. Unconfirmed until they have entered one correct code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor"
    )
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)  # a code is accepted once only

    def __str__(self) -> str:
        return f"second factor for {self.user}"
