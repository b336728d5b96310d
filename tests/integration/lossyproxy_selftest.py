"""Self-test of tests/lib/lossyproxy.py, without chat_server.

A python UDP echo on 127.0.0.1 sits behind the proxy. With no loss every
datagram comes back exactly once; with drop=1.0 none reaches the echo;
with dup=1.0 each reaches it twice; reorder swaps neighbours; delay
delays; each client gets its own upstream address; a non-loopback server
is refused; the proxy stops by itself at its lifetime.
"""

import os
import select
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from lossyproxy import LossyProxy  # noqa: E402


# Small local copies of chattest's helpers: this self-test needs nothing
# but the proxy, so a change in the chat-side library cannot break it.
class TestFailure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise TestFailure(what)


def log(*args):
    print(*args, flush=True)


def wait_until(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise TestFailure("timed out waiting for " + what)
        time.sleep(0.01)


def run(main):
    try:
        main()
    except TestFailure as e:
        print("FAILED:", e, flush=True)
        sys.exit(1)
    print("ok", flush=True)
    sys.exit(0)


class Echo:
    """Echoes every datagram to its sender; records what came from whom."""

    def __init__(self, lifetime=60.0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.got = []           # (source address, data), in arrival order
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.deadline = time.monotonic() + lifetime
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopped.is_set() and time.monotonic() < self.deadline:
            r, _, _ = select.select([self.sock], [], [], 0.05)
            if not r:
                continue
            data, src = self.sock.recvfrom(65535)
            with self.lock:
                self.got.append((src, data))
            if src[0].startswith("127."):
                self.sock.sendto(data, src)

    def received(self):
        with self.lock:
            return list(self.got)

    def stop(self):
        self.stopped.set()
        self.thread.join(5)
        self.sock.close()


def client():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    return s


def collect(sock, want, timeout=5.0):
    """Reads datagrams until want have arrived or the deadline passes."""
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < want:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([sock], [], [], left)
        if r:
            got.append(sock.recvfrom(65535)[0])
    return got


def drain(sock, timeout):
    """Everything that arrives within timeout (only after the stats prove
    that nothing more is in flight)."""
    got = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return got
        r, _, _ = select.select([sock], [], [], left)
        if r:
            got.append(sock.recvfrom(65535)[0])


def msgs(n, tag=b"m"):
    return [tag + b"%d" % i for i in range(n)]


def test_clean(echo):
    p = LossyProxy(echo.port).start()
    a, b = client(), client()
    try:
        for m in msgs(50, b"a"):
            a.sendto(m, ("127.0.0.1", p.port))
        for m in msgs(30, b"b"):
            b.sendto(m, ("127.0.0.1", p.port))
        ga, gb = collect(a, 50), collect(b, 30)
        check(sorted(ga) == sorted(msgs(50, b"a")), "a got each echo once")
        check(sorted(gb) == sorted(msgs(30, b"b")), "b got each echo once")
        check(ga == msgs(50, b"a"), "no reorder asked, none happened")
        check(drain(a, 0.2) == [], "no extra datagram for a")
        srcs = set(src for src, _ in echo.received())
        check(len(srcs) == 2, "echo saw one address per client: %r" % srcs)
        check(p.clients() == 2, "two upstream sockets")
        st = p.stop()
        check(st == dict(packets=160, dropped=0, duplicated=0, reordered=0,
                         up=80, down=80), "stats %r" % st)
    finally:
        p.stop()
        a.close()
        b.close()


def test_drop_all(echo):
    p = LossyProxy(echo.port, drop=1.0).start()
    a = client()
    try:
        before = len(echo.received())
        for m in msgs(20):
            a.sendto(m, ("127.0.0.1", p.port))
        wait_until(lambda: p.stats["dropped"] == 20, 5, "20 drops")
        check(drain(a, 0.3) == [], "nothing came back")
        check(len(echo.received()) == before, "nothing reached the echo")
        st = p.stop()
        check(st["packets"] == 20 and st["up"] == 20 and st["down"] == 0,
              "stats %r" % st)
    finally:
        p.stop()
        a.close()


def test_dup_all(echo):
    p = LossyProxy(echo.port, dup=1.0).start()
    a = client()
    try:
        before = len(echo.received())
        for m in msgs(20, b"d"):
            a.sendto(m, ("127.0.0.1", p.port))
        # Up: each reaches the echo twice; down: each echo is doubled too.
        got = collect(a, 80)
        seen = [d for _, d in echo.received()[before:]]
        for m in msgs(20, b"d"):
            check(seen.count(m) == 2, "echo got %r twice" % m)
            check(got.count(m) == 4, "client got %r 4 times" % m)
        check(drain(a, 0.2) == [], "no fifth copy")
        st = p.stop()
        check(st["duplicated"] == 20 + 40 and st["up"] == 20 and
              st["down"] == 40, "stats %r" % st)
    finally:
        p.stop()
        a.close()


def test_reorder(echo):
    # Up only: hold every datagram, release it after the next one, so
    # 0 1 2 3 arrives as 1 0 3 2; a lone last one comes after the hold.
    p = LossyProxy(echo.port, reorder=(1.0, 0.0), reorder_hold_ms=200)
    p.start()
    a = client()
    try:
        before = len(echo.received())
        for m in msgs(5, b"r"):
            a.sendto(m, ("127.0.0.1", p.port))
            # Let each one reach the proxy before the next (the proxy
            # swaps the order of arrival, which the OS keeps on loopback).
            wait_until(lambda: p.stats["up"] >= int(m[1:]) + 1, 5, "arrival")
        got = collect(a, 5)
        seen = [d for _, d in echo.received()[before:]]
        check(seen == [b"r1", b"r0", b"r3", b"r2", b"r4"],
              "echo order %r" % seen)
        check(sorted(got) == msgs(5, b"r"), "all came back")
        st = p.stop()
        check(st["reordered"] == 3, "stats %r" % st)
    finally:
        p.stop()
        a.close()


def test_delay(echo):
    p = LossyProxy(echo.port, delay_ms=(60, 60)).start()
    a = client()
    try:
        t0 = time.monotonic()
        a.sendto(b"slow", ("127.0.0.1", p.port))
        got = collect(a, 1)
        rtt = time.monotonic() - t0
        check(got == [b"slow"], "delayed echo arrived")
        check(rtt >= 0.115, "two 60 ms delays took %.3f s" % rtt)
    finally:
        p.stop()
        a.close()


def test_refuses_non_loopback():
    for host in ("10.0.0.1", "192.168.1.255", "255.255.255.255", "0.0.0.0",
                 "::1", "example.com"):
        try:
            LossyProxy(9, server_host=host)
        except ValueError:
            continue
        raise TestFailure("proxy accepted server %s" % host)


def test_lifetime(echo):
    p = LossyProxy(echo.port, max_lifetime=0.3).start()
    try:
        wait_until(lambda: not p.running(), 5, "proxy to stop by itself")
    finally:
        p.stop()


def main():
    echo = Echo()
    try:
        for t in (test_clean, test_drop_all, test_dup_all, test_reorder,
                  test_delay, test_lifetime):
            log(t.__name__)
            t(echo)
        log("test_refuses_non_loopback")
        test_refuses_non_loopback()
    finally:
        echo.stop()


if __name__ == "__main__":
    run(main)
