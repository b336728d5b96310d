"""Ctrl-Z suspends the full-screen client like any terminal program,
run from a job-control shell (bash in the tmux pane): the shell's
prompt and "Stopped" come back; only the keyboard process stops, the
network process keeps the session alive (its pings go on past three
heartbeats, nobody sees "alice left") and acks what arrives without
drawing it; fg repaints the whole screen with the lines that came
meanwhile and the draft being typed, and the keys work again. A
SIGTSTP from outside (kill -TSTP) does the same; after kill -STOP of
the whole job, fg gives back raw mode and the screen. Started with no
job-control shell (the pane runs it under sh -c), Ctrl-Z cannot stop
it: it says so and carries on."""

import os
import re
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import (PROMPT, Plain, Server, ShellTui, Tui, check,  # noqa
                     proc_state, run, stopped_shell, wait_until)


class Trace:
    """The server's --trace, read for what alice's address sent."""

    def __init__(self, srv):
        self.srv = srv
        m = wait_until(lambda: re.search(r"join alice from (\S+)",
                                         srv.stderr()), 10, "alice's join")
        self.addr = m.group(1)

    def pings(self):
        return len(re.findall(r" in +%s \S.* bytes: ping " %
                              re.escape(self.addr), self.srv.stderr()))

    def acked(self, text):
        """alice acked the chat holding text."""
        err = self.srv.stderr()
        m = re.search(r"out %s .* bytes: .*(\{\"type\":\"chat\".*%s.*)" %
                      (re.escape(self.addr), re.escape(text)), err)
        if m is None:
            return False
        seq = re.search(r"\"seq\":(\d+)", m.group(1)).group(1)
        return re.search(r"in +%s .* bytes: ack of seq %s\b" %
                         (re.escape(self.addr), seq), err) is not None


def main():
    srv = Server("--trace", "--heartbeat", "1")
    with ShellTui(srv.port, "alice") as t:
        t.ready("alice")
        tr = Trace(srv)
        bob = Plain(srv.port, "bob")
        t.wait_text("bob joined")
        t.type("draft")
        t.wait_input("draft")
        kbd, net = t.roles()

        t.keys("C-z")
        t.wait(stopped_shell, "the shell's prompt and 'Stopped'")
        wait_until(lambda: proc_state(kbd) == "T", 5, "the keyboard process stops")
        check(proc_state(net) != "T", "the network process runs on")
        pings = tr.pings()
        bob.say("away line 1")
        bob.say("away line 2")
        wait_until(lambda: tr.acked("away line 2"), 10,
                   "alice's network process acks what arrives")
        # Three silent heartbeats would expire the session: four pings.
        wait_until(lambda: tr.pings() >= pings + 4, 15,
                   "pings while suspended")
        rows = t.screen()
        check(not any("away line" in r for r in rows),
              "nothing drawn over the shell:\n" + t.dump())
        check(stopped_shell(rows), "the shell still shows:\n" + t.dump())
        check(not any("alice left" in l for l in bob.lines),
              "the session stayed alive")

        t.type("fg")
        t.keys("Enter")
        t.wait(lambda rows: "alice" in rows[0] and "connected" in rows[0]
               and any("<bob> away line 1" in r for r in rows)
               and any("<bob> away line 2" in r for r in rows)
               and any("bob joined" in r for r in rows),
               "everything repainted with the lines that came meanwhile")
        t.wait_input("draft")
        check(not any(PROMPT in r for r in t.screen()),
              "the shell is gone from the screen:\n" + t.dump())
        t.type(" done")
        t.keys("Enter")
        bob.wait_line(r"<alice> draft done$")
        t.wait(lambda rows: any("<alice> draft done" in r for r in rows),
               "our own line")
        t.keys("Up")            # keypad keys after the resume
        t.wait_input("draft done")
        t.keys("C-u")
        t.wait_input("")

        # A stop asked from outside: the same, and fg again.
        os.kill(kbd, signal.SIGTSTP)
        t.wait(stopped_shell, "'Stopped' after kill -TSTP")
        check(proc_state(net) != "T", "the network process runs on")
        bob.say("away line 3")
        wait_until(lambda: tr.acked("away line 3"), 10, "acked")
        t.type("fg")
        t.keys("Enter")
        t.wait(lambda rows: any("<bob> away line 3" in r for r in rows)
               and "connected" in rows[0], "repainted again")
        t.wait_input("")

        # SIGSTOP to the whole job cannot be caught: both stop, and the
        # shell leaves the terminal in its own modes. On fg the client
        # takes its modes back and repaints (SIGCONT).
        os.killpg(os.getpgid(kbd), signal.SIGSTOP)
        t.wait(stopped_shell, "'Stopped' after kill -STOP")
        t.type("fg")
        t.keys("Enter")
        t.wait(lambda rows: any("<bob> away line 3" in r for r in rows)
               and "connected" in rows[0], "repainted after SIGSTOP")
        t.wait_input("")
        t.type("rw")            # no echo of our own: the input row only
        t.wait_input("rw")
        t.keys("Left")          # keypad keys too
        t.type("a")
        t.wait(lambda rows: rows[-1] == "> raw" and t.cursor() == (4, 23),
               "'a' inserted before the 'w'")
        t.keys("C-e", "C-u")
        t.wait_input("")

        t.keys("C-d")
        t.wait(lambda rows: [r for r in rows if r][-1] == PROMPT,
               "the shell's prompt once the client has quit")
        wait_until(lambda: not t.client_pids(), 5, "the client exits")
        t.check_clean()
        bob.close()

    with Tui(srv.port, "carl") as t:
        t.ready("carl")
        t.type("x")
        t.keys("C-z")
        t.wait(lambda rows: rows[-1].startswith("> x") and
               rows[-1].endswith("no job control: not stopped"),
               "the client carries on and says why")
        t.type("y")
        t.wait_input("xy")
        t.keys("C-c")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
    srv.stop()


run(main)
