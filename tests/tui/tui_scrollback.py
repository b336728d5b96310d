"""Scrollback: PageUp shows older lines with a "more below" marker and
new lines arriving meanwhile do not move the view; End goes back to
the newest. The keyboard process gets the keys and the network process
scrolls, so this also covers the request between the two processes.
The input line is untouched throughout."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Senders, Server, Tui, check, run  # noqa


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        senders = Senders(srv.port, ["tx1", "tx2", "tx3"])
        for i in range(40):
            senders.chat(i, "scroll line %02d" % i)
        t.wait_text("scroll line 39")
        t.type("draft")
        t.wait_input("draft")
        check(not any("scroll line 10" in r for r in t.screen()),
              "line 10 is off screen at first")
        t.keys("PPage")
        t.wait(lambda rows: any("more below" in r for r in rows) and
               any("scroll line 10" in r for r in rows),
               "an older page with the marker")
        before = t.screen()
        check(not any("scroll line 39" in r for r in before),
              "the newest line is below the view")
        senders.chat(0, "late line while scrolled")
        t.wait_input("draft")
        check(t.screen()[1:-2] == before[1:-2],
              "a new line does not move the page being read:\n" + t.dump())
        t.keys("PPage", "PPage", "PPage")
        t.wait_text("scroll line 00")
        t.keys("NPage")
        t.wait(lambda rows: not any("scroll line 00" in r for r in rows),
               "PageDown moves newer")
        t.keys("End")
        t.wait(lambda rows: "late line while scrolled" in rows[-2] and
               not any("more below" in r for r in rows), "End: the newest")
        t.wait_input("draft")
        t.keys("C-c")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        senders.close()
    srv.stop()


run(main)
