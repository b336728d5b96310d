#!/usr/bin/env python3
"""The client and cap batch, against a scripted server
(tests/lib/fakeserver.py): the login asks for "batch"; the messages of a
batch datagram are shown in order, as if they came one by one; the
client acks a batch with one cumulative ack, upto and the seqs it holds
above a gap, and shows the held ones once the gap is filled."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import check, run  # noqa: E402
from clienttest import TIME_RE, PlainClient  # noqa: E402
from fakeserver import FakeServer  # noqa: E402

T = "^" + TIME_RE + " "


def chat(fs, seq, text):
    return {"type": "chat", "seq": seq, "ts": fs.ts(), "mid": seq,
            "from": "bob", "text": text}


def main():
    fs = FakeServer()
    try:
        fs.caps = ["batch"]
        a = PlainClient(fs.port, "alice")
        logins = fs.sent("login")
        check(logins and all(o.get("caps") == ["batch"] for o in logins),
              "every login asks for batch: %r" % logins)

        fs.send({"type": "batch", "msgs": [chat(fs, s, "line %d" % s)
                                           for s in (1, 2, 3)]})
        a.wait_line(T + r"<bob> line 3$")
        shown = [x for x in a.matching(T + r"<bob> line \d$")]
        check([x[-1] for x in shown] == ["1", "2", "3"],
              "a batch's chats shown in order: %r" % shown)
        fs.wait(lambda: fs.sent("ack", upto=3), "a cumulative ack upto 3: %r" % fs.sent("ack"))
        acks = fs.sent("ack")
        check(all("seq" not in o for o in acks),
              "a batch is acked cumulatively, not by seq: %r" % acks)
        check(len(acks) <= 2, "one ack (twice at most) per batch: %r" % acks)

        # 4 lost: 5 and 6 are held, and acked above upto 3.
        fs.send({"type": "batch", "msgs": [chat(fs, s, "line %d" % s)
                                           for s in (5, 6)]})
        fs.wait(lambda: fs.sent("ack", upto=3, seqs=[5, 6]),
                "ack upto 3 seqs [5, 6]")
        check(a.matching(T + r"<bob> line 5$") == [],
              "5 is held until 4 comes")
        fs.send(chat(fs, 4, "line 4"))
        a.wait_line(T + r"<bob> line 6$")
        shown = [x[-1] for x in a.matching(T + r"<bob> line \d$")]
        check(shown == ["1", "2", "3", "4", "5", "6"],
              "in seq order, each once: %r" % shown)
        fs.wait(lambda: fs.sent("ack", seq=4), "4 alone is acked by seq")
        # A retransmitted batch, repacked: acked again, shown once.
        fs.send({"type": "batch", "msgs": [chat(fs, s, "line %d" % s)
                                           for s in (5, 6)]})
        fs.wait(lambda: fs.sent("ack", upto=6), "the repeat acked upto 6")
        check(len(a.matching(T + r"<bob> line 6$")) == 1, "6 shown once")
        a.quit()
    finally:
        fs.stop()


run(main)
