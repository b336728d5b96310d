#!/usr/bin/env python3
"""`chat_server &` from a shell whose terminal has `stty tostop`: the
server runs in a background process group, and its first line on the
terminal (listening on ...) must not stop it with SIGTTOU; it serves,
and its log still reaches the terminal. Runs the server under a
pseudo-terminal the test makes, in a job-control shell of its own."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import fcntl
import pty
import termios


def state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def main():
    master, slave = pty.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[3] |= termios.TOSTOP
    termios.tcsetattr(slave, termios.TCSANOW, attrs)

    def own_terminal():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    port = free_port()
    # set -m: the job gets a process group of its own, not the
    # terminal's foreground one, as in an interactive shell.
    sh = subprocess.Popen(
        ["sh", "-c", 'set -m; "$@" & echo $!; wait', "sh", SERVER_BIN,
         "-b", "127.0.0.1", "-p", str(port)],
        stdin=slave, stdout=subprocess.PIPE, stderr=slave,
        preexec_fn=own_terminal)
    pid = int(sh.stdout.readline())
    try:
        check(os.getpgid(pid) != os.tcgetpgrp(master),
              "the server is in the background")
        a = Client(port)
        a.name = "alice"

        def answered():
            check(state(pid) not in ("T", "t", "gone", "Z"),
                  "the server is stopped or gone (state %s): SIGTTOU on "
                  "its first write to the terminal?" % state(pid))
            a.send_login(a.login_obj("alice"))
            a.pump(0.2)
            for c in a.received("cookie"):
                a.cookie = c["cookie"]
            a.drop("cookie")
            return a.received("welcome")
        wait_until(answered, 10.0, "the background server to answer")
        out = b""
        while b"join alice" not in out:
            r, _, _ = select.select([master], [], [], 5.0)
            check(r, "the log reaches the terminal: %r" % out)
            out += os.read(master, 4096)
        check(b"listening on" in out, "the first line too: %r" % out)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        sh.wait(10)
        os.close(master)
        os.close(slave)


run(main)
