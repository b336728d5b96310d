#!/usr/bin/env python3
"""The login round trip of protocol 2 as it crosses the wire between the
real client and the real server, recorded by a relay (lossyproxy, no
loss): in a room with a password, the client's first login carries
neither the password nor a proof nor a cookie and is padded to at least
128 bytes; the server answers with a cookie and nothing else; the
client's next login carries that cookie, the same cid, and the proof
(the lowercase hex HMAC-SHA256 of the cookie keyed with the password);
the password itself never crosses the wire; the client is logged in.
Needs the server side of protocol 2 (cookies, proofs)."""
import hashlib
import hmac
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, check, log, run  # noqa: E402
from clienttest import TIME_RE, PlainClient  # noqa: E402
from lossyproxy import DOWN, UP, LossyProxy  # noqa: E402

T = "^" + TIME_RE + " "
PASSWORD = "correct horse"


class Recorder(LossyProxy):
    """Forwards everything and keeps every datagram, in order."""

    def __init__(self, port):
        super().__init__(port)
        self.seen = []          # (direction, raw bytes)

    def _offer(self, client, d, data):
        self.seen.append((d, bytes(data)))
        super()._offer(client, d, data)

    def decoded(self, d, typ):
        out = []
        for dd, raw in list(self.seen):
            try:
                o = json.loads(raw)
            except ValueError:
                continue
            if dd == d and o.get("type") == typ:
                out.append((raw, o))
        return out


def main():
    with tempfile.NamedTemporaryFile("w", suffix=".pw") as f:
        f.write(PASSWORD + "\n")
        f.flush()
        srv = Server("--password-file", f.name)
        rec = Recorder(srv.port).start()
        try:
            a = PlainClient(rec.port, "alice",
                            args=["--password-file", f.name])
            a.wait_line(T + r"-- connected to ")
            ups = rec.decoded(UP, "login")
            downs = [o for _, o in rec.decoded(DOWN, "cookie")]
            check(len(ups) >= 2 and downs, "two logins and a cookie: %r %r"
                  % ([o for _, o in ups], downs))
            raw, first = ups[0]
            check(len(raw) >= 128, "the first login is padded to 128 "
                  "bytes: %d" % len(raw))
            for k in ("cookie", "proof", "password"):
                check(k not in first, "no %s in the first login: %r" %
                      (k, first))
            cookie = downs[0]["cookie"]
            second = ups[1][1]
            check(second.get("cookie") == cookie and
                  second.get("cid") == first.get("cid") and
                  second.get("name") == "alice",
                  "the same login again with the cookie: %r" % second)
            want = hmac.new(PASSWORD.encode(), cookie.encode(),
                            hashlib.sha256).hexdigest()
            check(second.get("proof") == want, "the proof: %r, want %s" %
                  (second.get("proof"), want))
            check(all(PASSWORD.encode() not in r for _, r in rec.seen),
                  "the password never crossed the wire")
            log("first login %d bytes, cookie %r" % (len(raw), cookie))
            a.quit()
        finally:
            rec.stop()
            srv.stop()


if __name__ == "__main__":
    run(main)
