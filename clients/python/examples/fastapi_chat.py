"""The seed's chat route, recording each turn in Parley instead of sync_conversation_metrics.

Before (backend/app/services/chat_service.py, generate_chat_response()):

    db.add(conversation)
    db.flush()                                   # get the conversation ID
    sync_conversation_metrics(db, conversation.id, organization_id, session_id)
    db.commit()                                  # the chat reply waits for all of this

After: the reply is recorded by a background Recorder (microseconds in the request, never
an exception into it); Parley keeps the session's conversation metrics in the same
transaction as the turn, so the metrics table, its sync function and the backfill script
go away. Leads and feedback are rare and the caller wants the session's metrics back, so
they are plain awaited calls on the AsyncClient.

Run: pip install clients/python fastapi uvicorn
     PARLEY_ADDR=127.0.0.1:7420 PARLEY_KEY=$(cat data/admin.key) uvicorn fastapi_chat:app
(`generate_reply` stands in for the model call; put your LLM client there.)
"""
from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Optional

from fastapi import FastAPI
from pydantic import BaseModel

import parley

ORGANIZATION = os.environ.get("PARLEY_ORG", "acme")
SPOOL = os.environ.get("PARLEY_SPOOL", "/var/lib/chat-backend/parley-spool")

app = FastAPI()
# One recorder per process: a parleyd restart or outage is absorbed by the spool; at exit
# it drains for up to close_timeout seconds and counts (and logs) whatever it could not send.
recorder = parley.Recorder(organization_id=ORGANIZATION, spool_dir=SPOOL, close_timeout=5.0)
client = parley.AsyncClient(organization_id=ORGANIZATION, timeout=2.0)


class ChatRequest(BaseModel):
    session_id: str
    message: str
    widget_id: Optional[str] = None
    persona_id: Optional[str] = None
    contact_id: Optional[str] = None


class LeadRequest(BaseModel):
    session_id: str
    name: str
    email: str
    company: Optional[str] = None


class FeedbackRequest(BaseModel):
    session_id: str
    score: int
    turn_id: Optional[str] = None


async def generate_reply(message: str):
    """The model call: returns the reply text, the model name and its token usage."""
    return f"You said: {message}", "gpt-4o", 12, 7


@app.post("/api/chat")
async def chat(request: ChatRequest):
    asked_at = dt.datetime.now(dt.timezone.utc)
    reply, model, input_tokens, output_tokens = await generate_reply(request.message)
    turn_id = recorder.log_turn(
        turn_id=uuid.uuid4().hex,          # your conversation id: a retry of this request is then a duplicate
        session_id=request.session_id,
        widget_id=request.widget_id,
        persona_id=request.persona_id,
        contact_id=request.contact_id,
        model=model,
        user_message=request.message,
        ai_response=reply,
        input_tokens=input_tokens,         # the model's own counts; leave them out to let Parley estimate
        output_tokens=output_tokens,
        user_message_at=asked_at,
        replied_at=dt.datetime.now(dt.timezone.utc),
    )
    return {"reply": reply, "turn_id": turn_id}


@app.post("/api/lead")
async def capture_lead(lead: LeadRequest):
    session = await client.capture_lead(session_id=lead.session_id, name=lead.name, email=lead.email,
                                        company=lead.company)
    return {"has_lead": session.has_lead, "total_messages": session.total_messages}


@app.post("/api/feedback")
async def feedback(body: FeedbackRequest):
    try:
        session = await client.record_feedback(session_id=body.session_id, score=body.score, turn_id=body.turn_id)
    except parley.InvalidArgument as exc:      # e.g. a score outside 1..5: the field is named
        return {"error": exc.message, "fields": list(exc.fields)}
    return {"user_satisfaction": session.user_satisfaction}


@app.get("/api/reports/models")
async def models_report(days: int = 30, tz: str = "UTC"):
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
    report = await client.report_models(since=since, tz=tz)
    return parley.to_dict(report)               # the same JSON as `parley report models --format json`


@app.get("/healthz/parley")
def recorder_health():
    counters = recorder.counters
    return {"pending": counters.pending, "acknowledged": counters.acknowledged, "dropped": counters.dropped,
            "rejected": counters.rejected, "rejected_reasons": counters.rejected_reasons}


@app.on_event("shutdown")
async def shutdown():
    recorder.close()
    await client.close()
