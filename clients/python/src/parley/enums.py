"""The protocol's enums as Python IntEnums, built from the generated descriptors."""
from __future__ import annotations

import enum

from ._proto import parley_analytics_pb2, parley_records_pb2, parley_service_pb2


def _from(descriptor) -> type:
    return enum.IntEnum(descriptor.name, [(v.name, v.number) for v in descriptor.values])


Dimension = _from(parley_analytics_pb2.Dimension.DESCRIPTOR)      # DEVICE, MODEL, PERSONA, ...
Granularity = _from(parley_analytics_pb2.Granularity.DESCRIPTOR)  # HOUR, DAY, WEEK, MONTH, ...
Measure = _from(parley_analytics_pb2.Measure.DESCRIPTOR)          # MEASURE_COUNT, COST, ...
Direction = _from(parley_records_pb2.Direction.DESCRIPTOR)        # INBOUND, OUTBOUND
WriteOutcome = _from(parley_service_pb2.WriteOutcome.DESCRIPTOR)  # STORED, DUPLICATE, REJECTED
