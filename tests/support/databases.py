"""Database back-ends for the suite: SQLite files always; PostgreSQL when the
server at 127.0.0.1:5432 answers (required under CI=true)."""

from __future__ import annotations

import asyncio
import os
import secrets

import pytest

PG_ADMIN_DSN = os.environ.get("GONGSHI_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"


def backends() -> list[str]:
    wanted = os.environ.get("GONGSHI_TEST_DATABASES", "sqlite,postgres")
    return [b.strip() for b in wanted.split(",") if b.strip()]


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_DSN, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def postgres_available() -> bool:
    try:
        asyncio.run(_admin("SELECT 1"))
        return True
    except Exception:
        return False


class PostgresDatabases:
    """Creates one fresh database per name, dropped again at the end."""

    def __init__(self) -> None:
        self.created: list[str] = []

    def url(self, purpose: str) -> str:
        name = f"gongshi_{purpose}_{secrets.token_hex(4)}"
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        return f"{base}/{name}"

    def drop_all(self) -> None:
        for name in self.created:
            try:
                asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except Exception:
                pass
        self.created.clear()


def require_postgres() -> None:
    if postgres_available():
        return
    message = f"PostgreSQL is not reachable at {PG_ADMIN_DSN}"
    if IN_CI:
        pytest.fail(message + " (required under CI=true)")
    pytest.skip(message + "; start it or set GONGSHI_TEST_DATABASES=sqlite")
