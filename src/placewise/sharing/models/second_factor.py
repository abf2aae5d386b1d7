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


class FailedSignIn(models.Model):
    """One wrong password or second-factor code, kept while it counts towards a lockout
    (placewise.sharing.lockout). In the database so every worker and every restart sees it."""

    class Kind(models.TextChoices):
        PASSWORD = "password", "password"
        CODE = "code", "second-factor code"

    USERNAME_LENGTH = 150
    ADDRESS_LENGTH = 45  # the longest written-out IPv6 address

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # As typed for a password (it may name nobody); the account's username for a code.
    username = models.CharField(max_length=USERNAME_LENGTH)
    address = models.CharField(max_length=ADDRESS_LENGTH, blank=True)  # REMOTE_ADDR
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "username", "at"], name="failed_signin_person"),
            models.Index(fields=["kind", "address", "at"], name="failed_signin_address"),
            models.Index(fields=["at"], name="failed_signin_at"),
        ]

    def __str__(self) -> str:
        return f"wrong {self.kind} for {self.username} from {self.address or '?'} at {self.at}"
