"""Builders of the request messages from keyword arguments, shared by both clients and the
Recorder. Unknown keywords are a TypeError at the call, as for any Python function."""
from __future__ import annotations

from typing import Iterable, List, Optional, Sequence

from ._proto import parley_analytics_pb2 as analytics
from ._proto import parley_records_pb2 as records
from .enums import Dimension
from .timeutil import Instant, to_ms
from .usage import UsageArgument, make_usage


def make_tokens(
    input_tokens: Optional[int], output_tokens: Optional[int], cached_read_tokens: Optional[int],
    cache_write_tokens: Optional[int], total_tokens: Optional[int], reasoning_tokens: Optional[int] = None,
) -> Optional[records.TokenCounts]:
    """Parley's convention: input EXCLUDES cache reads and writes, output INCLUDES reasoning."""
    if input_tokens is None and output_tokens is None and cached_read_tokens is None \
            and cache_write_tokens is None and total_tokens is None and reasoning_tokens is None:
        return None  # absent: the server counts them from the text
    return records.TokenCounts(
        input=input_tokens, output=output_tokens, cached_read=cached_read_tokens,
        cache_write=cache_write_tokens, total=total_tokens, reasoning=reasoning_tokens,
    )


def make_turn(
    *,
    turn_id: str,
    organization_id: Optional[str] = None,
    session_id: Optional[str] = None,
    device_id: Optional[str] = None,
    message_id: Optional[str] = None,
    contact_id: Optional[str] = None,
    persona_id: Optional[str] = None,
    widget_id: Optional[str] = None,
    user_id: Optional[str] = None,
    model: Optional[str] = None,
    user_message: Optional[str] = None,
    ai_response: Optional[str] = None,
    input_tokens: Optional[int] = None,
    output_tokens: Optional[int] = None,
    cached_read_tokens: Optional[int] = None,
    cache_write_tokens: Optional[int] = None,
    total_tokens: Optional[int] = None,
    reasoning_tokens: Optional[int] = None,
    usage: UsageArgument = None,
    user_message_at: Optional[Instant] = None,
    replied_at: Optional[Instant] = None,
    response_time_ms: Optional[int] = None,
    language: Optional[str] = None,
    sentiment_score: Optional[float] = None,
    error_count: Optional[int] = None,
    feedback_score: Optional[int] = None,
) -> records.Turn:
    """One AI reply. The `*_tokens` counts are in Parley's convention (input excludes cache
    reads and writes; output includes reasoning); or pass `usage={"openai": {...}}` (or
    anthropic, gemini) as the provider returned it, and the server normalises it. With
    neither, the server counts the text. `replied_at` left out is the server's receive time."""
    return records.Turn(
        turn_id=turn_id, organization_id=organization_id, session_id=session_id, device_id=device_id,
        message_id=message_id, contact_id=contact_id, persona_id=persona_id, widget_id=widget_id,
        user_id=user_id, model=model, user_message=user_message, ai_response=ai_response,
        tokens=make_tokens(input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, total_tokens,
                           reasoning_tokens),
        usage=make_usage(usage),
        user_message_at_ms=to_ms(user_message_at), replied_at_ms=to_ms(replied_at),
        response_time_ms=response_time_ms, language=language, sentiment_score=sentiment_score,
        error_count=error_count, feedback_score=feedback_score,
    )


def make_window(since: Optional[Instant], until: Optional[Instant]) -> Optional[analytics.TimeWindow]:
    if since is None and until is None:
        return None
    return analytics.TimeWindow(since_ms=to_ms(since), until_ms=to_ms(until))


def _values(value: Optional[Iterable[str]]) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def make_filters(
    *,
    devices: Optional[Iterable[str]] = None,
    models: Optional[Iterable[str]] = None,
    personas: Optional[Iterable[str]] = None,
    contacts: Optional[Iterable[str]] = None,
    widgets: Optional[Iterable[str]] = None,
    outcomes: Optional[Iterable[str]] = None,
) -> Sequence[analytics.DimensionFilter]:
    """One filter per dimension given; a row matches any of a dimension's values."""
    pairs = (
        (Dimension.DEVICE, devices), (Dimension.MODEL, models), (Dimension.PERSONA, personas),
        (Dimension.CONTACT, contacts), (Dimension.WIDGET, widgets), (Dimension.SESSION_OUTCOME, outcomes),
    )
    return [analytics.DimensionFilter(dimension=d, values=_values(v)) for d, v in pairs if v is not None]
