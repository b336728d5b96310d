"""Default-ignorable characters typed or pasted into the input row are
drawn there as U+FFFD, as the chat view draws them, before Enter: the
user sees what will be sent (and may delete it), the text sent is what
was typed.

- typed "pay<U+200B>pal": the row shows "pay\ufffdpal", the cursor one
  column after the U+FFFD's; Left steps onto it, Delete removes it;
- pasted (bracketed) "x<U+FEFF>y<U+2060>z" shows "x\ufffdy\ufffdz", and
  Enter sends the three letters with the two invisible characters
  between them, as the peer's raw socket receives them.

Before, the row showed "paypal" and "xyz": nothing told the user."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Server, Tui, check, log, run  # noqa
from chattest import Client  # noqa  (tuitest put tests/lib on the path)

R = "\ufffd"


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        bob = Client(srv.port)
        bob.login("bob")
        t.wait_text("bob joined")

        t.type("pay\u200bpal")
        t.wait_input("pay%spal" % R)
        log("input row: %r" % t.input_row())
        check("\u200b" not in t.tmux("capture-pane", "-p"),
              "no raw U+200B on the screen")
        t.keys("Left", "Left", "Left")
        t.wait(lambda rows: t.cursor() == (6, len(rows) - 1),
               "cursor after the U+FFFD")
        t.keys("Left")
        t.wait(lambda rows: t.cursor() == (5, len(rows) - 1),
               "cursor on the U+FFFD")
        t.keys("Delete")
        t.wait(lambda rows: rows[-1] == "> paypal" and
               t.cursor() == (5, len(rows) - 1), "the U+200B deleted")
        t.keys("C-e", "C-u")
        t.wait_input("")

        t.paste("x\ufeffy\u2060z")
        t.wait_input("x%sy%sz" % (R, R))
        t.keys("Enter")
        m = bob.expect("chat", timeout=10.0)
        check(m.get("from") == "alice" and
              m.get("text") == "x\ufeffy\u2060z",
              "sent as typed, invisible characters and all: %r" % m)
        t.wait_text("<alice> x%sy%sz" % (R, R))
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
    srv.stop()


run(main)
