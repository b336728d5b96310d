#!/usr/bin/env python3
"""--control PATH: the control socket as a file. It is made mode 0600,
--announce and --kick with the same --control reach the server, and it
is removed when the server stops. A socket left behind by a server that
was killed is replaced. Any other file at PATH (a mistake on the command
line) is the user's and is left alone: the server runs on without a
control socket and says why."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import shutil
import stat
import tempfile


def main():
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "ctl")
    if os.geteuid() == 0:
        # Started as root, the server runs as nobody: its directory must
        # let nobody remove the socket at exit (as RuntimeDirectory= does).
        os.chown(tmp, 65534, 65534)

    # A leftover socket (bound, never unlinked, nobody listening).
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.bind(path)
    s.close()
    srv = Server("--control", path)
    check(stat.S_ISSOCK(os.lstat(path).st_mode) and
          stat.S_IMODE(os.lstat(path).st_mode) == 0o600,
          "a socket, mode 0600: %o" % os.lstat(path).st_mode)
    a = Client(srv.port)
    a.login("alice")
    rc, out, err = run_server_cmd(["--control", path, "--announce", "hi"])
    check(rc == 0, "--announce through --control: %d %r" % (rc, err))
    a.expect("announce", text="hi")
    srv.stop()
    # As root, by the server's remover (still root) just after the exit.
    wait_until(lambda: not os.path.lexists(path), 5.0,
               "the socket to be removed at exit")

    # A file that is not a socket: kept as it was.
    for kind in ("file", "link"):
        victim = os.path.join(tmp, "notes.txt")
        with open(victim, "w") as f:
            f.write("precious\n")
        where = victim
        if kind == "link":
            where = os.path.join(tmp, "link")
            os.symlink(victim, where)
        srv = Server("--control", where)
        a = Client(srv.port)
        a.login("alice")
        err = srv.stop()
        check("no control socket" in err and "not a socket" in err,
              "the server says why it has no control socket: %r" % err)
        check(os.path.lexists(where), "the %s is still there" % kind)
        with open(victim) as f:
            check(f.read() == "precious\n", "the file is unchanged")
        if kind == "link":
            check(os.path.islink(where), "the link is still a link")
            os.unlink(where)
        os.unlink(victim)
    shutil.rmtree(tmp)


run(main)
