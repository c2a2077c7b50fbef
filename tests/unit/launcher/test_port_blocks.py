"""Parallel test workers choose ports from disjoint blocks (GONGSHI_PORT_BLOCK)."""

from __future__ import annotations

from services import launcher


def test_each_block_is_its_own_part_of_the_range(monkeypatch):
    monkeypatch.delenv(launcher.PORT_BLOCK_ENV, raising=False)
    whole = launcher._ports_to_listen_on()
    blocks = []
    for index in range(3):
        monkeypatch.setenv(launcher.PORT_BLOCK_ENV, f"{index}/3")
        blocks.append(set(launcher._ports_to_listen_on()))
    assert all(block <= set(whole) for block in blocks)
    assert not (blocks[0] & blocks[1]) and not (blocks[1] & blocks[2]) and not (blocks[0] & blocks[2])
    assert min(len(block) for block in blocks) >= len(whole) // 3


def test_free_port_keeps_to_its_block(monkeypatch):
    monkeypatch.setenv(launcher.PORT_BLOCK_ENV, "1/2")
    block = launcher._ports_to_listen_on()
    assert all(launcher.free_port() in block for _ in range(5))
