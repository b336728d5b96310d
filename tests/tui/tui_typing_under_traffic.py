"""Half a line typed, then 50 lines arrive: the input line still shows
exactly what was typed with the terminal cursor right after it, and
Enter sends exactly that text. This is the two-process terminal lock
and the cursor hand-back: if the network process drew without putting
the cursor back, or its updates touched the input row, this fails."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Senders, Server, Tui, check, log, run  # noqa


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        t.wait_text("bob joined")
        typed = "half a line 你好 "
        t.type(typed)
        t.wait_input(typed)
        # Three raw sessions share the 50 lines: the server allows one
        # sender a burst of 20 chats only.
        senders = Senders(srv.port, ["tx1", "tx2", "tx3"])
        for i in range(50):
            senders.chat(i, "traffic line %02d from bob" % i)
        t.wait_text("traffic line 49 from")
        t.wait_input(typed)
        rows = t.screen()
        check(rows[-2].endswith("traffic line 49 from bob"),
              "newest line just above the input:\n" + t.dump())
        check(not any("traffic" in r for r in rows[:1] + rows[-1:]),
              "traffic never lands on the status bar or input row")
        log("after 50 lines:\n" + t.dump())
        # Keep typing: the line continues where the cursor was.
        t.type("end")
        t.wait_input(typed + "end")
        t.keys("Enter")
        bob.wait_line(r"<alice> half a line 你好 end$")
        t.wait_input("")
        t.wait_text("<alice> half a line 你好 end")
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        bob.close()
        senders.close()
    srv.stop()


run(main)
