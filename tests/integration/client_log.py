#!/usr/bin/env python3
"""The room's log: $XDG_DATA_HOME/lanchat/logs/SERVER_ROOM.log, made 0600
in folders made 0700, one line per event in plain mode's words after the
date (joins and leaves too, own lines
once the server has them, nothing of an ignored person), appended by
the next run; --no-log, and log = off in client.conf, keep none."""

import os
import re
import select
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import (CLIENT_BIN, TEST_HOME, Server, check, log,  # noqa
                      logged_in, run, wait_until)

DATE = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d "


def client(port, name, *args, env=None):
    p = subprocess.Popen(
        [CLIENT_BIN, "--plain", "-s", "127.0.0.1:%d" % port, "-n", name] +
        list(args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, env=env)
    p.out = b""
    return p


def shown(p, *lines):
    """Waits until the client has printed each of lines (whole lines
    after the time, so not a [history] one). A line arriving after
    stdin closes may never be shown (the client quits), and an own line
    is logged once printed: the test waits for what it checks."""
    rxs = [re.compile(r"^\d\d:\d\d:\d\d %s$" % re.escape(l), re.M)
           for l in lines]
    fd = p.stdout.fileno()

    def all_there():
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            data = os.read(fd, 65536)
            check(data, "the client quit before showing %r:\n%s" %
                  (lines, p.out.decode(errors="replace")))
            p.out += data
        text = p.out.decode(errors="replace")
        return all(rx.search(text) for rx in rxs)
    wait_until(all_there, 20, "the client to show %r" % (lines,),
               interval=0)


def finish(p):
    p.stdin.close()
    out = (p.out + p.stdout.read()).decode(errors="replace")
    err = p.stderr.read().decode(errors="replace")
    check(p.wait(10) == 0, "the client exits 0: %r" % err)
    return out


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def main():
    srv = Server("--room", "lab/2")
    port = srv.port
    path = os.path.join(TEST_HOME, ".local", "share", "lanchat", "logs",
                        "127.0.0.1:%d_lab_2.log" % port)
    (bob,) = logged_in(port, "bob")
    p = client(port, "alice", "--ignore", "mallory")
    bob.expect("join", timeout=8, name="alice")
    (mallory,) = logged_in(port, "mallory")
    bob.chat("hi alice")
    mallory.chat("buy my stuff")
    p.stdin.write(b"/me waves\nmy own words\n")
    p.stdin.flush()
    bob.expect("chat", timeout=8, text="my own words")
    shown(p, "-- mallory joined", "<bob> hi alice", "* alice waves",
          "<alice> my own words")
    out = finish(p)
    log(out)
    text = read(path)
    log(text)
    for want in (r"-- mallory joined", r"<bob> hi alice",
                 r"\* alice waves", r"<alice> my own words"):
        check(re.search("^" + DATE + want + "$", text, re.M),
              "the log has /%s/:\n%s" % (want, text))
    check("buy my stuff" not in text, "the ignored are not logged")
    check("[history]" not in read(path), "no history replays are logged")
    check("connected to" not in text, "our own notes are not logged")
    st = os.stat(path)
    check(stat.S_IMODE(st.st_mode) == 0o600, "the log is 0600: %o" %
          st.st_mode)
    check(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700,
          "its folder is 0700")
    # Appended by the next run; --no-log and log = off add nothing.
    p = client(port, "alice")
    bob.expect("join", timeout=8, name="alice")
    bob.chat("second run")
    wait_until(lambda: "second run" in read(path), 8, "the second run")
    check("[history]" not in read(path), "the replay is not logged again")
    finish(p)
    check(text in read(path), "the first run's lines are kept")
    size = os.path.getsize(path)
    p = client(port, "alice", "--no-log")
    bob.expect("join", timeout=8, name="alice")
    bob.chat("not kept 1")
    shown(p, "<bob> not kept 1")
    finish(p)
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "lanchat"))
        with open(os.path.join(d, "lanchat", "client.conf"), "w") as f:
            f.write("log = off\n")
        p = client(port, "alice", env=dict(os.environ, XDG_CONFIG_HOME=d))
        bob.expect("join", timeout=8, name="alice")
        bob.chat("not kept 2")
        shown(p, "<bob> not kept 2")
        out = finish(p)
        check("<bob> not kept 2" in out, "shown all the same: %r" % out)
    check(os.path.getsize(path) == size, "nothing logged with the log "
          "off:\n" + read(path)[size:])
    srv.stop()


run(main)
