#!/usr/bin/env python3
"""Cap batch (protocol.md, "Batching"): the welcome lists the caps the
server will use, only for a login that asked; a burst for a batching
session comes packed, no datagram over 1400 bytes, seqs in order; an
unacked batch is sent again until acked; a cumulative ack (upto and
seqs) stops exactly the seqs it covers; a session without the cap never
gets a batch (chattest checks that on every datagram)."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403
import signal  # noqa: E402

BURST = 40


def seqs_after(c, since):
    """The seqs of chats c received at or after monotonic time since."""
    return [m["seq"] for m in c.inbox if m["_t"] >= since and "seq" in m]


def main():
    srv = Server("--no-rate-limit")
    b = Client(srv.port, auto_ack=False, keep_dups=True, caps=["batch"])
    w = b.login("bea")
    check(w.get("caps") == ["batch"], "welcome caps to a batch login: %r"
          % public(w))
    c = Client(srv.port)                # no caps: version 2 as before
    w = c.login("cid")
    check("caps" not in w, "no caps in the welcome to a login without: %r"
          % public(w))
    d = Client(srv.port, caps=[])       # asked for none
    w = d.login("dee")
    check(w.get("caps") == [], "empty caps to a login with none: %r"
          % public(w))
    a = Client(srv.port)
    a.login("ann")
    for x in (c, d):
        x.expect("join", name="ann")

    # A burst of chats, 300 bytes each: more than one datagram's worth,
    # all waiting in the server's socket when it reads (it is stopped
    # meanwhile), so packing is not left to how fast a loaded server
    # happens to read: it never waits to fill a batch.
    srv.signal(signal.SIGSTOP)
    try:
        for k in range(BURST):
            a.req("chat", id=a.new_id(), text="%03d " % k + "x" * 296)
    finally:
        srv.signal(signal.SIGCONT)
    wait_until(lambda: (b.pump(0.05), len(b.distinct("chat")))[1] >= BURST,
               10.0, "bea got the burst")
    for x in (c, d):
        wait_until(lambda: (x.pump(0.05), len(x.distinct("chat")))[1] >=
                   BURST, 10.0, "%s got the burst" % x.name)
    check(c.batches == [] and d.batches == [],
          "no batch to a session without the cap")
    check(any(len(s) > 1 for s in b.batches),
          "the burst came packed: %r" % b.batches)
    # First sends: in seq order, across and within datagrams.
    first = []
    for m in b.inbox:
        if m["seq"] not in first:
            first.append(m["seq"])
    check(first == sorted(first) and first == list(range(1, len(first) + 1)),
          "bea's seqs arrived in order: %r" % first)
    for s in b.batches:
        check(s == sorted(s) and len(set(s)) == len(s),
              "seqs inside a batch keep order: %r" % s)
    top = max(first)
    texts = [m["text"][:3] for m in b.distinct("chat")]
    check(texts == ["%03d" % k for k in range(BURST)],
          "chats in the order sent: %r" % texts)

    # Nothing acked: the batches come again, packed again.
    n0 = len(b.batches)
    wait_until(lambda: (b.pump(0.05), len(b.batches))[1] >= n0 + 2, 5.0,
               "the unacked batches are sent again")
    again = [s for s in b.batches[n0:]]
    check(all(len(s) > 1 for s in again[:1]),
          "a retransmission packs too: %r" % again)

    # Cumulative: up to 10, and everything above but 20.
    hole = 20
    b.req("ack", upto=10, seqs=[s for s in range(11, top + 1)
                                if s != hole][:64])
    rest = [s for s in range(11, top + 1) if s != hole][64:]
    if rest:
        b.req("ack", upto=10, seqs=rest)
    b.ping()
    since = time.monotonic()
    wait_until(lambda: (b.pump(0.05), seqs_after(b, since).count(hole))[1]
               >= 2, 5.0, "seq %d, not covered, is sent again" % hole)
    check(set(seqs_after(b, since)) == {hole},
          "only the seq not covered comes again: %r" %
          sorted(set(seqs_after(b, since))))
    b.req("ack", upto=10, seqs=[hole])
    b.ping()
    b.drop()
    b.expect_none("chat", 1.5)
    check(b.inbox == [] or all(m["type"] == "pong" for m in b.inbox),
          "nothing comes again once all is acked: %r" %
          [public(m) for m in b.inbox])
    srv.stop()


run(main)
