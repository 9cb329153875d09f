"""The gateway the tests drive (sandbox mode): `SHIPGATE_URL` and `SHIPGATE_API_KEY` (an
admin key), as `scripts/clients.sh check` sets them."""

import os
import pathlib
import sys

import pytest
from shipgate_client import AuthenticatedClient

# The hand-written examples beside the generated package.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))


@pytest.fixture(scope="session")
def client() -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=os.environ["SHIPGATE_URL"],
        token=os.environ["SHIPGATE_API_KEY"],
        raise_on_unexpected_status=True,
    )
