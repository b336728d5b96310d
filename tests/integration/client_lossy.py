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

LOSSY_SEED picks the proxy's random seed (default 7) to replay a run.
"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, TestFailure, check, log, run  # noqa: E402
from clienttest import TIME_RE, PlainClient  # noqa: E402
from lossyproxy import DOWN, UP, LossyProxy  # noqa: E402

T = "^" + TIME_RE + " "
PER_SENDER = 100
# The server allows 10 chats a second per session (burst 20): stay under.
GAP = 0.12


class CountingProxy(LossyProxy):
    """Counts how often each request id / seq was offered: the count
    above one is the retransmissions (plus duplicates made by us)."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.seen = {}
        self.chats = {}         # client address -> {seq: "from> text"}

    def _offer(self, client, d, data):
        try:
            m = json.loads(data)
            if d == UP and m.get("type") == "chat":
                k = ("up", client, m.get("id"))
            elif d == DOWN and "seq" in m:
                k = ("down", client, m.get("seq"))
                if m.get("type") == "chat":
                    self.chats.setdefault(client, {})[m["seq"]] = \
                        "<%s> %s" % (m["from"], m["text"])
            else:
                k = None
            if k is not None:
                self.seen[k] = self.seen.get(k, 0) + 1
        except (ValueError, KeyError):
            pass
        return super()._offer(client, d, data)

    def seq_order(self, sender):
        """What the server sent (before any loss) to the receiver of
        sender's lines, in seq order: the order it must be shown in."""
        for chats in self.chats.values():
            lines = [chats[k] for k in sorted(chats)]
            if any(l.startswith("<%s> " % sender) for l in lines):
                return [l for l in lines if l.startswith("<%s> " % sender)]
        return []

    def retransmits(self, way):
        return sum(n - 1 for k, n in self.seen.items() if k[0] == way)


def main():
    seed = int(os.environ.get("LOSSY_SEED", "7"))
    srv = Server()
    proxy = CountingProxy(srv.port, drop=0.2, dup=0.05, reorder=0.1,
                          seed=seed, delay_ms=(0, 5), max_lifetime=170)
    proxy.start()
    try:
        exchange(proxy, seed)
    finally:
        proxy.stop()
        srv.stop()


def exchange(proxy, seed):
    a = PlainClient(proxy.port, "alice")
    b = PlainClient(proxy.port, "bob")
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
        raise


def converse(proxy, seed, a, b):
    a.wait_line(T + r"-- bob joined$", 10.0)
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
        (proxy.retransmits("up"), proxy.retransmits("down")))
    check(st["dropped"] > 0 and st["duplicated"] > 0,
          "the proxy really was lossy")
    a.quit(timeout=3.0)
    b.quit(timeout=3.0)


if __name__ == "__main__":
    run(main)
