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

# Search (results query service and gateway /api/v1/search)
MAX_SEARCH_QUERY_CHARS = 100  # longer queries are refused, not truncated
MAX_SEARCH_TERMS = 8  # whitespace-separated terms in one query
SEARCH_COUNT_CAP = 1_000  # totals are exact up to this, then reported as a lower bound
SEARCH_SORT_CAP = 10_000  # sorting by fine or relevance over more matches is refused on `sort`
MAX_SEARCH_OFFSET = 10_000  # how deep search pages go; narrow the filters to see further
SEARCH_SNIPPET_CHARS = 80

# Statistics
MAX_STATISTICS_GROUPS = 50  # regions or agencies listed, largest first
# Annual enforcement data report (services/results/annual_reports.py)
MAX_ANNUAL_REPORT_NARRATIVE_CHARS = 10_000  # 情况说明: a few pages of explanatory text
MAX_MISSING_ANNUAL_REPORTS = 1_000  # agencies listed as missing their report, per call

# Subscriptions at the gateway
MAX_WEBHOOKS_PER_HOST = 20  # webhook registrations per receiving host
MAX_WEBHOOK_URL_CHARS = 2_000
WEBHOOK_MAX_ATTEMPTS = 8  # deliveries per event before it is logged as failed
WEBHOOK_TIMEOUT_SECONDS = 10.0
MAX_WEBHOOK_DELIVERIES_LISTED = 200
SSE_HEARTBEAT_SECONDS = 15.0
# Follows by e-mail (gateway/follows): anyone may ask, so every path that sends mail is bounded.
MAX_EMAIL_CHARS = 254  # RFC 5321's path limit
FOLLOWS_PER_ADDRESS = 50  # follows (confirmed or awaiting confirmation) of one e-mail address
FOLLOW_REQUESTS_PER_ADDRESS = 5  # new follows, each a confirmation mail, to one address
FOLLOW_REQUESTS_PER_ADDRESS_WINDOW_SECONDS = 3_600
FOLLOW_REQUESTS_PER_CLIENT = 20  # new follows asked from one client address
FOLLOW_REQUESTS_PER_CLIENT_WINDOW_SECONDS = 3_600
FOLLOW_CONFIRM_HOURS = 48  # an unconfirmed follow is deleted after this
FOLLOW_MAIL_MAX_ATTEMPTS = 8  # SMTP attempts per mail before it is logged as failed
FOLLOW_NOTICES_PER_MAIL = 200  # records listed in one mail; the rest go in the next

# Exports: rows fetched from the service per page while streaming
EXPORT_PAGE_SIZE = MAX_PAGE_SIZE
FEED_ENTRIES = 50

# Citizen feedback (services/feedback): sizes
FEEDBACK_TEXT = 5_000  # characters of one submission or addition
FEEDBACK_MAX_ATTACHMENTS = 3  # files per submission or addition
FEEDBACK_MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024  # each file
# All files of one call together: keeps a submission inside MAX_GRPC_MESSAGE_BYTES.
FEEDBACK_MAX_ATTACHMENTS_TOTAL_BYTES = 3 * 1024 * 1024
FEEDBACK_ATTACHMENT_TYPES = ("image/png", "image/jpeg", "application/pdf")  # checked by magic bytes
# HTTP body of a feedback submission at the gateway: files base64-encoded plus text.
FEEDBACK_MAX_HTTP_BODY_BYTES = 5 * 1024 * 1024
# Citizen feedback: rates (count per window) and moderation
FEEDBACK_PER_CLIENT = 10  # submissions from one client address
FEEDBACK_PER_CLIENT_WINDOW_SECONDS = 3_600
FEEDBACK_PER_TARGET = 30  # submissions about one record
FEEDBACK_PER_TARGET_WINDOW_SECONDS = 3_600
FEEDBACK_DUPLICATE_WINDOW_SECONDS = 600  # same text, same target: linked, not counted twice
FEEDBACK_FLAGS_PER_CLIENT = 30  # moderation flags from one client address
FEEDBACK_FLAGS_PER_CLIENT_WINDOW_SECONDS = 3_600
FEEDBACK_FLAGS_TO_HIDE = 3  # default; GONGSHI_FEEDBACK_FLAGS_TO_HIDE overrides
FEEDBACK_MAX_TRANSFERS = 3  # transfers of one case between agencies

# Ex-ante records (duties and procedures services)
RECORD_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"  # duty item, basis, procedure ... codes; URL-safe
CERTIFICATE_NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{3,39}$"  # 執法證號
MAX_PROCEDURE_STEPS = 50
MAX_OFFICER_PHOTO_BYTES = 512 * 1024  # private; stored apart, never returned

# Results (services/results): right of reply, bulk ingest and tamper checks
MAX_REPLY_CHARS = 500  # a party's reply shown with the record ("short", moderated)
MAX_PENDING_REPLIES = 5  # replies to one record awaiting moderation at once
MAX_IMPORT_LINE_BYTES = 256 * 1024  # one CSV/NDJSON row of `gongshi results import`

# Credential rotation: how long the old credential may keep working
MAX_ROTATION_GRACE_SECONDS = 30 * 86_400

# Answered public feedback listed under a record on its portal page (the rest: /feedback?…).
RECORD_FEEDBACK_SHOWN = 20

# Gateway read cache (gateway/read_cache.py): anonymous public pages held in memory
READ_CACHE_MAX_ENTRIES = 4_096  # pages (route + query + language) held at once
READ_CACHE_MAX_BYTES = 64 * 1024 * 1024  # their bodies together
READ_CACHE_MAX_ENTRY_BYTES = 1024 * 1024  # a bigger page is served but never held
READ_CACHE_MAX_RECORDS = 20_000  # records' encoded JSON held (gateway/record_json.py)

# Read-your-writes (services/duties/propagation.py): how long IssueCredential,
# RotateCredential and RegisterAgency wait for every service's copy before
# returning anyway (the write is committed; the token must reach its caller)
COPY_PROPAGATION_SECONDS = 5.0  # within the 10 s deadline clients commonly give these calls

# Open311 GeoReport v2 lists (gateway/routes/open311.py)
OPEN311_MAX_REQUEST_IDS = 200  # ids in one service_request_id=ID1,ID2,... (the spec caps results at 1,000)
OPEN311_DEFAULT_WINDOW_DAYS = 90  # without start_date/end_date, the spec lists the last 90 days
