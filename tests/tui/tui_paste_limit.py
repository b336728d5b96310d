"""A pasted 1500-byte line (the paste ends with its own newline) is not
sent cut to 1000 bytes: the first Enter sends nothing and says how many
bytes did not fit; only another Enter sends what the line shows. And
"/nick two words" is refused with the reason, never cut to "two", and
"/nick" to one's own name is answered locally (no rename is sent)."""

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

        t.paste("x" * 1500 + "\n", marked=False)  # "\n": Enter
        t.wait(lambda rows: rows[-1].endswith("not sent: 500 bytes over"),
               "the notice that nothing was sent")
        t.keys("C-u")
        t.type("marker")
        t.keys("Enter")
        bob.wait_line(r"<alice> marker$")
        check(not any("<alice> x" in l for l in bob.lines),
              "the cut paste was not sent:\n" + "\n".join(bob.lines))

        # Seen and confirmed: a second Enter sends the first 1000 bytes.
        t.paste("y" * 1200 + "\n", marked=False)
        t.wait(lambda rows: rows[-1].endswith("not sent: 200 bytes over"),
               "the notice for the second paste")
        t.keys("Enter")
        bob.wait_line(r"<alice> y{1000}$")
        t.wait_input("")

        t.type("/nick bad name")
        t.keys("Enter")
        t.wait_text("'bad name' is not a valid name")
        t.type("/nick alice")
        t.keys("Enter")
        t.wait_text("you are already alice")
        t.type("hello")
        t.keys("Enter")
        bob.wait_line(r"<alice> hello$")
        check(not any("is now" in l for l in bob.lines),
              "no rename happened:\n" + "\n".join(bob.lines))
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        bob.close()
    srv.stop()


run(main)
