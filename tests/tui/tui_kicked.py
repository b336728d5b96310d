"""Kicked by the operator, the full-screen client restores the terminal
and says why after it: "chat_client: you were removed by the operator",
exit status 1 (the message window that also said it is gone by then)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Server, Tui, check, run, wait_until  # noqa


def main():
    srv = Server(stdin=True)
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        t.type("half typed")
        t.wait_input("half typed")
        srv.announce("/kick alice")
        t.wait_text("CLIENT-EXITED 1")
        check(not any("#lobby" in r for r in t.screen()),
              "the chat screen is gone:\n" + t.dump())
        check("chat_client: you were removed by the operator" in t.stderr(),
              "the reason is given after the terminal is back: %r" %
              t.stderr())
        check("network process has ended" not in t.stderr(),
              "only the real reason is given: %r" % t.stderr())
        wait_until(lambda: not t.client_pids(), 5.0, "no chat_client left")
        t.check_clean()
    srv.stop()


run(main)
