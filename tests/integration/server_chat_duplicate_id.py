#!/usr/bin/env python3
"""A chat sent twice with the same id is acked twice and forwarded once."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    a, b = login_room(srv.port, "alice", "bob")

    a.chat("once only", id=1)
    a.expect("ack", id=1)
    a.chat("once only", id=1)
    a.expect("ack", id=1)
    # Same id, other text (a retransmission is the same request): ignored too.
    a.chat("once only, edited", id=1)
    a.expect("ack", id=1)
    a.chat("second", id=2)
    a.expect("ack", id=2)

    first = b.expect("chat", text="once only")
    second = b.expect("chat", text="second")
    check(second["seq"] == first["seq"] + 1,
          "nothing was forwarded between id 1 and id 2: seq %d then %d" %
          (first["seq"], second["seq"]))
    b.barrier()
    check(b.received("chat") == [], "id 1 was forwarded once: extra %r" %
          [public(m) for m in b.received("chat")])
    a.barrier()
    check(a.received("ack") == [], "one ack per send: extra %r" %
          [public(m) for m in a.received("ack")])
    srv.stop()


run(main)
