"""The duties service's name on the bus and its kinds of versioned record."""

from gongshi.v1 import duties_pb2 as pb

SERVICE = "duties"
OFFICER, DUTY_ITEM, LEGAL_BASIS = pb.RECORD_KIND_OFFICER, pb.RECORD_KIND_DUTY_ITEM, pb.RECORD_KIND_LEGAL_BASIS
