"""What a region publishes and for how long: the rules DOMAIN.md marks as
local or open (D5, G1, G4, E4, F2) as data, one `PublicationPolicy` per region.

A region's policy is found by its 6-digit code, then its prefecture (4 digits
+ "00"), then its province (2 digits + "0000"), then the default, so a
province sets a rule once and a district can still differ. Operators load
their own from a JSON file (GONGSHI_RESULTS_POLICY_FILE, see docs/results.md).
No I/O here except `load_policies`, which only reads that file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from gongshi.v1 import results_pb2 as pb
from services.runtime.masking import DEFAULT_POLICY, MaskingPolicy

MINOR, GENERAL, SERIOUS = pb.SEVERITY_TIER_MINOR, pb.SEVERITY_TIER_GENERAL, pb.SEVERITY_TIER_SERIOUS


@dataclass(frozen=True)
class PublicityPeriod:
    """公示期限 of a severity tier, in months from the first day of publication.

    The record stays public until `max_months` have passed (then it expires,
    G7); the party may apply for credit repair once `min_months` have passed (G5)."""

    min_months: int
    max_months: int

    def __post_init__(self) -> None:
        if not 0 <= self.min_months <= self.max_months:
            raise ValueError(f"a publicity period needs 0 <= min <= max months: {self}")


# NDRC 信用修復管理辦法 (G4, in force 2026-04-01): minor at most 3 months, general
# 3 months to 1 year, serious 1 to 3 years.
DEFAULT_PERIODS: Mapping[int, PublicityPeriod] = {
    MINOR: PublicityPeriod(0, 3),
    GENERAL: PublicityPeriod(3, 12),
    SERIOUS: PublicityPeriod(12, 36),
}

# Penalties whose effect on the party's business G4 calls serious (licence
# revocation is its example); anything else that is not minor is general.
DEFAULT_SERIOUS_KINDS = frozenset(
    {
        pb.PENALTY_KIND_LICENCE_REVOCATION,
        pb.PENALTY_KIND_BUSINESS_RESTRICTION,
        pb.PENALTY_KIND_SUSPENSION_CLOSURE,
        pb.PENALTY_KIND_DETENTION,
    }
)
# "Warning only" (D5: 僅警告); a region may count 通報批評 in the same class (I3).
DEFAULT_WARNING_KINDS = frozenset({pb.PENALTY_KIND_WARNING})


@dataclass(frozen=True)
class PublicationPolicy:
    # D5/G4: warning-only and simplified-procedure penalties are by default not
    # published (stored, counted in statistics, absent from every public channel).
    publish_warning_only: bool = False
    publish_simplified_procedure: bool = False
    warning_kinds: frozenset[int] = DEFAULT_WARNING_KINDS
    serious_kinds: frozenset[int] = DEFAULT_SERIOUS_KINDS
    # Publicity periods of penalty decisions by tier (G4).
    periods: Mapping[int, PublicityPeriod] = field(default_factory=lambda: dict(DEFAULT_PERIODS))
    # G1 (a local rule): e.g. 24 months when the party is a natural person; 0 = no override.
    natural_person_max_months: int = 0
    # When the publicity period starts: "decision_date" (as NDRC counts it: from the
    # day the penalty was decided) or "publication" (from the day it was published).
    period_from: str = "decision_date"
    # Other categories (licences, inspections ...) expire after this many months; 0 = never.
    other_categories_months: int = 0
    # F2: withdrawal within 3 working days (some local rules: 5).
    withdrawal_working_days: int = 3
    # G6: the agency decides a repair application within 3 working days.
    repair_decision_working_days: int = 3
    masking: MaskingPolicy = DEFAULT_POLICY
    # I1/I6: the previous year's enforcement data is published by this day (MM-DD)
    # of the following year; 01-31 nationally, 03-31 under Guangzhou's 2016 rule.
    annual_report_deadline: str = "01-31"

    def __post_init__(self) -> None:
        object.__setattr__(self, "warning_kinds", frozenset(self.warning_kinds))
        object.__setattr__(self, "serious_kinds", frozenset(self.serious_kinds))
        if self.period_from not in ("decision_date", "publication"):
            raise ValueError(f"period_from must be decision_date or publication, not {self.period_from!r}")
        missing = {MINOR, GENERAL, SERIOUS} - set(self.periods)
        if missing:
            raise ValueError(f"publicity periods missing for tiers {sorted(missing)}")
        for name in (
            "natural_person_max_months",
            "other_categories_months",
            "withdrawal_working_days",
            "repair_decision_working_days",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        try:
            # A year with no 29 February: the deadline must exist every year.
            dt.date.fromisoformat(f"2001-{self.annual_report_deadline}")
        except ValueError:
            deadline = self.annual_report_deadline
            raise ValueError(f"annual_report_deadline must be a day as MM-DD, not {deadline!r}") from None

    def annual_report_deadline_for(self, year: int) -> dt.date:
        """The last day to publish the report of `year` (a day of year + 1)."""
        return dt.date.fromisoformat(f"{year + 1:04d}-{self.annual_report_deadline}")


DEFAULT_PUBLICATION_POLICY = PublicationPolicy()


@dataclass(frozen=True)
class RegionPolicies:
    """The default policy plus overrides keyed by region code (province,
    prefecture or county level)."""

    default: PublicationPolicy = DEFAULT_PUBLICATION_POLICY
    regions: Mapping[str, PublicationPolicy] = field(default_factory=dict)

    def for_region(self, region_code: str) -> PublicationPolicy:
        code = region_code.strip()
        for key in (code, code[:4] + "00", code[:2] + "0000"):
            if len(code) == 6 and key in self.regions:
                return self.regions[key]
        return self.default


# ---------------------------------------------------------------- loading

_TIER_NAMES = {"minor": MINOR, "general": GENERAL, "serious": SERIOUS}


def _kinds(names: list[str]) -> frozenset[int]:
    return frozenset(pb.PenaltyKind.Value(f"PENALTY_KIND_{name.upper()}") for name in names)


def policy_from_dict(
    data: Mapping, base: PublicationPolicy = DEFAULT_PUBLICATION_POLICY
) -> PublicationPolicy:
    """A policy from JSON-shaped data; keys left out keep `base`'s values.

    Penalty kinds and tiers are named as in the public API ("warning",
    "licence_revocation"; "minor", "general", "serious")."""
    known = {f.name for f in fields(PublicationPolicy)}
    unknown = set(data) - known
    if unknown:
        # A misspelt key would silently leave the default rule in force.
        raise ValueError(f"unknown policy keys {sorted(unknown)}; known: {sorted(known)}")
    changes: dict = {}
    for key, value in data.items():
        if key in ("warning_kinds", "serious_kinds"):
            changes[key] = _kinds(value)
        elif key == "periods":
            periods = dict(base.periods)
            for tier, span in value.items():
                periods[_TIER_NAMES[tier]] = PublicityPeriod(int(span["min_months"]), int(span["max_months"]))
            changes[key] = periods
        elif key == "masking":
            changes[key] = replace(base.masking, **value)
        else:
            changes[key] = value
    return replace(base, **changes)


def policies_from_dict(data: Mapping) -> RegionPolicies:
    default = policy_from_dict(data.get("default", {}))
    regions = {code: policy_from_dict(spec, default) for code, spec in data.get("regions", {}).items()}
    return RegionPolicies(default, regions)


def load_policies(path: str) -> RegionPolicies:
    """The policies in a JSON file, or the built-in defaults when path is empty."""
    if not path:
        return RegionPolicies()
    return policies_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
