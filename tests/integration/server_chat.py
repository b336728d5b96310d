#!/usr/bin/env python3
"""chat: ack {id} to the sender, chat {seq, ts, from, text} to every other
session and not to the sender, seq 1, 2, 3 per receiver, UTF-8 intact."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


TEXTS = ["hello", "你好，世界 🌍 — ünïcödé", 'say "hi" \\ back/slash {json} ok']



def main():
    srv = Server()
    a, b, c = login_room(srv.port, "alice", "bob", "张伟")
    a.drop()
    b.barrier()
    b.drop()

    t0 = now_ms()
    ids = []
    for text in TEXTS:
        i = a.chat(text)
        ids.append(i)
        a.expect("ack", id=i)
    t1 = now_ms()
    for rcv, first in ((b, 2), (c, 1)):
        got = []
        for text in TEXTS:
            m = rcv.expect("chat", text=text)
            got.append(m)
            check(m.get("from") == "alice", "from is alice: %r" % public(m))
            check(isinstance(m.get("ts"), int) and t0 - 2000 <= m["ts"] <= t1 + 2000,
                  "ts is ms since the epoch near now (%d..%d): %r" %
                  (t0, t1, m.get("ts")))
            check(not m.get("history"), "a live chat is not history")
        check([m["seq"] for m in got] == list(range(first, first + 3)),
              "%s gets seq %d, %d, %d: %r" % (rcv.name, first, first + 1,
                                              first + 2, [m["seq"] for m in got]))
    check(c.received("chat") == [], "exactly one copy of each chat")
    a.barrier()
    check(a.received("chat") == [], "the sender does not get its own chat: %r"
          % [public(m) for m in a.received("chat")])

    # Now bob talks: alice and carol get it, with their own next seq.
    i = b.chat("bob here")
    b.expect("ack", id=i)
    m = a.expect("chat", text="bob here", **{"from": "bob"})
    check(m["seq"] == 3, "alice's seq continues after her 2 joins: %r" %
          public(m))
    m = c.expect("chat", text="bob here", **{"from": "bob"})
    check(m["seq"] == 4, "carol's seq continues: %r" % public(m))
    b.barrier()
    check(b.received("chat") == [], "bob does not get his own chat")
    srv.stop()


run(main)
