"""If the network process dies, the keyboard process restores the
terminal (the chat screen is gone, the shell is usable) and says why."""

import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Server, Tui, check, run, wait_until  # noqa


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        t.type("half typed")
        t.wait_input("half typed")
        os.kill(t.roles()[1], signal.SIGKILL)
        t.wait_text("CLIENT-EXITED")
        check(not any("#lobby" in r or r.startswith("> half") for r in
                      t.screen()), "the chat screen is gone:\n" + t.dump())
        check("network process has ended" in t.stderr(),
              "the reason is given: %r" % t.stderr())
        wait_until(lambda: not t.client_pids(), 5.0, "no chat_client left")
        # Cooked mode is back: Enter runs the command (raw mode would not).
        t.type("echo SHELL-$((40+2))")
        t.keys("Enter")
        t.wait_text("SHELL-42")
        t.check_clean()
    srv.stop()


run(main)
