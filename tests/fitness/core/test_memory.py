"""A process keeps freed memory for its next big page (fitness/core/memory.py)."""

import ctypes
import ctypes.util

import pytest

from fitness.core import memory

GLIBC = bool(ctypes.util.find_library("c")) and hasattr(
    ctypes.CDLL(ctypes.util.find_library("c")), "gnu_get_libc_version"
)


@pytest.mark.skipif(not GLIBC, reason="mallopt's thresholds are glibc's")
def test_glibc_takes_the_thresholds():
    assert memory.keep_freed_memory(256) is True


def test_zero_leaves_the_allocator_alone():
    assert memory.keep_freed_memory(0) is False


def test_the_setting_has_a_default_and_is_documented(settings):
    from pathlib import Path

    assert settings.MEMORY_KEEP_FREED_MB == 256
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    assert "`MEMORY_KEEP_FREED_MB`" in readme
