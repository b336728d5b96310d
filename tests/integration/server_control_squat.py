#!/usr/bin/env python3
"""Another local user cannot take the control socket's name before the
server starts. It lives in a directory only the server's user may write
(here, with no $XDG_RUNTIME_DIR or /run/user/UID, ${TMPDIR}/chat_server-UID,
made mode 0700), and --who finds it without being told, even without -p
when one server runs. A squatter's directory in its place (another
user's, or one anybody may write) is not used: the server says so and
what to do, and so does --who. The socket goes with the server, also
when it started as root and became nobody (a child that stayed root
removes it, and only it: a socket put in its place stays)."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import shutil
import socket
import stat
import tempfile

NOBODY = 65534


def stat_fields(pid):
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()


def children(pid):
    out = []
    for p in os.listdir("/proc"):
        try:
            if p.isdigit() and int(stat_fields(int(p))[1]) == pid:
                out.append(int(p))
        except (OSError, IndexError):
            continue
    return out


def comm(pid):
    with open("/proc/%d/comm" % pid) as f:
        return f.read().strip()


def gone(pid):
    try:
        return stat_fields(pid)[0] in ("Z", "X")
    except OSError:
        return True


def main():
    os.environ.pop("XDG_RUNTIME_DIR", None)
    if os.path.isdir("/run/user/%d" % os.geteuid()):
        skip("/run/user/UID exists: the fallback is not used here")
    tmp = tempfile.mkdtemp()
    os.environ["TMPDIR"] = tmp
    d = os.path.join(tmp, "chat_server-%d" % os.geteuid())

    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    st = os.lstat(d)
    check(stat.S_ISDIR(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o700 and
          st.st_uid == os.geteuid(), "a private directory: %o" % st.st_mode)
    check(os.path.exists(control_path(srv.port)), "the socket is in it")
    for args in (["-p", str(srv.port), "--who"], ["--who"]):
        rc, out, err = run_server_cmd(args)
        check(rc == 0 and "alice" in out, "%s finds the server: %d %r" %
              (args, rc, out + err))
    srv.stop()
    # Started as root, the server runs as nobody, who cannot remove the
    # socket from root's private directory: a child that stayed root
    # does, just after the server's exit.
    wait_until(lambda: not os.path.lexists(control_path(srv.port)), 5.0,
               "the socket to go with the server")
    if os.geteuid() == 0:
        # The remover removes only the socket its server made: one put
        # in its place (by a server started since) stays.
        srv = Server()
        path = control_path(srv.port)
        os.rename(path, path + ".old")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.bind(path)
        s.close()
        rm = children(srv.proc.pid)
        check(len(rm) == 1 and comm(rm[0]) == "chat_server-rm",
              "one child, the remover: %r" % [comm(p) for p in rm])
        srv.stop()
        wait_until(lambda: gone(rm[0]), 5.0, "the remover to end")
        check(os.path.lexists(path), "a socket that replaced it stays")
        os.unlink(path)
        os.unlink(path + ".old")

    # A squatter made the directory first: nobody's, or open to all.
    shutil.rmtree(d)
    os.mkdir(d)
    os.chmod(d, 0o777)
    if os.geteuid() == 0:
        os.chown(d, NOBODY, NOBODY)
    srv = Server()
    err = wait_until(lambda: "no control socket" in srv.stderr() and
                     srv.stderr(), 5.0, "the server to say why")
    log(err)
    check(d in err and "another user could take" in err and "remove it" in
          err, "the server names the directory and what to do: %r" % err)
    check(os.listdir(d) == [], "nothing was put in the squatted directory")
    rc, out, err = run_server_cmd(["-p", str(srv.port), "--who"])
    check(rc != 0 and d in err and "remove it" in err,
          "--who explains it too: %d %r" % (rc, err))
    a = Client(srv.port)
    a.login("alice")   # the room itself runs on
    srv.stop()
    shutil.rmtree(tmp)


run(main)
