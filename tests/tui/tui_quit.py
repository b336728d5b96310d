"""Leaving restores the terminal: /quit, Ctrl-C, Ctrl-D, SIGTERM and
SIGHUP each end the client with status 0, the pane shows the shell's own screen again (the
chat screen is gone: curses left the alternate screen) and no
chat_client process is left behind. Other users see us leave."""

import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run, wait_until  # noqa


def leave(srv, bob, name, keys):
    with Tui(srv.port, name) as t:
        t.ready(name)
        bob.wait_line(r"-- %s joined" % name)
        check(t.client_pids(), "the client runs (two processes)")
        for k in keys:
            if isinstance(k, int):
                os.kill(t.roles()[0], k)
            elif k.startswith("/"):
                t.type(k)
            else:
                t.keys(k)
        t.wait_text("CLIENT-EXITED 0")
        rows = t.screen()
        check(not any("#lobby" in r or r.startswith(">") for r in rows),
              "the chat screen is gone after %r:\n%s" % (keys, t.dump()))
        wait_until(lambda: not t.client_pids(), 5.0, "no chat_client left")
        bob.wait_line(r"-- %s left \(quit\)" % name)
        # Cooked mode is back: Enter runs the command (raw mode would not).
        t.type("echo SHELL-$((40+2))")
        t.keys("Enter")
        t.wait_text("SHELL-42")
        check("network process has ended" not in t.stderr(),
              "no error when the user leaves")
        t.check_clean()


def main():
    srv = Server()
    bob = Plain(srv.port, "bob")
    leave(srv, bob, "q1", ["/quit", "Enter"])
    leave(srv, bob, "q2", ["C-c"])
    leave(srv, bob, "q3", ["C-d"])
    leave(srv, bob, "q4", [signal.SIGTERM])
    leave(srv, bob, "q5", [signal.SIGHUP])
    bob.close()
    srv.stop()


run(main)
