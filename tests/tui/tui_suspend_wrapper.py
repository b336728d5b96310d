"""Ctrl-Z in a client started by a wrapper (make run runs the client
from scripts/run-local; here sh -c 'chat_client ...; echo ...' typed
into a job-control shell): the whole job stops, the wrapper too, so
the shell's prompt comes back and fg resumes the client, which
repaints. Before, the client stopped only itself: the wrapper kept the
job in the foreground, no prompt came and fg was only echoed.
Meanwhile the network process, in the same process group, does not
stop: the session outlives three heartbeats and what arrives is acked
and shown after fg."""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import (PROMPT, Plain, Server, ShellTui, check,  # noqa
                     proc_state, run, stopped_shell, wait_until)


def main():
    srv = Server("--heartbeat", "1")
    bob = Plain(srv.port, "bob")

    def wrap(cmd):
        return "sh -c \"%s; echo WRAPPER-DONE\"" % cmd.replace('"', '\\"')
    with ShellTui(srv.port, "alice", wrap=wrap) as t:
        t.ready("alice")
        kbd, net = t.roles()
        t.type("draft")
        t.wait_input("draft")
        t.keys("C-z")
        t.wait(stopped_shell, "the shell's prompt and 'Stopped'")
        wait_until(lambda: proc_state(kbd) == "T", 5,
                   "the keyboard process stops")
        wrapper = int(open("/proc/%d/stat" % kbd).read()
                      .rsplit(")", 1)[1].split()[1])
        wait_until(lambda: proc_state(wrapper) == "T", 5,
                   "the wrapper stops too")
        bob.say("while away")
        # Three silent heartbeats (3 s) would expire the session.
        end = time.monotonic() + 4.0
        while time.monotonic() < end:
            check(proc_state(net) != "T", "the network process runs on")
            check(not any("alice left" in l for l in bob.lines),
                  "the session stayed alive")
            bob._drain()
            time.sleep(0.2)
        t.type("fg")
        t.keys("Enter")
        t.wait(lambda rows: "alice" in rows[0] and "connected" in rows[0]
               and any("<bob> while away" in r for r in rows),
               "repainted with the line that came meanwhile")
        t.wait_input("draft")
        t.keys("C-u")
        t.type("back")
        t.keys("Enter")
        bob.wait_line(r"<alice> back$")
        t.type("/quit")
        t.keys("Enter")
        t.wait_text("WRAPPER-DONE")
        wait_until(lambda: not t.client_pids(), 5, "the client exits")
        check(not any("alice left (timeout)" in l for l in bob.lines),
              "no timeout:\n" + "\n".join(bob.lines))
        t.check_clean()
    bob.close()
    srv.stop()


run(main)
