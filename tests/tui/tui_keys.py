"""Editing keys in the real terminal: Tab completes a name from the
user list (in any case: "BO" gives "bobby") and a /command, Up/Down
walk the history, Ctrl-A/E/U/K/W/Y, Alt+key types nothing, and the
1000-byte limit: a counter near it, an insert past it refused
with a notice, the line never silently cut (the next Enter sends
nothing, the one after sends what is shown). Ctrl-L redraws everything
(the network process repaints its rows after the keyboard's clear)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run  # noqa


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        bob = Plain(srv.port, "bobby")
        t.wait_text("bobby joined")
        t.type("hi bo")
        t.keys("Tab")
        t.wait_input("hi bobby ")
        t.keys("C-u")
        # Another case completes too, as in IRC clients.
        t.type("hi BO")
        t.keys("Tab")
        t.wait_input("hi bobby ")
        t.keys("C-u")
        t.type("/wh")
        t.keys("Tab")
        t.wait_input("/who ")
        t.keys("C-u")
        t.type("one two three")
        t.keys("C-w")
        t.wait_input("one two ")
        t.keys("C-a", "C-k")
        t.wait_input("")
        t.keys("C-y")
        t.wait_input("one two ")
        t.keys("C-e")
        t.keys("M-b", "M-f")    # Alt+key means nothing: no stray letter
        t.type("end")
        t.keys("Enter")
        bob.wait_line(r"<alice> one two end$")
        t.type("draft")
        t.keys("Up")
        t.wait_input("one two end")
        t.keys("Down")
        t.wait_input("draft")
        t.keys("C-u")

        # The limit: 990 bytes typed, a counter shows; 11 more refused.
        t.type("x" * 990)
        t.wait(lambda rows: rows[-1].endswith("990/1000"), "the counter")
        t.type("y" * 10)
        t.wait(lambda rows: rows[-1].endswith("1000/1000"), "at the limit")
        t.type("z")
        t.wait(lambda rows: "full" in rows[-1], "the refusal notice")
        # The first Enter after a refusal sends nothing and says so.
        t.keys("Enter")
        t.wait(lambda rows: rows[-1].endswith("not sent: 1 byte over"),
               "the cut line held back")
        t.keys("Enter")
        line = bob.wait_line(r"<alice> x{990}y{10}$")
        check("z" not in line, "the refused key was not sent")

        # Ctrl-L: everything comes back.
        before = t.screen()
        t.keys("C-l")
        t.wait(lambda rows: rows == before, "the same screen after Ctrl-L")
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        bob.close()
    srv.stop()


run(main)
