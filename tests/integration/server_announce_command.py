#!/usr/bin/env python3
"""The operator's local command `chat_server -p PORT --announce TEXT`
reaches every session as announce; another user (nobody, when the test
runs as root) can neither use the command nor talk to the control socket
directly: nothing is announced."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import shutil
import subprocess
import tempfile

NOBODY = 65534
# Connects to the server's control socket as given and sends one
# announcement; prints what the server answers (or the error).
PEER = r"""
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(3)
try:
    s.connect(sys.argv[1])
    s.send(b"spoofed by another user")
    print("answer:", s.recv(100))
except OSError as e:
    print("refused:", e)
"""


def main():
    # Started as root, the server would run as nobody: as daemon, nobody
    # is another user.
    srv = Server(*(["--user", "daemon"] if os.geteuid() == 0 else []))
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    a.expect("join", name="bob")

    rc, out, err = run_server_cmd(["-p", str(srv.port), "--announce",
                                   "from the command 你好"], 10.0)
    check(rc == 0, "--announce exits 0, got %d: %r" % (rc, out + err))
    for c in (a, b):
        m = c.expect("announce")
        check(m.get("text") == "from the command 你好",
              "%s gets the announcement: %r" % (c.name, public(m)))

    if os.geteuid() != 0:
        log("not root: the other-user part is left out")
    else:
        py = shutil.which("python3", path="/usr/bin:/bin")
        if py is None:
            log("no /usr/bin/python3 for the other-user part")
        else:
            name = control_path(srv.port)
            p = subprocess.run([py, "-c", PEER, name], user=NOBODY,
                               group=NOBODY, capture_output=True,
                               timeout=10, cwd="/")
            log("nobody on %s: %s" % (name, (p.stdout + p.stderr).decode()))
            # The build folder may sit where nobody cannot reach it (a
            # private temporary folder): run a copy nobody can execute.
            tmp = tempfile.mkdtemp()
            os.chmod(tmp, 0o755)
            exe = os.path.join(tmp, "chat_server")
            shutil.copy(SERVER_BIN, exe)
            os.chmod(exe, 0o755)
            p = subprocess.run([exe, "-p", str(srv.port), "--control",
                                name, "--announce",
                                "spoofed by another user"],
                               user=NOBODY, group=NOBODY, capture_output=True,
                               timeout=10, cwd="/")
            shutil.rmtree(tmp)
            words = (p.stdout + p.stderr).decode().strip()
            log("nobody with --announce: exit %d %s" % (p.returncode, words))
            check(p.returncode != 0, "--announce as another user fails")
            check("chat_server" in words,
                  "the failure is the server's own words, not an exec "
                  "error: %r" % words)
    a.ping()
    b.ping()
    check(a.received("announce") == [] and b.received("announce") == [],
          "another user announced nothing: %r" %
          [public(m) for m in a.received("announce")])
    srv.stop()


run(main)
