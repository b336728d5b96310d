#!/usr/bin/env python3
"""A chat or msg text that is empty, over 1000 bytes or has a control
character (C0, DEL, C1) gets bad_text with its id and is not forwarded;
1000 bytes is fine. Such a datagram changes no state: its id is not used
up (requests are acted on in id order), the next good request takes it."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


BAD = [
    "",
    "x" * 1001,
    "中" * 333 + "ab",            # 1001 bytes
    "tab\there",
    "new\nline",
    "cr\rreturn",
    "nul\u0000byte",
    "bell\x07",
    "\x1b[2J\x1b[Hcleared",
    "del\x7f",
    "c1\u0085next line",
    "c1\u009bcsi",
]

GOOD = [
    "x" * 1000,
    "中" * 333 + "a",             # 1000 bytes
    "\u202ebidi is allowed in text",
    "two  spaces  inside",
]


def main():
    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    j = a.expect("join", name="bob")
    pool = [a, b]
    n = 0
    for text in BAD:
        for typ in ("chat", "msg"):
            c = pool[n % 2]
            n += 1
            other = "bob" if c is a else "alice"
            fields = {"text": text}
            if typ == "msg":
                fields["to"] = other
            c.request_error(typ, "bad_text", id=c.next_id, **fields)
    a.barrier()
    b.barrier()
    check(a.received("chat") == [] and a.received("msg") == [] and
          b.received("chat") == [] and b.received("msg") == [],
          "no bad text was forwarded: %r" %
          [public(m) for m in a.inbox + b.inbox])
    for text in GOOD:
        a.request_ok("chat", text=text)
        m = b.expect("chat")
        check(m.get("text") == text, "a good text arrives intact: %r" %
              m.get("text")[:80])
        b.request_ok("msg", to="alice", text=text)
        m = a.expect("msg")
        check(m.get("text") == text, "a good msg arrives intact")
    check(m["seq"] == j["seq"] + len(GOOD), "alice's seq shows nothing "
          "else was delivered: %r" % m["seq"])
    srv.stop()


run(main)
