#!/usr/bin/env python3
"""Requests are acted on in id order (protocol 2): chats sent as ids 3, 2,
1 are forwarded as 1, 2, 3 and acked 1, 2, 3, each once, none before id 1
came; the early ones are held, not answered. Repeating any of them
afterwards gets the same ack and forwards nothing; a new id follows."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    a, b = login_room(srv.port, "alice", "bob")

    a.chat("three", id=3)
    a.chat("two", id=2)
    # Both are held: no answer, nothing forwarded, until id 1 comes.
    a.barrier()
    b.barrier()
    check(a.received("ack") == [] and a.received("error") == [],
          "early ids are not answered before id 1: %r" %
          [public(m) for m in a.inbox])
    check(b.received("chat") == [], "nothing forwarded before id 1: %r" %
          [public(m) for m in b.received("chat")])
    a.chat("one", id=1)
    pump_until([a, b], lambda: len(a.received("ack")) >= 3, 5.0,
               "three acks")
    acks = a.received("ack")
    check([m["id"] for m in acks] == [1, 2, 3],
          "acked in id order: %r" % [public(m) for m in acks])
    got = pump_until([a, b], lambda: len(b.received("chat")) >= 3 and
                     b.received("chat"), 5.0, "three chats")
    check([m["text"] for m in got] == ["one", "two", "three"],
          "forwarded in id order: %r" % [public(m) for m in got])
    check([m["seq"] for m in got] == [got[0]["seq"] + k for k in range(3)],
          "one after another: %r" % [public(m) for m in got])
    check([m["mid"] for m in got] == [1, 2, 3],
          "numbered in the order accepted: %r" % [public(m) for m in got])
    a.drop()
    b.drop()

    for i in (2, 3, 1):
        a.chat("again", id=i)
        a.expect("ack", id=i)
    a.chat("four", id=4)
    a.expect("ack", id=4)
    m4 = b.expect("chat", text="four")
    check(m4["seq"] == got[-1]["seq"] + 1,
          "the repeats were not forwarded again: seq %d after %d" %
          (m4["seq"], got[-1]["seq"]))
    b.barrier()
    check(b.received("chat") == [], "no extra chats: %r" %
          [public(m) for m in b.received("chat")])
    a.barrier()
    check(a.received("ack") == [], "one ack per send: %r" %
          [public(m) for m in a.received("ack")])
    srv.stop()


run(main)
