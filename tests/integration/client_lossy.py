#!/usr/bin/env python3
"""Two real plain clients talk through a lossy proxy (tests/lib/
lossyproxy.py: 20 % drop and 5 % duplication each way, reordering, a
little delay) to the real server. 200 chat lines from the two senders
arrive exactly once and in the server's seq order at every receiver (the
order of the datagrams the server sent, captured at the proxy before any
loss), and every sender
sees each of its own lines acked once (plain prints own lines on ack).

Prints the figures: messages, datagrams through the proxy, drops,
duplicates, reorders, and the retransmissions seen on the wire (request
ids sent more than once upstream, seqs sent more than once downstream).

LOSSY_SEED picks the proxy's random seed (default 7) to replay a run;
LOSSY_DROP the drop rate each way (default 0.2).

At 20 % loss each way a reliable message fails all 5 of its sends (the
copy or both acks lost each time) about once in 1500-3000 exchanges;
the server then expires the session, as the contract says, and lines
are lost. When the proxy's own records show that this is what happened
(some message or request used its whole budget and every copy, or
every answer, was dropped), the test is skipped with that reason
instead of failing: it is the link beating the protocol, not a client
fault. Any other difference fails.
"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, TestFailure, check, log, run, skip  # noqa: E402
from clienttest import TIME_RE, PlainClient  # noqa: E402
from lossyproxy import DOWN, UP, LossyProxy  # noqa: E402

T = "^" + TIME_RE + " "
PER_SENDER = 100
_drop = float(os.environ.get("LOSSY_DROP", "0.2"))
DROP, DUP, REORDER = (_drop, _drop), (0.05, 0.05), (0.1, 0.1)
# The server allows 10 chats a second per session (burst 20): stay under.
GAP = 0.12


class CountingProxy(LossyProxy):
    """Watches what passes: every reliable message and every request, how
    often it was offered (sent) and how often it got through (not
    dropped), keyed by session (the token; downstream, the last welcome
    seen for that client), so a failure can be told apart from the link
    beating the protocol's retry budget."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.epoch = {}         # client address -> current session token
        self.sent = {}          # key -> copies offered
        self.passed = {}        # key -> copies forwarded
        self.chats = {}         # (client, token) -> {seq: "<from> text"}

    def _key(self, client, d, m):
        typ = m.get("type")
        if d == UP:
            tok = m.get("token")
            if typ == "chat":
                return ("req", client, tok, m.get("id"))
            if typ == "ack":
                return ("ack", client, tok, m.get("seq"))
            return None
        if typ == "welcome":
            self.epoch[client] = m.get("token")
            return None
        tok = self.epoch.get(client)
        if "seq" in m:
            if typ == "chat":
                self.chats.setdefault((client, tok), {})[m["seq"]] = \
                    "<%s> %s" % (m.get("from"), m.get("text"))
            return ("rel", client, tok, m["seq"])
        if typ in ("ack", "error") and "id" in m:
            return ("reqack", client, tok, m["id"])
        return None

    def _offer(self, client, d, data):
        try:
            k = self._key(client, d, json.loads(data))
        except ValueError:
            k = None
        before = self.stats["dropped"]
        r = super()._offer(client, d, data)
        if k is not None:
            self.sent[k] = self.sent.get(k, 0) + 1
            if self.stats["dropped"] == before:
                self.passed[k] = self.passed.get(k, 0) + 1
        return r

    def seq_order(self, sender):
        """What the server sent (before any loss) to the receiver of
        sender's lines, in seq order: the order it must be shown in."""
        for chats in self.chats.values():
            lines = [chats[k] for k in sorted(chats)]
            if any(l.startswith("<%s> " % sender) for l in lines):
                return [l for l in lines if l.startswith("<%s> " % sender)]
        return []

    def retransmits(self, kind):
        return sum(n - 1 for k, n in self.sent.items() if k[0] == kind)

    def beaten(self):
        """Exchanges the link lost outright although their sender spent
        the whole budget (5 sends or more): every copy dropped, or every
        answer to them dropped. The protocol cannot survive these."""
        out = []
        for k, n in self.sent.items():
            kind, client, tok, num = k
            if kind not in ("rel", "req") or n < 5:
                continue
            answer = ("ack" if kind == "rel" else "reqack", client, tok, num)
            what = "%s %s for client port %d" % (
                "seq" if kind == "rel" else "request id", num, client[1])
            if self.passed.get(k, 0) == 0:
                out.append("all %d copies of %s dropped" % (n, what))
            elif self.sent.get(answer, 0) > 0 and \
                    self.passed.get(answer, 0) == 0:
                out.append("%s got through but all %d answers were "
                           "dropped" % (what, self.sent[answer]))
        return out


def main():
    seed = int(os.environ.get("LOSSY_SEED", "7"))
    srv = Server()
    # Lossless while the clients log in (login is not under test here;
    # client_login is), lossy from then on.
    proxy = CountingProxy(srv.port, seed=seed, delay_ms=(0, 5),
                          max_lifetime=170)
    proxy.start()
    try:
        exchange(proxy, seed)
    finally:
        proxy.stop()
        srv.stop()


def exchange(proxy, seed):
    a = PlainClient(proxy.port, "alice")
    b = PlainClient(proxy.port, "bob")
    a.wait_line(T + r"-- bob joined$", 10.0)
    proxy.drop, proxy.dup, proxy.reorder = DROP, DUP, REORDER
    try:
        converse(proxy, seed, a, b)
    except TestFailure:
        # What went wrong is in the events, not in the chat lines.
        for c in (a, b):
            c.pump(0.2)
            log("%s's events:" % c.name)
            for l in c.lines:
                if not re.search(T + r"(\[history\] )?<\w+> \w+ \d+ ", l):
                    log("  " + l)
        beaten = proxy.beaten()
        if beaten:
            # Not a client fault: 5 sends (or their acks) all lost. At
            # 20 % loss each way that happens to one in ~3000 exchanges,
            # and the server then expires the session by contract.
            for why in beaten:
                log("  link beat the retry budget: " + why)
            skip("the lossy link beat the protocol's 5-send budget (%s); "
                 "rerun, or LOSSY_SEED to replay" % beaten[0])
        raise


def converse(proxy, seed, a, b):
    said = {"alice": [], "bob": []}
    t0 = time.monotonic()
    for i in range(PER_SENDER):
        for c in (a, b):
            text = "%s %03d 丢包 test" % (c.name, i)
            said[c.name].append(text)
            c.say(text)
        # Paced, not synchronised: only keeps under the server's rate.
        time.sleep(GAP)
    for c, other in ((a, b), (b, a)):
        other.wait_count(T + r"<%s> " % c.name, PER_SENDER, 60.0)
        c.wait_count(T + r"<%s> " % c.name, PER_SENDER, 60.0)
    took = time.monotonic() - t0

    for c, other in ((a, b), (b, a)):
        got = [l.split(" ", 1)[1] for l in other.matching(
            T + r"<%s> " % c.name)]
        # Exactly once: each line the sender typed, no more, no less.
        check(sorted(got) == sorted("<%s> %s" % (c.name, t)
                                    for t in said[c.name]),
              "%s got each of %s's %d lines exactly once (%d lines)" %
              (other.name, c.name, PER_SENDER, len(got)))
        # In order: the server's seq order. (A sender's line whose first
        # send was lost reaches the server after its successor; the
        # protocol orders by seq, not by typing.)
        order = proxy.seq_order(c.name)
        check(got == order, "%s shows %s's lines in seq order:\n got %r"
              "\n seq %r" % (other.name, c.name, got[:20], order[:20]))
        typed = dict(("<%s> %s" % (c.name, t), i)
                     for i, t in enumerate(said[c.name]))
        overtaken, latest = 0, -1
        for line in got:
            if typed[line] < latest:
                overtaken += 1
            latest = max(latest, typed[line])
        log("%s: %d of %s's lines overtaken by a later one (first send "
            "lost, retransmitted)" % (other.name, overtaken, c.name))
        own = [l.split("> ", 1)[1] for l in c.matching(
            T + r"<%s> " % c.name)]
        check(sorted(own) == sorted(said[c.name]),
              "%s saw each own line acked once" % c.name)
        errs = c.matching(r"error:")
        check(not errs, "%s: no errors: %r" % (c.name, errs[:5]))

    st = dict(proxy.stats)
    log("lossy proxy (seed %d): %d messages from 2 senders in %.1fs, all "
        "delivered once and in order" % (seed, 2 * PER_SENDER, took))
    log("  datagrams %d (up %d, down %d): dropped %d, duplicated %d, "
        "reordered %d" % (st["packets"], st["up"], st["down"],
                          st["dropped"], st["duplicated"], st["reordered"]))
    log("  resent copies seen at the proxy: %d of chat requests (client; "
        "it sends 2 per retry), %d of reliable messages (server)" %
        (proxy.retransmits("req"), proxy.retransmits("rel")))
    check(st["dropped"] > 0 and st["duplicated"] > 0,
          "the proxy really was lossy")
    a.quit(timeout=3.0)
    b.quit(timeout=3.0)


if __name__ == "__main__":
    run(main)
