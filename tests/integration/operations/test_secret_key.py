"""`placewise secret-key rotate` and `retire-old` (issue 16, item 5): a new Django secret key,
with what the old one signed still accepted until it is retired; both audited; refused when the
key comes from the environment."""

import pytest
from django.core import signing

from placewise.cli import main
from placewise.config.home import fallbacks_of_secret
from placewise.sharing.models import AuditEntry

pytestmark = pytest.mark.django_db
OLD = "the old key of this place, long enough to sign with 0123456789"


@pytest.fixture
def home(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEWISE_HOME", str(tmp_path))  # where the settings read secrets from
    monkeypatch.delenv("PLACEWISE_SECRET_KEY", raising=False)
    monkeypatch.delenv("PLACEWISE_SECRET_KEY_FALLBACKS", raising=False)
    settings.PLACEWISE_HOME = tmp_path
    settings.SECRET_KEY = OLD
    settings.SECRET_KEY_FALLBACKS = []
    return tmp_path


def test_rotating_keeps_what_the_old_key_signed_good_until_it_is_retired(home, settings):
    signed = signing.dumps({"invitation": 7})  # signed with the old key
    assert main(["secret-key", "rotate"]) == 0
    new = (home / "secrets" / "django_secret_key").read_text()
    assert new != OLD and len(new) == 64
    # What the next start reads: the new key, and the old one among the fallbacks.
    settings.SECRET_KEY = new
    settings.SECRET_KEY_FALLBACKS = fallbacks_of_secret(
        "django_secret_key_fallbacks", "PLACEWISE_SECRET_KEY_FALLBACKS"
    )
    assert settings.SECRET_KEY_FALLBACKS == [OLD]
    assert signing.loads(signed) == {"invitation": 7}

    assert main(["secret-key", "retire-old"]) == 0
    settings.SECRET_KEY_FALLBACKS = fallbacks_of_secret(
        "django_secret_key_fallbacks", "PLACEWISE_SECRET_KEY_FALLBACKS"
    )
    assert settings.SECRET_KEY_FALLBACKS == []
    with pytest.raises(signing.BadSignature):
        signing.loads(signed)
    assert list(
        AuditEntry.objects.filter(action__startswith="secret_key.").values_list("action", flat=True)
    ) == ["secret_key.rotate", "secret_key.retire"]
    assert OLD not in repr(list(AuditEntry.objects.values_list("detail", "target", "reason")))


def test_a_key_from_the_environment_is_rotated_there(home, monkeypatch, capsys):
    monkeypatch.setenv("PLACEWISE_SECRET_KEY", OLD)
    assert main(["secret-key", "rotate"]) == 1
    said = capsys.readouterr().err
    assert "PLACEWISE_SECRET_KEY set in the environment: rotate it there" in said
    assert not (home / "secrets" / "django_secret_key").exists()
    assert not AuditEntry.objects.filter(action="secret_key.rotate").exists()
