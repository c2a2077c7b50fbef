"""The feedback service's use cases, assembled into the one object the
servicer, the queries, the clocks and the revision job call: intake.py
(submit), citizen.py (track, add information, rate, reopen), moderation.py
(flag, review), agency.py (the agency's workflow). What they share is in
changes.py."""

from __future__ import annotations

from services.feedback.agency import AgencyWorkflow
from services.feedback.citizen import Citizen
from services.feedback.intake import Intake
from services.feedback.moderation import Moderation


class FeedbackHandlers(Intake, Citizen, Moderation, AgencyWorkflow):
    """Its fields (runtime, units, config, calendar, masking) are FeedbackBase's."""
