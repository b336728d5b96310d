"""Editing by whole characters in the real terminal: Backspace removes a
Chinese character at once, Left moves over one, and the cursor column
counts CJK as two columns."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run  # noqa


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        t.wait_text("bob joined")
        t.type("ab你好")
        t.wait_input("ab你好")
        check(t.cursor() == (8, 23), "cursor after 2 + 2 + 4 columns")
        t.keys("BSpace")
        t.wait_input("ab你")
        t.keys("Left")
        t.wait(lambda rows: t.cursor() == (4, 23), "cursor before 你")
        t.type("x")
        t.wait(lambda rows: rows[-1] == "> abx你" and t.cursor() == (5, 23),
               "x inserted before 你")
        t.keys("End", "BSpace", "BSpace")
        t.wait_input("ab")
        t.type("中文")
        t.keys("Enter")
        bob.wait_line(r"<alice> ab中文$")
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        bob.close()
    srv.stop()


run(main)
