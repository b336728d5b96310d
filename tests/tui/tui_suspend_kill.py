"""A suspended client ended from the shell (kill %1: SIGTERM, then
SIGCONT, to a job in the background) quits: the room sees it leave
(quit), both processes end with status 0 ("Done"), and the terminal is
left to the shell. So does one stopped with kill -STOP of the whole
job, which never gave the terminal back itself, and one put in the
background with bg, where it waits to be the foreground job. Before, the keyboard process woke up to take the
terminal back, was stopped again on SIGTTOU ("Stopped (tty output)")
and stayed so with its quit never made."""

import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import (Plain, Server, ShellTui, check,  # noqa
                     proc_state, run, stopped_shell, wait_until)


def scenario(srv, bob, name, stop):
    with ShellTui(srv.port, name) as t:
        t.ready(name)
        kbd, net = t.roles()
        stop(t, kbd)
        t.wait(stopped_shell, "the shell's prompt and 'Stopped'")
        t.type("kill %1")
        t.keys("Enter")
        bob.wait_line(r"-- %s left \(quit\)$" % name)
        wait_until(lambda: not t.client_pids(), 5,
                   "both client processes to end")
        t.type("jobs -l; echo JOBS-LISTED")
        t.keys("Enter")
        t.wait(lambda rows: any(r.startswith("JOBS-LISTED") for r in rows),
               "the shell answers")
        rows = t.screen()
        check(any("Done" in r for r in rows) and
              not any("tty output" in r for r in rows),
              "the job is done, not stopped again:\n" + t.dump())
        t.check_clean()


def ctrl_z(t, kbd):
    t.keys("C-z")


def ctrl_z_bg(t, kbd):
    """Ctrl-Z, then bg: without the terminal the keyboard process stops
    again, waiting to be the foreground job (Stopped (tty output))."""
    t.keys("C-z")
    t.wait(stopped_shell, "the shell's prompt and 'Stopped'")
    wait_until(lambda: proc_state(kbd) == "T", 5, "the keyboard process stops")
    t.type("bg")
    t.keys("Enter")
    t.wait(lambda rows: any(r.endswith("&") for r in rows), "bg's answer")
    wait_until(lambda: proc_state(kbd) == "T", 5, "stopped again in the background")


def stop_job(t, kbd):
    """kill -STOP of the whole job: the shell takes the terminal back in
    its own modes, and the client never ran endwin."""
    os.killpg(os.getpgid(kbd), signal.SIGSTOP)


def main():
    srv = Server()
    bob = Plain(srv.port, "bob")
    scenario(srv, bob, "alice", ctrl_z)
    scenario(srv, bob, "carol", stop_job)
    scenario(srv, bob, "dave", ctrl_z_bg)
    bob.close()
    srv.stop()


run(main)
