"""The feedback limits fit together (services/runtime/limits.py)."""

from __future__ import annotations

from services.runtime import limits


def test_a_full_submission_fits_in_one_grpc_message():
    text_bytes = limits.FEEDBACK_TEXT * 4  # UTF-8: at most 4 bytes a character
    room_for_fields = 64 * 1024
    assert (
        limits.FEEDBACK_MAX_ATTACHMENTS_TOTAL_BYTES + text_bytes + room_for_fields
        < limits.MAX_GRPC_MESSAGE_BYTES
    )


def test_a_full_submission_fits_in_one_http_body_even_base64_encoded():
    encoded = limits.FEEDBACK_MAX_ATTACHMENTS_TOTAL_BYTES * 4 // 3 + 4 * limits.FEEDBACK_MAX_ATTACHMENTS
    assert encoded + limits.FEEDBACK_TEXT * 4 < limits.FEEDBACK_MAX_HTTP_BODY_BYTES


def test_each_file_limit_is_reachable_within_the_total():
    assert limits.FEEDBACK_MAX_ATTACHMENT_BYTES <= limits.FEEDBACK_MAX_ATTACHMENTS_TOTAL_BYTES
    assert set(limits.FEEDBACK_ATTACHMENT_TYPES) == {"image/png", "image/jpeg", "application/pdf"}


def test_rates_and_windows_are_positive_and_duplicates_are_minutes_not_hours():
    for name in dir(limits):
        if name.startswith("FEEDBACK_") and isinstance(getattr(limits, name), int):
            assert getattr(limits, name) > 0, name
    assert limits.FEEDBACK_DUPLICATE_WINDOW_SECONDS <= 3600
    assert limits.FEEDBACK_FLAGS_TO_HIDE >= 2  # one person alone never hides anything
