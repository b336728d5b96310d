#!/usr/bin/env python3
"""With --password-file the first line is the password, and it never
travels: a login proves it with proof, the lowercase hex HMAC-SHA256 of
its cookie keyed with the password. The right proof gets a welcome; a
missing or wrong one (another line of the file, another cookie's proof,
the password itself in the old "password" field) gets bad_password and
the server's log says so with the address. A login without a cookie
gets the cookie, not bad_password. Without --password-file a proof is
ignored."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import tempfile

PASSWORD = "s3cret-密码"


class WireClient(Client):
    """A Client that keeps every datagram it sends."""

    def __init__(self, *args, **kw):
        Client.__init__(self, *args, **kw)
        self.sent = []

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sent.append(data)
        Client.send_raw(self, data)


def refused(srv, c, name):
    """The log line of a refused proof, with c's address."""
    port = c.sock.getsockname()[1]
    line = "refused login of %s from 127.0.0.1:%d: bad password" % (name,
                                                                      port)
    return wait_until(lambda: line in srv.stderr(), 5.0, "log line %r" %
                      line)


def main():
    os.makedirs(os.path.join(BUILD, "test-logs"), exist_ok=True)
    fd, path = tempfile.mkstemp(prefix="pw-", dir=os.path.join(BUILD, "test-logs"))
    try:
        os.write(fd, (PASSWORD + "\nsecond-line\n").encode())
        os.close(fd)
        srv = Server("--password-file", path)

        # Before the cookie, no word about the password.
        x = Client(srv.port)
        x.name = "no cookie"
        c = x.ask(padded({"type": "login", "v": 2, "name": "mallory"}),
                  "cookie")
        x.pump(0.2)
        check(x.inbox == [], "only the cookie: %r" % [public(m) for m in
                                                     x.inbox])

        other = Client(srv.port).fetch_cookie()
        for what, kw in (("no proof", {}),
                         ("wrong password", {"password": "s3cret"}),
                         ("second line", {"password": "second-line"}),
                         ("with newline", {"password": PASSWORD + "\n"}),
                         ("empty", {"password": ""}),
                         ("another cookie's proof",
                          {"proof": proof(PASSWORD, other)}),
                         ("zeros", {"fields": {"proof": "0" * 64}}),
                         ("old password field",
                          {"fields": {"password": PASSWORD}})):
            c = Client(srv.port)
            c.name = what
            c.login_error("mallory", "bad_password", **kw)
            refused(srv, c, "mallory")
            c.close()

        a = WireClient(srv.port)
        w = a.login("alice", password=PASSWORD)
        check(w.get("users") == ["alice"],
              "the right proof gets a welcome, and the refused logins "
              "made no session: %r" % public(w))
        for d in a.sent:
            check(PASSWORD.encode() not in d and b"password" not in d,
                  "the password never goes on the wire: %r" % d)
        check(any(proof(PASSWORD, a.cookie).encode() in d for d in a.sent),
              "the proof of the password did")
        check("refused login of alice" not in srv.stderr(),
              "a right proof is not logged as refused")
        srv.stop()
    finally:
        os.unlink(path)

    srv = Server()
    a = Client(srv.port)
    w = a.login("alice", password="anything")
    check(w.get("name") == "alice",
          "without --password-file a proof is ignored")
    srv.stop()


run(main)
