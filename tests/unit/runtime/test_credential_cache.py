"""The authenticator's credential cache never keeps what an event has replaced."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt

import pytest

from services.runtime.auth import Authenticator, CredentialRow, _digest
from services.runtime.errors import Unauthenticated


class _SlowTable:
    """Stands in for the database: each read returns the row as it was when
    the read began, and finishes only when the test lets it."""

    def __init__(self, row: CredentialRow) -> None:
        self.row = row
        self.release = asyncio.Event()

    @contextlib.asynccontextmanager
    async def reader(self):
        yield self

    async def get(self, _model, _credential_id):
        seen = self.row
        await self.release.wait()
        return seen


def _row(revoked_at: dt.datetime | None = None) -> CredentialRow:
    return CredentialRow(
        credential_id="c1", role=1, agency_code="A", secret_sha256=_digest("s"), revoked_at=revoked_at
    )


async def test_a_lookup_racing_a_revocation_does_not_cache_the_old_row():
    table = _SlowTable(_row())
    authenticator = Authenticator(table)  # type: ignore[arg-type]
    in_flight = asyncio.create_task(authenticator.authenticate("gs_c1_s"))
    await asyncio.sleep(0)  # the lookup has read the unrevoked row
    table.row = _row(revoked_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    authenticator.forget("c1")  # what the revocation event does after its commit
    table.release.set()
    assert (await in_flight).credential_id == "c1"  # answered with what it read
    with pytest.raises(Unauthenticated, match="revoked"):
        await authenticator.authenticate("gs_c1_s")


async def test_an_undisturbed_lookup_is_cached():
    table = _SlowTable(_row())
    table.release.set()
    authenticator = Authenticator(table)  # type: ignore[arg-type]
    await authenticator.authenticate("gs_c1_s")
    table.row = _row(revoked_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    # Without an event nothing re-reads the table: the cache answers.
    assert (await authenticator.authenticate("gs_c1_s")).credential_id == "c1"
