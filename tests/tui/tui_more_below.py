"""Scrolled back, the marker on the last message row counts the
messages below the view ("-- 22 more below --"), and the count grows
as new lines arrive while the page being read stays still; End goes
back to the newest and the marker goes away."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Senders, Server, Tui, check, run  # noqa


def marker(rows):
    m = re.search(r"-- (\d+) more below \(End: newest\) --", rows[-2])
    return int(m.group(1)) if m else None


def main():
    srv = Server()
    # 24 rows: 22 message rows, so PageUp moves 21 rows up.
    with Tui(srv.port, "alice", x=80, y=24) as t:
        t.ready("alice")
        senders = Senders(srv.port, ["tx1", "tx2", "tx3"])
        for i in range(40):
            senders.chat(i, "line %02d" % i)
        t.wait_text("line 39")
        t.keys("PPage")
        # 21 one-row messages scrolled past, and one under the marker.
        t.wait(lambda rows: marker(rows) == 22, "22 more below")
        check(any("line 17" in r for r in t.screen()[-3:-2]),
              "the row above the marker is line 17:\n" + t.dump())
        before = t.screen()
        senders.chat(0, "new one")
        t.wait(lambda rows: marker(rows) == 23, "23 more below")
        senders.chat(1, "and another")
        t.wait(lambda rows: marker(rows) == 24, "24 more below")
        check(t.screen()[1:-2] == before[1:-2],
              "the page stays where it was:\n" + t.dump())
        t.keys("End")
        t.wait(lambda rows: "and another" in rows[-2] and
               marker(rows) is None, "End: the newest, no marker")
        t.keys("C-c")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        senders.close()
    srv.stop()


run(main)
