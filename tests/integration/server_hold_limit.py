#!/usr/bin/env python3
"""Early requests a session may have held are bounded (our choice, 64 KB
of datagrams): 79 renames padded to 1400 bytes, ids 2..80, sent before
id 1: once id 1 comes, the held ones are acted on in order and the ids
past the bound were dropped unanswered, as the contract allows; sent
again, they are acted on too. Every rename reaches bob once, in order."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

LAST = 80


def rename(c, i, size=0):
    o = {"type": "rename", "token": c.token, "id": i, "name": "n%d" % i}
    if size:
        o["pad"] = ""
        o["pad"] = "p" * (size - len(json.dumps(o).encode()))
    c.send(o)


def main():
    srv = Server()
    a, b = login_room(srv.port, "alice", "bob")
    for i in range(2, LAST + 1):
        rename(a, i, 1400)
    a.barrier()
    check(a.received("ack") == [], "early ids are not answered")
    rename(a, 1)
    a.barrier()
    first = [m["id"] for m in a.received("ack")]
    log("acked at once: %d (%r...)" % (len(first), first[:5]))
    check(first == list(range(1, len(first) + 1)), "in order: %r" % first)
    check(30 <= len(first) < LAST,
          "some were held, those past the bound dropped: %d acked" %
          len(first))
    check(a.received("error") == [], "dropped, not refused: %r" %
          [public(m) for m in a.received("error")])
    for i in range(len(first) + 1, LAST + 1):
        rename(a, i)
    pump_until([a, b], lambda: len(a.received("ack")) >= LAST, 5.0,
               "every id acked")
    acks = [m["id"] for m in a.received("ack")]
    check(acks == list(range(1, LAST + 1)), "each once, in order: %r" % acks)
    b.barrier()
    got = [m["to"] for m in b.received("rename")]
    check(got == ["n%d" % i for i in range(1, LAST + 1)],
          "bob saw each rename once, in order: %r" % got)
    srv.stop()


run(main)
