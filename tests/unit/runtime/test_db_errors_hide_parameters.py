"""A failing statement's error names the SQL but never its parameters: they
carry personal data (citizens' contacts, followers' addresses) into logs."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from services.runtime.db import Database

SECRET = "li.xiaohong@example.com"
INSERT = text("INSERT INTO addresses VALUES (:address)")


async def test_neither_the_session_nor_a_unit_of_work_prints_parameters(db_url):
    db = Database(db_url)
    try:
        async with db.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE addresses (address VARCHAR(80) PRIMARY KEY)"))
            await conn.execute(INSERT, {"address": SECRET})
        with pytest.raises(IntegrityError) as by_session:
            async with db.engine.begin() as conn:
                await conn.execute(INSERT, {"address": SECRET})
        with pytest.raises(IntegrityError) as by_unit:
            await db.unit(lambda conn: conn.execute(INSERT, {"address": SECRET}))
        for error in (by_session.value, by_unit.value):
            assert "INSERT INTO addresses" in str(error)
            assert SECRET not in str(error)
    finally:
        await db.dispose()
