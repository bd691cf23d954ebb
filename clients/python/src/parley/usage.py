"""A turn's usage as its provider's API returns it, for `log_turn(usage=...)`: the server
normalises it once (docs/TOKENS.md) and keeps it as given.

    usage={"openai": response.usage.model_dump()}      # prompt_tokens includes cached_tokens
    usage={"anthropic": message.usage.model_dump()}    # input_tokens excludes cache reads/writes
    usage={"gemini": response.usage_metadata}          # promptTokenCount includes cachedContentTokenCount
"""
from __future__ import annotations

from typing import Any, Mapping, Optional, Union

from ._proto import parley_tokens_pb2 as tokens

UsageArgument = Union[None, tokens.ProviderUsage, Mapping[str, Mapping[str, Any]]]


def _count(payload: Mapping[str, Any], *names: str) -> Optional[int]:
    """The first of `names` present (Gemini's REST API is camelCase, its SDK snake_case)."""
    for name in names:
        value = payload.get(name)
        if value is not None:
            return int(value)
    return None


def _details(payload: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    return payload.get(name) or {}


def make_usage(usage: UsageArgument) -> Optional[tokens.ProviderUsage]:
    if usage is None or isinstance(usage, tokens.ProviderUsage):
        return usage
    if not isinstance(usage, Mapping) or len(usage) != 1:
        raise TypeError("usage is {'openai' | 'anthropic' | 'gemini': the provider's usage object}")
    (provider, payload), = usage.items()
    if hasattr(payload, "model_dump"):  # the providers' SDK objects
        payload = payload.model_dump()
    if provider == "openai":
        return tokens.ProviderUsage(openai=tokens.OpenAIUsage(
            prompt_tokens=_count(payload, "prompt_tokens"), completion_tokens=_count(payload, "completion_tokens"),
            total_tokens=_count(payload, "total_tokens"),
            cached_tokens=_count(_details(payload, "prompt_tokens_details"), "cached_tokens"),
            reasoning_tokens=_count(_details(payload, "completion_tokens_details"), "reasoning_tokens")))
    if provider == "anthropic":
        return tokens.ProviderUsage(anthropic=tokens.AnthropicUsage(
            input_tokens=_count(payload, "input_tokens"), output_tokens=_count(payload, "output_tokens"),
            cache_read_input_tokens=_count(payload, "cache_read_input_tokens"),
            cache_creation_input_tokens=_count(payload, "cache_creation_input_tokens")))
    if provider == "gemini":
        return tokens.ProviderUsage(gemini=tokens.GeminiUsage(
            prompt_token_count=_count(payload, "promptTokenCount", "prompt_token_count"),
            candidates_token_count=_count(payload, "candidatesTokenCount", "candidates_token_count"),
            cached_content_token_count=_count(payload, "cachedContentTokenCount", "cached_content_token_count"),
            thoughts_token_count=_count(payload, "thoughtsTokenCount", "thoughts_token_count"),
            tool_use_prompt_token_count=_count(payload, "toolUsePromptTokenCount", "tool_use_prompt_token_count"),
            total_token_count=_count(payload, "totalTokenCount", "total_token_count")))
    raise TypeError(f"usage names {provider!r}; give one of 'openai', 'anthropic', 'gemini'")
