"""The duties service's name on the bus and its kinds of versioned record."""

from gongshi.v1 import common_pb2

SERVICE = "duties"
OFFICER, DUTY_ITEM, LEGAL_BASIS = (
    common_pb2.RECORD_KIND_OFFICER,
    common_pb2.RECORD_KIND_DUTY_ITEM,
    common_pb2.RECORD_KIND_LEGAL_BASIS,
)
