#!/usr/bin/env python3
"""A burst of 40 chats at once: about 20 are acked and forwarded, the rest
get slow_down with their id and are not forwarded; every id gets one
answer, so forwarded + refused = sent."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


N = 40


def main():
    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    a.expect("join", name="bob")

    for i in range(1, N + 1):
        a.req("chat", id=i, text="burst %d" % i)

    def answered():
        ids = [m.get("id") for m in a.inbox
               if m.get("type") == "ack" or
               (m.get("type") == "error" and m.get("code") == "slow_down")]
        return len(set(ids)) >= N
    try:
        pump_until([a, b], answered, 5.0, "an answer to each of %d ids" % N)
    except TestFailure:
        pass
    acked = sorted(m["id"] for m in a.received("ack"))
    refused = [m.get("id") for m in a.received("error", code="slow_down")]
    check(None not in refused, "every slow_down carries the id: %r" %
          [public(m) for m in a.received("error", code="slow_down")])
    refused.sort()
    others = [public(m) for m in a.received("error")
              if m.get("code") != "slow_down"]
    log("acked %d: %r" % (len(acked), acked))
    log("refused %d: %r" % (len(refused), refused))
    check(others == [], "no other errors: %r" % others)
    check(len(refused) >= 1, "some chats of the burst got slow_down")
    check(len(acked) >= 20, "the burst of 20 is allowed: %d acked" %
          len(acked))
    check(not set(acked) & set(refused), "no id both acked and refused")
    check(len(set(acked)) == len(acked) and len(set(refused)) == len(refused),
          "one answer per id")
    missing = sorted(set(range(1, N + 1)) - set(acked) - set(refused))
    check(not missing, "every id answered (forwarded + refused = sent); "
          "no answer for %r" % missing)

    b.barrier()
    got = sorted(int(m["text"].split()[1]) for m in b.received("chat"))
    check(got == acked, "exactly the acked ids were forwarded: got %r" % got)
    srv.stop()


run(main)
