"""What a citizen's submission must look like (DOMAIN.md J1, (c) items 8 and
10): fields, location, attachments (sniffed, named safely), and the digests
and tracking codes derived from it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence

from gongshi.v1 import feedback_pb2 as pb
from services.feedback.domain.case import RECORD_TARGETS_NEEDING_AGENCY
from services.runtime import limits
from services.runtime.validation import Checker, known_value

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U to misread


def sniff_content_type(data: bytes) -> str | None:
    """The file type by its magic bytes: declared types and names are not trusted."""
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    return None


def clean_filename(name: str) -> str:
    """Only the base name, without control characters, within the short-text limit."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[: limits.SHORT_TEXT] or "attachment"


def check_attachments(c: Checker, attachments: Sequence[pb.AttachmentUpload], prefix: str) -> None:
    if len(attachments) > limits.FEEDBACK_MAX_ATTACHMENTS:
        c.fail(prefix, f"has {len(attachments)} files; the limit is {limits.FEEDBACK_MAX_ATTACHMENTS}")
        return
    total = 0
    for i, upload in enumerate(attachments):
        size = len(upload.data)
        total += size
        name = f"{prefix}[{i}]"
        if size == 0:
            c.fail(name, "is empty")
        elif size > limits.FEEDBACK_MAX_ATTACHMENT_BYTES:
            c.fail(
                name, f"is {size} bytes; the limit is {limits.FEEDBACK_MAX_ATTACHMENT_BYTES} bytes per file"
            )
        elif sniff_content_type(upload.data) is None:
            c.fail(name, "is not a PNG, JPEG or PDF file (checked by content, not by name)")
        c.text(f"{name}.filename", upload.filename, limits.SHORT_TEXT)
    if total > limits.FEEDBACK_MAX_ATTACHMENTS_TOTAL_BYTES:
        c.fail(
            prefix, f"total {total} bytes; the limit is {limits.FEEDBACK_MAX_ATTACHMENTS_TOTAL_BYTES} bytes"
        )


def validate_submission(request: pb.SubmitFeedbackRequest) -> None:
    """Raise InvalidArgument naming every missing, malformed or oversized field."""
    c = Checker()
    target = request.target
    if not known_value(pb.FeedbackTargetType, target.type):
        c.fail(
            "target.type",
            "is required: agency, duty_item, procedure, supervision_channel, result or platform",
        )
    platform = target.type == pb.FEEDBACK_TARGET_TYPE_PLATFORM
    c.text("target.id", target.id, limits.SHORT_TEXT, required=not platform)
    if platform and target.agency_code:
        c.fail("target.agency_code", "a general complaint to the platform names no agency")
    if target.type in RECORD_TARGETS_NEEDING_AGENCY and not target.agency_code:
        c.fail("target.agency_code", "is required for a duty item, procedure or supervision channel")
    if target.agency_code and not re.match(limits.AGENCY_CODE_PATTERN, target.agency_code):
        c.fail("target.agency_code", "is not an agency code")
    if not known_value(pb.FeedbackCategory, request.category):
        c.fail("category", "is required: suggestion, complaint, report, information_wrong or question")
    c.text("text", request.text, limits.FEEDBACK_TEXT, required=True)
    check_attachments(c, request.attachments, "attachments")
    contact = request.contact
    for name in ("name", "phone", "email"):
        c.text(f"contact.{name}", getattr(contact, name), limits.SHORT_TEXT)
    c.text("contact.address", contact.address, limits.MEDIUM_TEXT)
    if contact.email and not EMAIL.fullmatch(contact.email.strip()):
        c.fail("contact.email", "is not an e-mail address")
    c.text("display_name", request.display_name, limits.SHORT_TEXT)
    if request.show_display_name and not request.display_name.strip():
        c.fail("display_name", "is required when show_display_name is on")
    if request.HasField("objection"):
        if request.category != pb.FEEDBACK_CATEGORY_INFORMATION_WRONG:
            c.fail("category", "an objection must have the category information_wrong")
        if target.type != pb.FEEDBACK_TARGET_TYPE_RESULT:
            c.fail("target.type", "an objection must be about a published result")
        c.text("objection.party_name", request.objection.party_name, limits.SHORT_TEXT, required=True)
        c.text("objection.party_identifier", request.objection.party_identifier, limits.SHORT_TEXT)
    check_location(c, request.location)
    c.raise_if_any()


def check_location(c: Checker, location: pb.Location) -> None:
    """WGS84 degrees, both or neither (Open311 sends lat and long together)."""
    has_lat, has_long = location.HasField("latitude"), location.HasField("longitude")
    if has_lat != has_long:
        c.fail(
            "location.latitude" if has_long else "location.longitude", "latitude and longitude go together"
        )
    if has_lat and not -90 <= location.latitude <= 90:
        c.fail("location.latitude", "must be between -90 and 90 degrees")
    if has_long and not -180 <= location.longitude <= 180:
        c.fail("location.longitude", "must be between -180 and 180 degrees")
    c.text("location.address", location.address, limits.MEDIUM_TEXT)


def validate_addition(text: str, attachments: Sequence[pb.AttachmentUpload]) -> None:
    c = Checker()
    c.text("text", text, limits.FEEDBACK_TEXT, required=not attachments)
    check_attachments(c, attachments, "attachments")
    c.raise_if_any()


def normalise_text(text: str) -> str:
    """What counts as "the same text": width, case and whitespace do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def text_digest(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode()).hexdigest()


def new_tracking_code(random_bytes: bytes, on: dt.date) -> str:
    """A code a person can read out on the phone: GS-20261102-7K3M9QX2WD."""
    value = int.from_bytes(random_bytes[:7], "big")
    chars = []
    for _ in range(10):
        chars.append(_CODE_ALPHABET[value & 31])
        value >>= 5
    return f"GS-{on:%Y%m%d}-{''.join(chars)}"


def secret_digest(secret: str) -> bytes:
    # The secret is 128 random bits: a fast hash is enough (as for credentials).
    return hashlib.sha256(secret.encode()).digest()
