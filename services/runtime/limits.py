"""Every size and rate limit of the platform, in one place.

Services validate against these, the gateway documents them in OpenAPI, and
tests exercise each one (tests/unit/runtime/test_limits.py and the API tests).
"""

from __future__ import annotations

# Text fields
SHORT_TEXT = 200  # names, document numbers, codes, titles
MEDIUM_TEXT = 2_000  # conclusions, excerpts, replies
LONG_TEXT = 20_000  # case facts, procedure descriptions
MAX_LIST_ITEMS = 100  # repeated fields such as legal_basis or penalty_kinds

# Pagination
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200

# gRPC message size (bytes): generous for bulk streams, bounded against abuse
MAX_GRPC_MESSAGE_BYTES = 4 * 1024 * 1024

# Bulk ingest: items in one client-streaming call
MAX_BULK_ITEMS = 100_000

# HTTP request bodies at the gateway (bytes)
MAX_HTTP_BODY_BYTES = 1 * 1024 * 1024

# Agency codes appear in URLs and NATS subject tokens
AGENCY_CODE_PATTERN = r"^[A-Za-z0-9_-]{2,40}$"
