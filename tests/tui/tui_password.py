#!/usr/bin/env python3
"""A room with a password and none given: at a terminal the client asks
for it without echo, asks again after a wrong one, and logs in with the
right one (used for the proof only: it never travels); Enter alone gives
up with exit 1. Without a terminal (--plain, stdin a pipe) it says how to
give the password and exits 1. The server is scripted
(tests/lib/fakeserver.py) and checks the proof as protocol 2 says."""

import hashlib
import hmac
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from fakeserver import FakeServer  # noqa: E402
from tuitest import CLIENT_BIN, Tui, check, log, run  # noqa: E402

PASSWORD = "s3cret pass"
PROMPT = "password (Enter alone gives up):"


class PasswordServer(FakeServer):
    """bad_password unless the login's proof is right for its cookie."""

    def _login(self, o):
        if "cookie" in o and o["cookie"] == self.cookie:
            want = hmac.new(PASSWORD.encode(), self.cookie.encode(),
                            hashlib.sha256).hexdigest()
            if o.get("proof") != want:
                self.send({"type": "error", "code": "bad_password",
                           "text": "wrong password"})
                return
        FakeServer._login(self, o)


def prompts(t):
    return sum(r.count(PROMPT) for r in t.screen())


def main():
    fs = PasswordServer()
    try:
        with Tui(fs.port, "alice") as t:
            t.wait_text(PROMPT)
            t.type("guess")
            t.keys("Enter")
            t.wait_text("wrong password")
            t.wait(lambda rows: prompts(t) == 2, "asked again")
            t.type(PASSWORD)
            screen = "\n".join(t.screen())
            check("guess" not in screen and "s3cret" not in screen,
                  "the password is not echoed:\n" + t.dump())
            t.keys("Enter")
            t.ready("alice")
            check(PASSWORD.encode() not in fs.everything() and
                  b"guess" not in fs.everything(),
                  "the password never travels")
            t.quit()
    finally:
        fs.stop()
    fs = PasswordServer()
    try:
        with Tui(fs.port, "bob") as t:
            t.wait_text(PROMPT)
            t.keys("Enter")
            t.wait_text("CLIENT-EXITED 1")
            check("no password given" in t.stderr(), "gave up: %r" %
                  t.stderr())
            t.check_clean()
    finally:
        fs.stop()
    fs = PasswordServer()
    try:
        p = subprocess.run([CLIENT_BIN, "--plain", "-s", "127.0.0.1:%d" %
                            fs.port, "-n", "carol"], stdin=subprocess.PIPE,
                           capture_output=True, timeout=15)
        err = p.stderr.decode(errors="replace")
        log(err)
        check(p.returncode == 1 and "give it with --password-file FILE" in
              err, "without a terminal: how to give it: %d %r" %
              (p.returncode, err))
    finally:
        fs.stop()


run(main)
