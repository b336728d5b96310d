"""Tab completion cycles, as in irssi: a first Tab on a word several
names start with adds their common prefix and says how many match;
each further Tab shows the next name in case-insensitive order (a
name that starts the line is addressed, "bob: "), wrapping round;
Shift-Tab goes back; any other key ends the cycle and the next Tab
completes the word then before the cursor."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run, wait_until  # noqa


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        others = [Plain(srv.port, n) for n in ("bobby", "bob", "carol")]
        t.wait(lambda rows: "4 online" in rows[0], "four users online")

        # Our own name is not offered: Tab finds nothing and beeps. The
        # x goes once it has (a Tab read with a key behind it is a paste).
        t.type("al")
        t.wait_input("al")
        check(not t.bell(), "no bell yet")
        t.keys("Tab")
        wait_until(t.bell, 10, "the bell of a Tab with nothing to add")
        t.type("x")
        t.wait_input("alx")
        t.keys("C-u")
        t.wait_input("")

        # At the start of the line: the prefix first, then the names.
        t.type("bo")
        t.keys("Tab")
        t.wait(lambda rows: rows[-1].startswith("> bob ") and
               rows[-1].endswith("2 matches, Tab cycles"),
               "the common prefix and the count")
        t.keys("Tab")
        t.wait_input("bob: ")
        t.keys("Tab")
        t.wait_input("bobby: ")
        t.keys("Tab")
        t.wait_input("bob: ")
        t.keys("BTab")
        t.wait_input("bobby: ")
        # Typing ends the cycle: the next Tab completes the new word.
        t.type("hi c")
        t.keys("Tab")
        t.wait_input("bobby: hi carol ")
        t.keys("Tab")
        t.wait_read()
        t.wait_input("bobby: hi carol ")    # the only match stays
        t.type("and b")
        t.keys("Tab")
        t.wait(lambda rows: rows[-1].startswith("> bobby: hi carol and bob "),
               "the prefix mid-line")
        t.keys("BTab")
        t.wait_input("bobby: hi carol and bobby ")
        t.keys("BTab")
        t.wait_input("bobby: hi carol and bob ")
        t.type("too")
        t.keys("Enter")
        others[1].wait_line(r"<alice> bobby: hi carol and bob too$")
        t.wait_input("")
        t.keys("C-c")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        for p in others:
            p.close()
    srv.stop()


run(main)
