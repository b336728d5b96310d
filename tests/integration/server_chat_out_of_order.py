#!/usr/bin/env python3
"""Ids that arrive out of order (2 before 1) are each acked and forwarded
once; repeating either afterwards forwards nothing."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    a, b = login_room(srv.port, "alice", "bob")

    a.chat("two", id=2)
    a.expect("ack", id=2)
    a.chat("one", id=1)
    a.expect("ack", id=1)
    m2 = b.expect("chat", text="two")
    m1 = b.expect("chat", text="one")
    check(m1["seq"] == m2["seq"] + 1, "forwarded in arrival order: %r %r" %
          (public(m2), public(m1)))
    a.chat("two", id=2)
    a.expect("ack", id=2)
    a.chat("one", id=1)
    a.expect("ack", id=1)
    a.chat("three", id=3)
    a.expect("ack", id=3)
    m3 = b.expect("chat", text="three")
    check(m3["seq"] == m1["seq"] + 1,
          "the repeats were not forwarded again: seq %d after %d" %
          (m3["seq"], m1["seq"]))
    b.barrier()
    check(b.received("chat") == [], "no extra chats: %r" %
          [public(m) for m in b.received("chat")])
    srv.stop()


run(main)
