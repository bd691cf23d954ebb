"""Every message of the protocol under one name: `parley.pb.Turn`, `parley.pb.ModelsReport`..."""
from __future__ import annotations

from ._proto.parley_analytics_pb2 import *  # noqa: F401,F403
from ._proto.parley_records_pb2 import *  # noqa: F401,F403
from ._proto.parley_service_pb2 import *  # noqa: F401,F403
from ._proto.parley_wire_pb2 import *  # noqa: F401,F403
