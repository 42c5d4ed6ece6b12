"""
Keep freed memory for the next request instead of handing it back to the system.

A page with thousands of comments builds a few strings of several MB. glibc gives such blocks
straight back to the system when they are freed (large blocks are mapped on their own, and the
top of the heap is trimmed past a threshold), so the next request touches fresh pages again:
about 11,000 page faults, a third of the time of a 5,000-comment page. Raising glibc's two
thresholds with mallopt() keeps that memory in the process for reuse. The cost is that a
worker's resident size stays near its peak (up to the setting) instead of shrinking between
requests. MEMORY_KEEP_FREED_MB=0 leaves glibc's defaults. Elsewhere than glibc: nothing.
"""

import ctypes
import ctypes.util
import logging

logger = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1  # glibc's malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_MAX = 32 * 1024 * 1024  # glibc refuses more (HEAP_MAX/2 on 64-bit)


def keep_freed_memory(megabytes: int) -> bool:
    """Set glibc's trim threshold to `megabytes` and its mmap threshold to the most it takes;
    True if both were set."""
    if megabytes <= 0:
        return False
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt if name else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is None:
        return False
    keep = megabytes * 1024 * 1024
    done = bool(mallopt(M_MMAP_THRESHOLD, min(keep, MMAP_THRESHOLD_MAX)))
    done = bool(mallopt(M_TRIM_THRESHOLD, keep)) and done
    if not done:
        logger.warning("mallopt refused MEMORY_KEEP_FREED_MB=%s", megabytes)
    return done
