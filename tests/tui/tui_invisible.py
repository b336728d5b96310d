"""Default-ignorable characters in a chat line are drawn, not hidden:
a text from a peer holding U+200B (zero width space), U+FEFF (BOM) and
U+2060 (word joiner) shows each as U+FFFD in the full-screen client and
in the plain one, so what is read is what was sent; and a name holding
one is refused before anybody sees it."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, log, run  # noqa
from chattest import Client  # noqa  (tuitest put tests/lib on the path)

R = "\ufffd"


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        carol = Plain(srv.port, "carol")
        t.wait_text("carol joined")
        imp = Client(srv.port)
        imp.login_error("bob\u200b", "bad_name")
        bob = Client(srv.port)
        bob.login("bob")
        t.wait_text("bob joined")
        bob.chat("pay\u200bpal \ufeffsecret\u2060word end")
        t.wait_text("word end")
        log("screen:\n" + t.dump())
        row = next(r for r in t.screen() if "<bob> pay" in r)
        check(("<bob> pay%spal %ssecret%sword end" % (R, R, R)) in row,
              "each invisible character drawn as U+FFFD: %r" % row)
        for inv in ("\u200b", "\ufeff", "\u2060"):
            check(inv not in t.tmux("capture-pane", "-p"),
                  "no raw %r on the screen" % inv)
        carol.wait_line(r"<bob> pay%spal %ssecret%sword end$" % (R, R, R))
        check(not any("bob\u200b" in r or "bob" + R in r
                      for r in t.screen()), "the impostor never joined")
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        carol.close()
    srv.stop()


run(main)
