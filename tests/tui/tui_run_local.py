"""Two make runs as the same user (scripts/run-local, on a private port
given with CHAT_PORT). The second finds the server of the first and
joins it; the name is taken, so its client asks for another one (at a
terminal a refused -n name is asked for again) instead of exiting
with "that name is taken". A run-local that joined never stops the
server: the second quitting leaves the first connected. The first
quitting while the second is still in the room leaves the server
running for it, says so, and the server stops once the room is
empty. Before, the second failed on the taken name, and the first
took the server down with it whoever still used it."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import (BUILD, PROMPT, ShellTui, check, run,  # noqa
                     wait_until)
import chattest
from chattest import free_port

TOP = chattest.TOP


def alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    with open("/proc/%d/comm" % pid) as f:
        return f.read().strip() == "chat_server"


def server_pids(port):
    """chat_server processes on port (from their command lines), not the
    child that removes the control socket of one started as root (its
    command line is the server's; its name is chat_server-rm)."""
    pids = []
    for p in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % p, "rb") as f:
                argv = f.read().split(b"\0")
            with open("/proc/%s/comm" % p) as f:
                comm = f.read().strip()
        except OSError:
            continue
        if argv[0].endswith(b"/chat_server") and comm == "chat_server" \
                and str(port).encode() in argv:
            pids.append(int(p))
    return pids


def back_at_prompt(rows):
    shown = [r for r in rows if r]
    return bool(shown) and shown[-1] == PROMPT


def main():
    port = free_port()
    try:
        scenario(port)
    finally:
        # A failed run may leave the server (or its watcher) behind.
        for pid in server_pids(port):
            os.kill(pid, 9)
        log = os.path.join(BUILD, "chat_server-%d.log" % port)
        if os.path.exists(log):
            os.unlink(log)


def scenario(port):
    cmd = ("CHAT_PORT=%d USER=tester %s/scripts/run-local %s" %
           (port, TOP, BUILD))
    a = ShellTui(port, "tester", wrap=lambda _: cmd)
    a.ready("tester")
    servers = server_pids(port)
    check(len(servers) == 1, "the first run-local started a server: %r"
          % servers)
    server = servers[0]

    b = ShellTui(port, "tester", wrap=lambda _: cmd)
    b.wait_text("joining it")
    b.wait_text("name:")
    check(any("taken" in r for r in b.screen()),
          "says the name is taken:\n" + b.dump())
    b.type("tester2")
    b.keys("Enter")
    b.ready("tester2")
    a.wait_text("tester2 joined")

    # The one that joined quits: the server stays.
    b.type("/quit")
    b.keys("Enter")
    b.wait(back_at_prompt, "the second run-local's shell prompt")
    a.wait_text("tester2 left")
    check(alive(server), "the second run-local left the server alone")
    a.type("/who")
    a.keys("Enter")
    a.wait_text("-- users: tester")

    # It comes back; then the first quits while it is still there.
    b.type(cmd)
    b.keys("Enter")
    b.wait(lambda rows: [r for r in rows if r][-1] == "name:", "asked again")
    b.type("tester2")
    b.keys("Enter")
    b.ready("tester2")
    a.type("/quit")
    a.keys("Enter")
    a.wait(back_at_prompt, "the first run-local's shell prompt")
    a.wait_text("1 other user(s) still on chat_server (pid %d)" % server)
    check(alive(server), "the server still runs for tester2")
    b.wait_text("tester left")
    b.type("/who")
    b.keys("Enter")
    b.wait(lambda rows: any(r.endswith("-- users: tester2") for r in rows),
           "the server answers /who")

    # The room empties: the server the first one started stops.
    b.type("/quit")
    b.keys("Enter")
    b.wait(back_at_prompt, "the second run-local's shell prompt")
    wait_until(lambda: not alive(server), 10, "the server to stop")
    a.kill()
    b.kill()


run(main)
