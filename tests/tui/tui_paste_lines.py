"""Pasting 40 lines at once: the server takes a burst of 20 chats, then
10 a second, and answers slow_down to the rest. The client keeps those
lines and sends them again at the server's pace, so the other user gets
all 40, once each and in order, and no line is marked not delivered."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run  # noqa

N = 40


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        t.wait_text("bob joined")
        t.paste("".join("pasted %02d\n" % i for i in range(N)), marked=False)
        bob.wait_line(r"<alice> pasted %02d$" % (N - 1), timeout=20)
        got = [l.split("<alice> ", 1)[1] for l in bob.lines
               if "<alice> pasted" in l]
        check(got == ["pasted %02d" % i for i in range(N)],
              "all lines once, in order: %r" % got)
        t.wait(lambda rows: rows[-1].startswith(">") and
               any("pasted %02d" % (N - 1) in r for r in rows),
               "the last line shown")
        rows = t.screen()
        check(not any("not delivered" in r or "slow down" in r
                      for r in rows), "nothing refused:\n" + t.dump())
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        bob.close()
    srv.stop()


run(main)
