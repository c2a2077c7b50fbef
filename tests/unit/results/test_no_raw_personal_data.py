"""Property: no raw ID number or phone number from a pushed decision appears
in any public output built from it: the API response, the open-data export
row, the public events (published, corrected, withdrawn) and the tombstone.

The values are generated in the spellings people type (spaces, dashes,
full-width digits, an X check letter) and dropped into every field a party
or an agency writes free text into."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.convert import to_json
from gateway.routes.exports import csv_row
from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.chain import Head
from services.runtime.calendar import Deadline
from services.runtime.masking import DEFAULT_POLICY
from tests.support.decisions import penalty

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@st.composite
def id_numbers(draw) -> str:
    region = draw(st.sampled_from(["110101", "310104", "440305", "510107", "130102"]))
    born = draw(st.dates(dt.date(1930, 1, 1), dt.date(2010, 12, 31)))
    sequence = draw(st.integers(0, 999))
    check = draw(st.sampled_from("0123456789X"))
    modern = f"{region}{born:%Y%m%d}{sequence:03d}{check}"
    old = f"{region}{born:%y%m%d}{sequence:03d}"
    raw = draw(st.sampled_from([modern, old]))
    return draw(
        st.sampled_from(
            [raw, raw.translate(FULL_WIDTH)]
            + ([f"{modern[:6]} {modern[6:14]} {modern[14:]}", f"{modern[:6]}-{modern[6:14]}-{modern[14:]}"]
               if raw == modern else [])
        )
    )  # fmt: skip


@st.composite
def phone_numbers(draw) -> str:
    mobile = f"1{draw(st.sampled_from('3456789'))}{draw(st.integers(0, 999_999_999)):09d}"
    landline = (
        f"0{draw(st.sampled_from(['10', '21', '755', '571']))}{draw(st.integers(2_000_000, 89_999_999))}"
    )
    raw = draw(st.sampled_from([mobile, landline]))
    spelled = [raw, raw.translate(FULL_WIDTH)]
    if raw == mobile:
        spelled += [f"{raw[:3]}-{raw[3:7]}-{raw[7:]}", f"{raw[:3]} {raw[3:7]} {raw[7:]}", f"+86{raw}"]
    return draw(st.sampled_from(spelled))


def digits(value: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", value) if ch.isdigit() or ch == "X")


def number_runs(output: str) -> list[str]:
    """Each run of digits in the output, separators (spaces, dashes, brackets,
    +) taken out, the way a reader would reassemble a number."""
    return [digits(run) for run in re.findall(r"[0-9X][0-9X \-+()]*", unicodedata.normalize("NFKC", output))]


def shows(output: str, value: str) -> bool:
    wanted = digits(value).removeprefix("86") if value.startswith("+86") else digits(value)
    return any(wanted in run for run in number_runs(output))


filler = st.text(alphabet="经查当事人在其住所经营联系电话身份证号码，。；、 ", max_size=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    id_number=id_numbers(),
    phone=phone_numbers(),
    party_type=st.sampled_from(
        [pb.PARTY_TYPE_NATURAL_PERSON, pb.PARTY_TYPE_LEGAL_PERSON, pb.PARTY_TYPE_INDIVIDUAL_BUSINESS]
    ),
    before=filler,
    after=filler,
    where=st.sampled_from(["facts", "conclusion", "violation_type"]),
)
def test_no_raw_id_or_phone_reaches_any_public_output(id_number, phone, party_type, before, after, where):
    decision = penalty(
        party=pb.Party(
            type=party_type, name="张三丰", id_number=id_number, phone=phone, uscc="91310101MA1FPX1234"
        )
    )
    text = f"{before}身份证{id_number}{after}电话{phone}。"
    setattr(decision, where, text)
    masked, _ = domain.mask_decision(decision, DEFAULT_POLICY)
    result = domain.public_view(
        "r",
        "A",
        "310101",
        masked,
        status=pb.RESULT_STATUS_PUBLISHED,
        deadline=Deadline(dt.date(2026, 11, 11)),
    )
    Head("A").append(result, "published", "", "2026-11-25T00:00:00Z")
    corrected = pb.Result()
    corrected.CopyFrom(result)
    corrected.status = pb.RESULT_STATUS_WITHDRAWN
    corrected.withdrawal_statement = domain.redact(DEFAULT_POLICY, f"经复议撤销，当事人电话{phone}")[0]
    reply = domain.redact(DEFAULT_POLICY, f"我的身份证{id_number}，电话{phone}", ["张三丰"])[0]

    outputs = [
        json.dumps(to_json(result), ensure_ascii=False),
        json.dumps(csv_row(to_json(result)), ensure_ascii=False),
        pb.ResultPublished(result=result).SerializeToString().decode("utf-8", "replace"),
        pb.ResultCorrected(result=result, reason="更正").SerializeToString().decode("utf-8", "replace"),
        pb.ResultWithdrawn(tombstone=domain.tombstone(corrected), statement=corrected.withdrawal_statement)
        .SerializeToString()
        .decode("utf-8", "replace"),
        reply,
    ]
    # Phones of organisations are their business contact (E2 masks only their
    # accounts), so the party's own phone field is exempt for them; free text never is.
    organisation = party_type == pb.PARTY_TYPE_LEGAL_PERSON
    for output in outputs:
        assert not shows(output, id_number), output
        assert not shows(output.replace(result.party.phone, "") if organisation else output, phone), output
