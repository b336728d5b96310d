#!/usr/bin/env python3
"""chat_server --config FILE: the file's keys are the long options.

- A file's port, bind, room and heartbeat are what the server listens on
  and what its welcome says.
- The command line wins over the file, whichever comes first.
- A bad line is refused before anything starts (exit 2), in one line
  naming the file, the line and the key; so is an unknown key, a key
  that runs a command on a running server, and a missing file.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import (SERVER_BIN, Client, Server, check, free_port,  # noqa
                      log, run, run_server_cmd, wait_until)


def write(d, name, text):
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def from_file(d):
    port = free_port()
    conf = write(d, "server.conf",
                 "# lab 2\n\nbind = 127.0.0.1\nport = %d\n"
                 "room = physics\nheartbeat = 7\nquiet = no\n" % port)
    errpath = os.path.join(d, "err")
    with open(errpath, "w+") as errf:
        p = subprocess.Popen([SERVER_BIN, "--config", conf],
                             stdin=subprocess.DEVNULL, stderr=errf)
        try:
            line = wait_until(lambda: re.search(
                r"listening on .*\n", open(errpath).read()) or
                (p.poll() is not None and
                 check(False, "server exited: " + open(errpath).read())),
                5, "the listening line").group(0)
            log(line.strip())
            check("listening on 127.0.0.1 %d (room physics, heartbeat 7s)"
                  % port in line, "the file's bind, port, room, heartbeat: %r"
                  % line)
            c = Client(port)
            w = c.login("alice")
            check(w["room"] == "physics" and w["heartbeat"] == 7,
                  "the welcome carries the file's room and heartbeat: %r" % w)
        finally:
            p.terminate()
            check(p.wait(10) == 0, "exit 0 on SIGTERM")


def command_line_wins(d):
    conf = write(d, "wins.conf", "room = physics\nheartbeat = 7\n"
                 "port = %d\n" % free_port())
    # Server() puts -b 127.0.0.1 -p 0 before these, --config after them.
    srv = Server("--room", "cli", "--config", conf, "--heartbeat", "9")
    line = srv.stderr().splitlines()[0]
    check("(room cli, heartbeat 9s)" in line,
          "the command line's room and heartbeat: %r" % line)
    w = Client(srv.port).login("bob")
    check(w["room"] == "cli" and w["heartbeat"] == 9,
          "the welcome says so too: %r" % w)
    srv.stop()


def refused(d, text, want):
    conf = write(d, "bad.conf", text)
    rc, out, err = run_server_cmd(["--config", conf, "-p", "0"])
    lines = [x for x in (out + err).splitlines() if x.strip()]
    log("%r -> %d %r" % (text, rc, lines))
    check(rc == 2, "exit 2 for %r, got %d" % (text, rc))
    check(len(lines) == 1 and
          lines[0].startswith("chat_server: %s:%s" % (conf, want)),
          "one line naming %s:%s, got %r" % (conf, want, lines))


def main():
    with tempfile.TemporaryDirectory() as d:
        from_file(d)
        command_line_wins(d)
        refused(d, "room = lab\n\nheartbeat = abc\n",
                "3: bad --heartbeat 'abc'")
        refused(d, "# x\nprot = 1\n", "2: unknown key 'prot'")
        refused(d, "port 8888\n", "1: key 'port' needs '= value'")
        refused(d, "trace = maybe\n", "1: unknown trace kind 'maybe'")
        refused(d, "no-rate-limit = maybe\n",
                "1: key 'no-rate-limit' takes yes or no")
        refused(d, "kick = alice\n", "1: key 'kick' cannot be set in a file")
        refused(d, "room = a b\n", "1: bad --room 'a b'")
        rc, out, err = run_server_cmd(["--config", os.path.join(d, "none")])
        check(rc == 2 and "cannot read %s/none: No such file" % d in err,
              "a missing file is refused: %d %r" % (rc, err))


run(main)
