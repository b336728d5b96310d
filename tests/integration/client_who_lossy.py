#!/usr/bin/env python3
"""/who is retried like a chat line: a lost who request, or a lost users
answer, still ends with the list on screen, shown once per /who even
though the retries draw more than one answer; a /who the server never
answers (while it answers everything else) ends with an error saying
so, after the life of a request: 3 heartbeats.

alice talks to the server through a proxy (tests/lib/lossyproxy.py) that
drops exactly the datagrams each step asks for and nothing else.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, check, log, run  # noqa: E402
from clienttest import TIME_RE, PlainClient  # noqa: E402
from lossyproxy import DOWN, UP, LossyProxy  # noqa: E402

T = "^" + TIME_RE + " "
USERS = T + r"-- users: alice, bob$"
NO_ANSWER = T + r"error: no answer to /who from the server"
WHO = re.compile(rb'"type"\s*:\s*"who"')
LIST = re.compile(rb'"type"\s*:\s*"users"')


class WhoDropper(LossyProxy):
    """Drops the next drop_who who requests and drop_users users
    answers; counts the who requests it saw."""

    def __init__(self, port):
        super().__init__(port)
        self.drop_who = 0
        self.drop_users = 0
        self.who_seen = 0
        self.users_seen = 0

    def _offer(self, client, d, data):
        if d == UP and WHO.search(data):
            self.who_seen += 1
            if self.drop_who > 0:
                self.drop_who -= 1
                return
        if d == DOWN and LIST.search(data):
            self.users_seen += 1
            if self.drop_users > 0:
                self.drop_users -= 1
                return
        super()._offer(client, d, data)


def barrier(a, n):
    """A chat acked after the /who: every answer to it is in by now (the
    server answers in order), so the count of lists is final."""
    a.say("barrier %d" % n)
    a.wait_line(T + r"<alice> barrier %d$" % n)


def main():
    # A heartbeat of 2 s: a request lives 3 heartbeats (6 s).
    srv = Server("--heartbeat", "2")
    proxy = WhoDropper(srv.port).start()
    try:
        a = PlainClient(proxy.port, "alice")
        b = PlainClient(srv.port, "bob")
        a.wait_line(T + r"-- bob joined$")

        # 1. The who request is lost: the retry brings the list.
        proxy.drop_who = 1
        a.send("/who")
        a.wait_line(USERS, 5.0)
        check(proxy.who_seen >= 2, "the who was sent again (%d seen)" %
              proxy.who_seen)
        barrier(a, 1)
        check(len(a.matching(USERS)) == 1, "one list for one /who: %r" %
              a.matching(USERS))
        log("lost who: list after %d who datagrams" % proxy.who_seen)

        # 2. The users answer is lost: the retry brings another.
        proxy.drop_users = 1
        seen = proxy.users_seen
        a.send("/who")
        a.wait_count(USERS, 2, 5.0)
        barrier(a, 2)
        check(proxy.users_seen >= seen + 2, "a second answer came")
        check(len(a.matching(USERS)) == 2, "one list for one /who: %r" %
              a.matching(USERS))

        # 3. Nothing answers, while the server answers everything else
        # (pings): after the request's life, 3 heartbeats (6 s), with a
        # try at least every second, the user is told.
        proxy.drop_who = 1000
        before = proxy.who_seen
        a.send("/who")
        a.wait_line(NO_ANSWER, 15.0)
        check(proxy.who_seen - before >= 8,
              "tries every second at most for 6 s (%d)" %
              (proxy.who_seen - before))
        check(len(a.matching(USERS)) == 2, "no list appeared")
        check(a.proc.poll() is None, "the client carries on")

        # 4. And /who works again afterwards.
        proxy.drop_who = 0
        a.send("/who")
        a.wait_count(USERS, 3, 5.0)
        b.say("still here")
        a.wait_line(T + r"<bob> still here$")
        a.quit()
        b.quit()
    finally:
        proxy.stop()
        srv.stop()


if __name__ == "__main__":
    run(main)
