#!/usr/bin/env python3
"""With --password-file the first line is the password: missing or wrong
gets bad_password, the right one a welcome. Without it a password is ignored."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import tempfile


def main():
    os.makedirs(os.path.join(BUILD, "test-logs"), exist_ok=True)
    fd, path = tempfile.mkstemp(prefix="pw-", dir=os.path.join(BUILD, "test-logs"))
    try:
        os.write(fd, "s3cret-密码\nsecond-line\n".encode())
        os.close(fd)
        srv = Server("--password-file", path)
        for what, extra in (("no password", {}),
                            ("wrong password", {"password": "s3cret"}),
                            ("second line", {"password": "second-line"}),
                            ("with newline", {"password": "s3cret-密码\n"}),
                            ("empty", {"password": ""})):
            c = Client(srv.port)
            c.name = what
            c.login_error("mallory", "bad_password", **extra)
            c.close()
        a = Client(srv.port)
        w = a.login("alice", password="s3cret-密码")
        check(w.get("users") == ["alice"],
              "the right password gets a welcome, and the refused logins "
              "made no session: %r" % public(w))
        srv.stop()
    finally:
        os.unlink(path)

    srv = Server()
    a = Client(srv.port)
    w = a.login("alice", password="anything")
    check(w.get("name") == "alice",
          "without --password-file a password field is ignored")
    srv.stop()


run(main)
