#!/usr/bin/env python3
"""Resume (protocol 2): alice's lines reach the server, which acts on
them, but their acks are lost; then alice is cut off long enough for the
server to expire her session. When the link is back she logs in again
by herself; the welcome's next_id tells her that both lines were acted
on, so she shows them delivered and does not send them again: bob sees
each line exactly once, and a line said afterwards once too. Needs the
server side of protocol 2 (cid and next_id remembered per name)."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, check, log, run  # noqa: E402
from clienttest import TIME_RE, PlainClient, wait_for  # noqa: E402
from lossyproxy import DOWN, LossyProxy  # noqa: E402

T = "^" + TIME_RE + " "
ACK = re.compile(rb'"type"\s*:\s*"ack"')


class Gate(LossyProxy):
    """Drops the server's acks (drop_acks), or everything (cut)."""

    def __init__(self, port):
        super().__init__(port)
        self.drop_acks = False
        self.cut = False
        self.acks_dropped = 0

    def _offer(self, client, d, data):
        if self.cut:
            return
        if self.drop_acks and d == DOWN and ACK.search(data):
            self.acks_dropped += 1
            return
        super()._offer(client, d, data)


def main():
    srv = Server("--heartbeat", "1")
    gate = Gate(srv.port).start()
    try:
        b = PlainClient(srv.port, "bob")
        a = PlainClient(gate.port, "alice")
        b.wait_line(T + r"-- alice joined$")

        gate.drop_acks = True
        a.say("first line")
        a.say("second line")
        b.wait_line(T + r"<alice> second line$")
        wait_for(lambda: gate.acks_dropped >= 2, 5.0, "both acks lost")
        check(a.matching(r"<alice> (first|second) line$") == [],
              "alice has no ack yet: %r" % a.matching(r"<alice>"))

        gate.cut = True
        b.wait_line(T + r"-- alice left \(timeout\)$", 15.0)
        gate.cut = False
        gate.drop_acks = False
        a.wait_line(T + r"-- reconnected$", 20.0)
        b.wait_line(T + r"-- alice joined$", 10.0)
        a.wait_line(T + r"<alice> second line$", 10.0)
        a.say("third line")
        b.wait_line(T + r"<alice> third line$", 10.0)
        a.wait_line(T + r"<alice> third line$", 10.0)
        for t in ("first", "second", "third"):
            got = b.matching(r"<alice> %s line$" % t)
            check(len(got) == 1, "bob sees the %s line once: %r" % (t, got))
            got = a.matching(r"<alice> %s line$" % t)
            check(len(got) == 1, "alice shows the %s line once: %r" %
                  (t, got))
        log("resumed: each line once")
        a.quit()
        b.quit()
    finally:
        gate.stop()
        srv.stop()


if __name__ == "__main__":
    run(main)
