from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.sources.processes import TRUST, Homes, organisation


@pytest.fixture(scope="session")
def homes(tmp_path_factory) -> Homes:
    return Homes(tmp_path_factory.mktemp("homes"))


@pytest.fixture
def new_home(tmp_path, homes) -> Callable[..., Path]:
    """new_home("crashed") is a home of this test's with the trust set up; new_home("name",
    *commands) one that these `placewise` commands (processes.organisation, processes.ingest,
    ...) leave as they leave a new home."""

    def make(name: str, *commands: tuple[str, ...]) -> Path:
        return homes.copy(tmp_path / name, *(commands or [organisation(TRUST, "nhs")]))

    return make
