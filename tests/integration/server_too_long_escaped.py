#!/usr/bin/env python3
"""A chat or msg whose request fits in 1400 bytes but whose forwarded
datagram cannot (a 48-byte sender name, a text of characters JSON must
escape) is refused with too_long and its id; a smaller one of the same
characters is forwarded with the text intact."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


NAME = "中" * 16          # 48 bytes, the longest name


def compact(o):
    return json.dumps(o, separators=(",", ":"), ensure_ascii=False).encode()


def pick_text(token, fields, min_out):
    """The longest text of '"' and '\\\\' (each escaped as 2 bytes) whose
    request stays within 1400 bytes; checks that the shortest possible
    forwarded datagram is over 1400."""
    for n in range(1000, 0, -1):
        text = ('"\\' * 500)[:n]
        o = {"type": fields["type"], "token": token, "id": fields["id"],
             "text": text}
        if "to" in fields:
            o["to"] = fields["to"]
        req = compact(o)
        if len(req) <= 1400:
            out = compact({"type": fields["type"], "seq": 1,
                           "ts": now_ms(), "from": NAME, "text": text})
            log("%s: text %d bytes, request %d bytes, forwarded at least %d"
                % (fields["type"], n, len(req), len(out)))
            check(len(out) > min_out, "test setup: forwarded %d bytes fits"
                  % len(out))
            return text, req
    raise TestFailure("test setup: no text fits")


def main():
    srv = Server()
    a = Client(srv.port)
    a.login(NAME)
    b = Client(srv.port)
    b.login("bob")
    a.expect("join", name="bob")

    text, req = pick_text(a.token, {"type": "chat", "id": 1}, 1400)
    e = a.ask_error(req, "too_long")
    check(e.get("id") == 1, "too_long carries the chat's id: %r" % public(e))
    text, req = pick_text(a.token, {"type": "msg", "id": 2, "to": "bob"},
                          1400)
    e = a.ask_error(req, "too_long")
    check(e.get("id") == 2, "too_long carries the msg's id: %r" % public(e))

    small = ('"\\' * 500)[:600] + " ok"
    a.request_ok("chat", id=3, text=small)
    m = b.expect("chat")
    check(m.get("text") == small, "an escaped text arrives intact")
    check(m.get("from") == NAME, "from the 48-byte name")
    a.request_ok("msg", id=4, to="bob", text=small)
    m2 = b.expect("msg")
    check(m2.get("text") == small, "an escaped msg arrives intact")
    b.barrier()
    check(b.received("chat") == [] and b.received("msg") == [],
          "the refused ones were not forwarded: %r" %
          [public(x) for x in b.inbox])
    check(m2["seq"] == m["seq"] + 1, "nothing in between")
    srv.stop()


run(main)
