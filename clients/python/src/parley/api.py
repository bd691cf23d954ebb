"""One method per RPC, with keyword arguments, shared by Client, AsyncClient and Pipeline.

Each method builds the request message and hands it to `self._call` (unary) or
`self._stream` (server streams). Client returns the response message, AsyncClient an
awaitable of it, Pipeline queues the call. Results are the generated messages
(`parley.pb.ModelsReport`, ...). `organization_id` left out is the client's default
organization (its `organization_id=` argument, else the key's organization from Welcome).
"""
from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence, Union

from ._proto import parley_analytics_pb2 as analytics
from ._proto import parley_bulk_pb2 as bulk
from ._proto import parley_keys_pb2 as keys
from ._proto import parley_ops_pb2 as ops
from ._proto import parley_records_pb2 as records
from ._proto import parley_service_pb2 as service
from ._proto import parley_tokens_pb2 as tokens
from .enums import Dimension, Granularity, Measure
from .methods import Method
from .records import make_filters, make_turn, make_window
from .timeutil import Instant, to_ms

Values = Optional[Iterable[str]]


class ParleyApi:
    """Mixed into the clients: they provide `_call`, `_stream` and `_default_org`."""

    def _call(self, method: Method, request: Any, timeout: Optional[float]) -> Any:
        raise NotImplementedError

    def _stream(self, method: Method, request: Any, timeout: Optional[float]) -> Any:
        raise NotImplementedError

    def _default_org(self) -> Optional[str]:
        raise NotImplementedError

    def _org(self, organization_id: Optional[str]) -> Optional[str]:
        return organization_id if organization_id is not None else self._default_org()

    def _report(self, method: Method, organization_id, since, until, tz, top, devices, models, personas,
                contacts, timeout):
        request = analytics.ReportRequest(
            organization_id=self._org(organization_id), window=make_window(since, until), time_zone=tz, top=top,
            filters=make_filters(devices=devices, models=models, personas=personas, contacts=contacts),
        )
        return self._call(method, request, timeout)

    # -- server ------------------------------------------------------------------------------
    def server_info(self, *, timeout: Optional[float] = None) -> service.ServerInfoResponse:
        return self._call(Method.SERVER_INFO, service.Empty(), timeout)

    # -- writes ------------------------------------------------------------------------------
    def log_turn(self, turn: Optional[records.Turn] = None, *, timeout: Optional[float] = None,
                 **fields: Any) -> service.LogTurnResponse:
        """One AI reply: pass a `parley.pb.Turn`, or its fields as keywords (see `make_turn`:
        `turn_id=`, `session_id=`, `model=`, `input_tokens=`, `replied_at=`...)."""
        if turn is None:
            fields.setdefault("organization_id", self._default_org())
            turn = make_turn(**fields)
        elif fields:
            raise TypeError("pass either a Turn or its fields, not both")
        return self._call(Method.LOG_TURN, turn, timeout)

    def log_turns(self, turns: Sequence[Union[records.Turn, dict]], *,
                  timeout: Optional[float] = None) -> service.LogTurnsResponse:
        """Many turns in one call; each is answered by its own item (stored, duplicate or
        rejected with a reason), in order."""
        request = service.LogTurnsRequest()
        org = self._default_org()
        for turn in turns:
            if isinstance(turn, dict):
                turn = make_turn(**{"organization_id": org, **turn})
            request.turns.append(turn)
        return self._call(Method.LOG_TURNS, request, timeout)

    def log_message(self, *, message_id: str, organization_id: Optional[str] = None,
                    contact_id: Optional[str] = None, device_id: Optional[str] = None,
                    session_id: Optional[str] = None, direction: Optional[int] = None,
                    content: Optional[str] = None, created_at: Optional[Instant] = None,
                    timeout: Optional[float] = None) -> service.LogMessageResponse:
        request = records.Message(
            message_id=message_id, organization_id=self._org(organization_id), contact_id=contact_id,
            device_id=device_id, session_id=session_id, direction=direction, content=content,
            created_at_ms=to_ms(created_at),
        )
        return self._call(Method.LOG_MESSAGE, request, timeout)

    def capture_lead(self, *, session_id: str, organization_id: Optional[str] = None, name: Optional[str] = None,
                     email: Optional[str] = None, company: Optional[str] = None,
                     captured_at: Optional[Instant] = None, timeout: Optional[float] = None) -> records.SessionMetrics:
        request = records.Lead(
            organization_id=self._org(organization_id), session_id=session_id, name=name, email=email,
            company=company, captured_at_ms=to_ms(captured_at),
        )
        return self._call(Method.CAPTURE_LEAD, request, timeout)

    def record_feedback(self, *, session_id: str, score: int, organization_id: Optional[str] = None,
                        turn_id: Optional[str] = None, given_at: Optional[Instant] = None,
                        timeout: Optional[float] = None) -> records.SessionMetrics:
        request = records.Feedback(
            organization_id=self._org(organization_id), session_id=session_id, turn_id=turn_id, score=score,
            given_at_ms=to_ms(given_at),
        )
        return self._call(Method.RECORD_FEEDBACK, request, timeout)

    # -- directory ---------------------------------------------------------------------------
    def upsert_device(self, *, device_id: str, organization_id: Optional[str] = None, name: Optional[str] = None,
                      phone_number: Optional[str] = None, timeout: Optional[float] = None) -> records.Device:
        request = records.Device(organization_id=self._org(organization_id), device_id=device_id, name=name,
                                 phone_number=phone_number)
        return self._call(Method.UPSERT_DEVICE, request, timeout)

    def get_device(self, device_id: str, *, organization_id: Optional[str] = None,
                   timeout: Optional[float] = None) -> records.Device:
        return self._call(Method.GET_DEVICE, self._key(organization_id, device_id), timeout)

    def upsert_contact(self, *, contact_id: str, organization_id: Optional[str] = None, name: Optional[str] = None,
                       phone_number: Optional[str] = None, timeout: Optional[float] = None) -> records.Contact:
        request = records.Contact(organization_id=self._org(organization_id), contact_id=contact_id, name=name,
                                  phone_number=phone_number)
        return self._call(Method.UPSERT_CONTACT, request, timeout)

    def get_contact(self, contact_id: str, *, organization_id: Optional[str] = None,
                    timeout: Optional[float] = None) -> records.Contact:
        return self._call(Method.GET_CONTACT, self._key(organization_id, contact_id), timeout)

    def upsert_persona(self, *, persona_id: str, organization_id: Optional[str] = None, name: Optional[str] = None,
                       default_model: Optional[str] = None, timeout: Optional[float] = None) -> records.Persona:
        request = records.Persona(organization_id=self._org(organization_id), persona_id=persona_id, name=name,
                                  default_model=default_model)
        return self._call(Method.UPSERT_PERSONA, request, timeout)

    def get_persona(self, persona_id: str, *, organization_id: Optional[str] = None,
                    timeout: Optional[float] = None) -> records.Persona:
        return self._call(Method.GET_PERSONA, self._key(organization_id, persona_id), timeout)

    def upsert_widget(self, *, widget_id: str, organization_id: Optional[str] = None, user_id: Optional[str] = None,
                      name: Optional[str] = None, timeout: Optional[float] = None) -> records.Widget:
        request = records.Widget(organization_id=self._org(organization_id), widget_id=widget_id, user_id=user_id,
                                 name=name)
        return self._call(Method.UPSERT_WIDGET, request, timeout)

    def get_widget(self, widget_id: str, *, organization_id: Optional[str] = None,
                   timeout: Optional[float] = None) -> records.Widget:
        return self._call(Method.GET_WIDGET, self._key(organization_id, widget_id), timeout)

    def _key(self, organization_id: Optional[str], entity_id: str) -> service.EntityKey:
        return service.EntityKey(organization_id=self._org(organization_id), id=entity_id)

    # -- turns and sessions ------------------------------------------------------------------
    def get_turn(self, turn_id: str, *, organization_id: Optional[str] = None,
                 timeout: Optional[float] = None) -> records.Turn:
        return self._call(Method.GET_TURN, service.TurnKey(organization_id=self._org(organization_id), turn_id=turn_id),
                          timeout)

    def get_session_metrics(self, session_id: str, *, organization_id: Optional[str] = None,
                            timeout: Optional[float] = None) -> records.SessionMetrics:
        request = service.SessionKey(organization_id=self._org(organization_id), session_id=session_id)
        return self._call(Method.GET_SESSION_METRICS, request, timeout)

    def list_session_metrics(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                             until: Optional[Instant] = None, has_lead: Optional[bool] = None,
                             page_size: Optional[int] = None, page_token: Optional[str] = None,
                             timeout: Optional[float] = None) -> service.ListSessionMetricsResponse:
        request = service.ListSessionMetricsRequest(
            organization_id=self._org(organization_id), window=make_window(since, until), has_lead=has_lead,
            page_size=page_size, page_token=page_token,
        )
        return self._call(Method.LIST_SESSION_METRICS, request, timeout)

    def count_session_metrics(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                              until: Optional[Instant] = None, has_lead: Optional[bool] = None,
                              timeout: Optional[float] = None) -> service.CountSessionMetricsResponse:
        request = service.ListSessionMetricsRequest(
            organization_id=self._org(organization_id), window=make_window(since, until), has_lead=has_lead,
        )
        return self._call(Method.COUNT_SESSION_METRICS, request, timeout)

    def backfill_session_metrics(self, organization_id: Optional[str] = None, *,
                                 timeout: Optional[float] = None):
        """Stream of `Progress`; empty organization: every organization."""
        request = service.BackfillRequest(organization_id=organization_id)
        return self._stream(Method.BACKFILL_SESSION_METRICS, request, timeout)

    # -- prices ------------------------------------------------------------------------------
    def set_price(self, model_pattern: str, *, input_nanos_per_mtok: Optional[int] = None,
                  output_nanos_per_mtok: Optional[int] = None, cached_read_nanos_per_mtok: Optional[int] = None,
                  cache_write_nanos_per_mtok: Optional[int] = None, effective_from: Optional[Instant] = None,
                  timeout: Optional[float] = None) -> analytics.Price:
        """Prices are nano-dollars per 1M tokens (2.50 USD = 2_500_000_000)."""
        request = analytics.Price(
            model_pattern=model_pattern, input_nanos_per_mtok=input_nanos_per_mtok,
            output_nanos_per_mtok=output_nanos_per_mtok, cached_read_nanos_per_mtok=cached_read_nanos_per_mtok,
            cache_write_nanos_per_mtok=cache_write_nanos_per_mtok, effective_from_ms=to_ms(effective_from),
        )
        return self._call(Method.SET_PRICE, request, timeout)

    def list_prices(self, *, timeout: Optional[float] = None) -> analytics.PriceList:
        return self._call(Method.LIST_PRICES, service.Empty(), timeout)

    def delete_price(self, model_pattern: str, *, effective_from: Optional[Instant] = None,
                     timeout: Optional[float] = None) -> service.Empty:
        request = service.DeletePriceRequest(model_pattern=model_pattern, effective_from_ms=to_ms(effective_from))
        return self._call(Method.DELETE_PRICE, request, timeout)

    # -- analytics ---------------------------------------------------------------------------
    def usage(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
              until: Optional[Instant] = None, tz: Optional[str] = None, granularity: Optional[Granularity] = None,
              group_by: Sequence[Dimension] = (), order_by: Optional[Measure] = None,
              ascending: Optional[bool] = None, top: Optional[int] = None, devices: Values = None,
              models: Values = None, personas: Values = None, contacts: Values = None, widgets: Values = None,
              outcomes: Values = None, timeout: Optional[float] = None) -> analytics.UsageResponse:
        request = analytics.UsageRequest(
            organization_id=self._org(organization_id), window=make_window(since, until), time_zone=tz,
            granularity=granularity, group_by=list(group_by), order_by=order_by, ascending=ascending, top=top,
            filters=make_filters(devices=devices, models=models, personas=personas, contacts=contacts,
                                 widgets=widgets, outcomes=outcomes),
        )
        return self._call(Method.USAGE, request, timeout)

    def report_devices(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                       until: Optional[Instant] = None, tz: Optional[str] = None, top: Optional[int] = None,
                       devices: Values = None, models: Values = None, personas: Values = None,
                       contacts: Values = None, timeout: Optional[float] = None) -> analytics.DevicesReport:
        return self._report(Method.REPORT_DEVICES, organization_id, since, until, tz, top, devices, models, personas,
                            contacts, timeout)

    def report_models(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                      until: Optional[Instant] = None, tz: Optional[str] = None, top: Optional[int] = None,
                      devices: Values = None, models: Values = None, personas: Values = None,
                      contacts: Values = None, timeout: Optional[float] = None) -> analytics.ModelsReport:
        return self._report(Method.REPORT_MODELS, organization_id, since, until, tz, top, devices, models, personas,
                            contacts, timeout)

    def report_daily(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                     until: Optional[Instant] = None, tz: Optional[str] = None, top: Optional[int] = None,
                     devices: Values = None, models: Values = None, personas: Values = None,
                     contacts: Values = None, timeout: Optional[float] = None) -> analytics.DailyReport:
        return self._report(Method.REPORT_DAILY, organization_id, since, until, tz, top, devices, models, personas,
                            contacts, timeout)

    def report_personas(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                        until: Optional[Instant] = None, tz: Optional[str] = None, top: Optional[int] = None,
                        devices: Values = None, models: Values = None, personas: Values = None,
                        contacts: Values = None, timeout: Optional[float] = None) -> analytics.PersonasReport:
        return self._report(Method.REPORT_PERSONAS, organization_id, since, until, tz, top, devices, models, personas,
                            contacts, timeout)

    def report_contacts(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                        until: Optional[Instant] = None, tz: Optional[str] = None, top: Optional[int] = None,
                        devices: Values = None, models: Values = None, personas: Values = None,
                        contacts: Values = None, timeout: Optional[float] = None) -> analytics.ContactsReport:
        return self._report(Method.REPORT_CONTACTS, organization_id, since, until, tz, top, devices, models, personas,
                            contacts, timeout)

    def report_hourly(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                      until: Optional[Instant] = None, tz: Optional[str] = None, top: Optional[int] = None,
                      devices: Values = None, models: Values = None, personas: Values = None,
                      contacts: Values = None, timeout: Optional[float] = None) -> analytics.HourlyReport:
        return self._report(Method.REPORT_HOURLY, organization_id, since, until, tz, top, devices, models, personas,
                            contacts, timeout)

    def report_sessions(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                        until: Optional[Instant] = None, tz: Optional[str] = None, top: Optional[int] = None,
                        devices: Values = None, models: Values = None, personas: Values = None,
                        contacts: Values = None, timeout: Optional[float] = None) -> analytics.SessionsReport:
        return self._report(Method.REPORT_SESSIONS, organization_id, since, until, tz, top, devices, models, personas,
                            contacts, timeout)

    def report_conversion(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                          until: Optional[Instant] = None, tz: Optional[str] = None, top: Optional[int] = None,
                          devices: Values = None, models: Values = None, personas: Values = None,
                          contacts: Values = None, timeout: Optional[float] = None) -> analytics.ConversionReport:
        return self._report(Method.REPORT_CONVERSION, organization_id, since, until, tz, top, devices, models,
                            personas, contacts, timeout)

    def contact_thread(self, contact_id: str, *, organization_id: Optional[str] = None,
                       page_size: Optional[int] = None, page_token: Optional[str] = None,
                       timeout: Optional[float] = None) -> analytics.ThreadPage:
        request = analytics.ThreadRequest(organization_id=self._org(organization_id), contact_id=contact_id,
                                          page_size=page_size, page_token=page_token)
        return self._call(Method.CONTACT_THREAD, request, timeout)

    # -- operations --------------------------------------------------------------------------
    def retain_detail(self, *, older_than: Instant, organization_id: Optional[str] = None,
                      timeout: Optional[float] = None):
        """Stream of `Progress`: archives turn and message detail older than `older_than`."""
        request = service.RetainRequest(older_than_ms=to_ms(older_than), organization_id=organization_id)
        return self._stream(Method.RETAIN_DETAIL, request, timeout)

    def repair_tokens(self, organization_id: Optional[str] = None, *,
                      timeout: Optional[float] = None) -> service.RepairTokensResponse:
        return self._call(Method.REPAIR_TOKENS, service.RepairTokensRequest(organization_id=organization_id), timeout)

    def check(self, *, timeout: Optional[float] = None):
        """Stream of `Progress`: walks the whole database file."""
        return self._stream(Method.CHECK, service.Empty(), timeout)

    def stats(self, *, timeout: Optional[float] = None) -> service.StatsResponse:
        return self._call(Method.STATS, service.Empty(), timeout)

    def export_turns(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                     until: Optional[Instant] = None, timeout: Optional[float] = None):
        """Stream of `TurnBatch`."""
        request = service.ExportRequest(organization_id=self._org(organization_id), window=make_window(since, until))
        return self._stream(Method.EXPORT_TURNS, request, timeout)

    def export_messages(self, organization_id: Optional[str] = None, *, since: Optional[Instant] = None,
                        until: Optional[Instant] = None, timeout: Optional[float] = None):
        """Stream of `MessageBatch`."""
        request = service.ExportRequest(organization_id=self._org(organization_id), window=make_window(since, until))
        return self._stream(Method.EXPORT_MESSAGES, request, timeout)

    def backup(self, path: str, *, timeout: Optional[float] = None) -> service.BackupResponse:
        """A consistent copy of the database to `path` on the server's machine."""
        return self._call(Method.BACKUP, service.BackupRequest(path=path), timeout)

    def log_messages(self, messages: Sequence[records.Message], *,
                     timeout: Optional[float] = None) -> bulk.LogMessagesResponse:
        """Many raw channel messages in one call, with a result per message, in order."""
        return self._call(Method.LOG_MESSAGES, bulk.LogMessagesRequest(messages=list(messages)), timeout)

    def upsert_directory(self, rows: Sequence[bulk.DirectoryRow], *,
                         timeout: Optional[float] = None) -> bulk.UpsertDirectoryResponse:
        """Many devices, contacts, personas or widgets in one call (each row sets one of them)."""
        return self._call(Method.UPSERT_DIRECTORY, bulk.UpsertDirectoryRequest(rows=list(rows)), timeout)

    def capture_leads(self, leads: Sequence[records.Lead], *,
                      timeout: Optional[float] = None) -> bulk.CaptureLeadsResponse:
        """Many leads in one call, with a result per lead, in order (its `id` is the session id)."""
        return self._call(Method.CAPTURE_LEADS, bulk.CaptureLeadsRequest(leads=list(leads)), timeout)

    def record_feedback_batch(self, feedback: Sequence[records.Feedback], *,
                              timeout: Optional[float] = None) -> bulk.RecordFeedbackBatchResponse:
        """Many feedback scores in one call, with a result per item, in order."""
        return self._call(Method.RECORD_FEEDBACK_BATCH, bulk.RecordFeedbackBatchRequest(feedback=list(feedback)), timeout)

    def count_tokens(self, texts: Sequence[str], *, encoding: Optional[str] = None,
                     timeout: Optional[float] = None) -> tokens.CountTokensResponse:
        """Token counts of each text, and whether they were counted or estimated."""
        return self._call(Method.COUNT_TOKENS, tokens.CountTokensRequest(texts=list(texts), encoding=encoding), timeout)

    def create_key(self, *, role: int, organization_id: Optional[str] = None, label: Optional[str] = None,
                   timeout: Optional[float] = None) -> keys.CreateKeyResponse:
        """A new API key (`keys.KeyRole`); its secret is in the answer and nowhere else."""
        request = keys.CreateKeyRequest(role=role, organization_id=organization_id, label=label)
        return self._call(Method.CREATE_KEY, request, timeout)

    def list_keys(self, organization_id: Optional[str] = None, *, timeout: Optional[float] = None) -> keys.KeyList:
        return self._call(Method.LIST_KEYS, keys.ListKeysRequest(organization_id=organization_id), timeout)

    def revoke_key(self, key_id: str, *, timeout: Optional[float] = None) -> service.Empty:
        return self._call(Method.REVOKE_KEY, keys.RevokeKeyRequest(key_id=key_id), timeout)

    def stream_backup(self, *, timeout: Optional[float] = None):
        """Stream of `BackupChunk`: a consistent snapshot of the database, in order."""
        return self._stream(Method.STREAM_BACKUP, ops.StreamBackupRequest(), timeout)
