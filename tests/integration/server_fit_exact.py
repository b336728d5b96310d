#!/usr/bin/env python3
"""The server's fit checks are exact (issue 13: a chat is encoded once,
and that encoding is the check). A chat is accepted exactly while its
forward, with the widest seq any receiver could give it and the mid it
really gets, fits 1400 bytes: one byte more is too_long. History keeps
exactly the chats whose replay form (the same chat plus "history":true,
15 bytes) still fits; the others are forwarded but not replayed."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


NAME = "中" * 16            # 48 bytes, the longest name
WIDEST_SEQ = len(str(2 ** 53 - 1))
HISTORY_FLAG = len(',"history":true')


def text(n):
    """n characters; each of the first 450 is escaped to 2 bytes, so the
    forward grows by 2 bytes a character there and by 1 after."""
    return '"' * min(n, 450) + "y" * max(0, n - 450)


def widest(m):
    """The forward's length with the widest seq instead of its own."""
    return len(m["_raw"]) - len(str(m["seq"])) + WIDEST_SEQ


def main():
    srv = Server("--no-rate-limit")
    a = Client(srv.port)
    a.login(NAME)
    b = Client(srv.port)
    b.login("bob")
    a.expect("join", name="bob")

    # The longest accepted text, by bisection (a refusal uses no mid),
    # below the longest whose request itself still fits 1400 bytes.
    hi = max(n for n in range(1, 1001) if len(json.dumps(
        {"type": "chat", "token": a.token, "id": 999, "text": text(n)},
        ensure_ascii=False).encode()) <= 1400)
    lo = 1
    check(a.request("chat", text=text(lo))["type"] == "ack",
          "a 1-character chat is accepted")
    b.expect("chat", text=text(lo))
    while hi - lo > 1:
        mid = (lo + hi) // 2
        r = a.request("chat", text=text(mid))
        if r["type"] == "ack":
            b.expect("chat", text=text(mid))
            lo = mid
        else:
            check(r.get("code") == "too_long", "refused as too_long: %r"
                  % public(r))
            hi = mid
    log("longest accepted text: %d characters, of %d that fit a request"
        % (lo, hi))

    # The boundary, again, measured on the wire: lo fits, lo + 1 not.
    a.request_ok("chat", text=text(lo))
    m = b.expect("chat", text=text(lo))
    step = 2 if lo + 1 <= 450 else 1
    log("forward %d bytes, %d with the widest seq" %
        (len(m["_raw"]), widest(m)))
    check(widest(m) <= 1400, "the accepted forward fits with any seq: %d"
          % widest(m))
    check(widest(m) + step > 1400, "accepted up to the last byte: a chat "
          "%d bytes longer would have fit too (widest %d)" %
          (step, widest(m)))
    a.request_error("chat", "too_long", text=text(lo + 1))

    # 24 chats from the longest down: history keeps exactly those whose
    # replay form fits.
    sizes = {}
    for n in range(lo, lo - 24, -1):
        a.request_ok("chat", text=text(n))
        sizes[n] = widest(b.expect("chat", text=text(n)))
    kept = sorted(n for n, w in sizes.items() if w + HISTORY_FLAG <= 1400)
    check(kept and len(kept) < len(sizes), "test setup: some fit history "
          "and some do not: %r" % sizes)
    c = Client(srv.port)
    c.login("carol")
    c.barrier()
    length_of = {text(n): n for n in sizes}
    got = sorted(length_of[h["text"]] for h in c.received("chat")
                 if h.get("history") and h["text"] in length_of)
    for h in c.received("chat"):
        check(len(h["_raw"]) <= 1400, "a replay over 1400 bytes")
    check(got == kept, "history replays exactly the chats whose replay "
          "fits: got %r, wanted %r" % (got, kept))
    srv.stop()


run(main)
