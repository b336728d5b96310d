"""A lossy UDP proxy on loopback for the reliability tests (stdlib only).

Sits between clients and a server that both live on 127.0.0.1 and makes
the network as bad as asked: drops, duplicates, reorders and delays
datagrams, each decision made independently per datagram and per
direction, from a seeded random generator so a failing run can be
replayed.

    from lossyproxy import LossyProxy
    proxy = LossyProxy(srv.port, drop=0.2, dup=0.05, reorder=0.1, seed=1,
                       delay_ms=(0, 30))
    proxy.start()
    c = Client(proxy.port)              # talks to the server through it
    ...
    proxy.stop()
    proxy.stats  # {packets, dropped, duplicated, reordered, up, down}

drop, dup and reorder are probabilities in [0, 1]; each may also be a
pair (up, down) to treat the two directions differently ("up" is client
to server). delay_ms=(lo, hi) delays every forwarded datagram by a
uniform lo..hi ms.

How it works: it listens on 127.0.0.1, port 0 (self.port). For each
distinct client address it opens one upstream socket, connected to the
server, so the server sees one stable address per client and replies
come back through the right socket. Reorder holds a datagram and
releases it right after the next one in the same direction of the same
client, or after reorder_hold_ms if none comes.

Safety: it only ever forwards to 127.0.0.0/8 (the constructor refuses any
other server address, and every send checks again), everything runs in
one thread that waits with select and a timeout, and the thread stops by
itself after max_lifetime seconds (120 by default) even if nobody calls
stop(). The number of clients is bounded (max_clients).

As a script:  python3 tests/lib/lossyproxy.py SERVER_PORT [--drop P]
[--dup P] [--reorder P] [--seed N] [--delay LO,HI] [--lifetime S]
prints "proxy on 127.0.0.1 PORT", relays until the lifetime ends or
Ctrl-C, then prints the stats.
"""

import argparse
import heapq
import ipaddress
import random
import select
import socket
import sys
import threading
import time

UP = 0          # client to server
DOWN = 1        # server to client
MAX_DGRAM = 65535


def _is_loopback4(host):
    try:
        a = ipaddress.ip_address(host)
    except ValueError:
        return False
    return a.version == 4 and a.is_loopback


def _pair(v, what):
    """A probability, or an (up, down) pair of them, as a 2-tuple."""
    if isinstance(v, (tuple, list)):
        if len(v) != 2:
            raise ValueError("%s: want p or (up, down)" % what)
        up, down = float(v[0]), float(v[1])
    else:
        up = down = float(v)
    for p in (up, down):
        if not 0.0 <= p <= 1.0:
            raise ValueError("%s: %r is not in [0, 1]" % (what, p))
    return (up, down)


class LossyProxy:
    """See the module docstring."""

    def __init__(self, server_port, drop=0.0, dup=0.0, reorder=0.0, seed=1,
                 delay_ms=(0, 0), server_host="127.0.0.1", max_lifetime=120.0,
                 reorder_hold_ms=30, max_clients=256, port=0):
        if not _is_loopback4(server_host):
            raise ValueError("lossyproxy forwards only to 127.0.0.0/8, "
                             "not %r" % (server_host,))
        if not 0 < int(server_port) < 65536:
            raise ValueError("bad server port %r" % (server_port,))
        lo, hi = delay_ms
        if not 0 <= lo <= hi <= 10000:
            raise ValueError("bad delay_ms %r" % (delay_ms,))
        self.server = (server_host, int(server_port))
        self.drop = _pair(drop, "drop")
        self.dup = _pair(dup, "dup")
        self.reorder = _pair(reorder, "reorder")
        self.delay = (lo / 1000.0, hi / 1000.0)
        self.hold = reorder_hold_ms / 1000.0
        self.max_lifetime = float(max_lifetime)
        self.max_clients = max_clients
        self.rng = random.Random(seed)
        self.stats = dict(packets=0, dropped=0, duplicated=0, reordered=0,
                          up=0, down=0)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self.upstream = {}      # client address -> socket to the server
        self.client_of = {}     # upstream socket -> client address
        self.held = {}          # (client, direction) -> (release_at, data)
        self.queue = []         # heap of (send_at, n, client, direction, data)
        self.n = 0
        self._stop = threading.Event()
        self._thread = None

    # ---- public ----

    def start(self):
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name="lossyproxy")
        self._thread.start()
        return self

    def stop(self, timeout=5.0):
        """Stops the relay thread and closes every socket; datagrams still
        delayed or held are dropped."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError("lossyproxy thread did not stop")
        self._close()
        return dict(self.stats)

    def running(self):
        return self._thread is not None and self._thread.is_alive()

    def clients(self):
        return len(self.upstream)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ---- the relay thread ----

    def _run(self):
        deadline = time.monotonic() + self.max_lifetime
        while not self._stop.is_set():
            now = time.monotonic()
            if now >= deadline:
                break
            self._release_due(now)
            socks = [self.sock] + list(self.client_of)
            r, _, _ = select.select(socks, [], [], self._wait(now, deadline))
            for s in r:
                self._read(s)

    def _wait(self, now, deadline):
        """How long select may sleep: until the next timer, at most 50 ms
        so that stop() is noticed quickly."""
        t = min(deadline, now + 0.05)
        if self.queue:
            t = min(t, self.queue[0][0])
        for release_at, _ in self.held.values():
            t = min(t, release_at)
        return max(0.0, t - now)

    def _read(self, s):
        # A bounded batch per wakeup, so one busy socket cannot starve
        # the timers.
        for _ in range(64):
            try:
                data, src = s.recvfrom(MAX_DGRAM)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                # ICMP port unreachable from an earlier send (server not
                # up yet, or gone): the datagram is lost, as on a network.
                return
            if s is self.sock:
                if not _is_loopback4(src[0]):
                    continue
                if self._upstream_for(src) is None:
                    continue
                self._offer(src, UP, data)
            else:
                self._offer(self.client_of[s], DOWN, data)

    def _upstream_for(self, client):
        u = self.upstream.get(client)
        if u is not None:
            return u
        if len(self.upstream) >= self.max_clients:
            return None
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        u.connect(self.server)
        u.setblocking(False)
        self.upstream[client] = u
        self.client_of[u] = client
        return u

    def _offer(self, client, d, data):
        """Applies drop, dup and reorder to one datagram from direction d."""
        now = time.monotonic()
        self.stats["packets"] += 1
        self.stats["up" if d == UP else "down"] += 1
        if self.rng.random() < self.drop[d]:
            self.stats["dropped"] += 1
            return
        copies = 1
        if self.rng.random() < self.dup[d]:
            copies = 2
            self.stats["duplicated"] += 1
        key = (client, d)
        if key in self.held:
            # Send this one, then the held one after it.
            _, held = self.held.pop(key)
            t = self._schedule(now, client, d, data, copies)
            self._schedule(t, client, d, held, 1)
            return
        if self.rng.random() < self.reorder[d]:
            self.stats["reordered"] += 1
            self.held[key] = (now + self.hold, data)
            # A duplicate of a held datagram goes out now, so one copy
            # overtakes the next datagram's and the other does not.
            if copies == 2:
                self._schedule(now, client, d, data, 1)
            return
        self._schedule(now, client, d, data, copies)

    def _schedule(self, not_before, client, d, data, copies):
        """Queues copies of data after a random delay, never before
        not_before; returns the send time."""
        t = max(not_before, time.monotonic() +
                self.rng.uniform(self.delay[0], self.delay[1]))
        for _ in range(copies):
            self.n += 1
            heapq.heappush(self.queue, (t, self.n, client, d, data))
        return t

    def _release_due(self, now):
        for key in [k for k, v in self.held.items() if v[0] <= now]:
            _, data = self.held.pop(key)
            self._schedule(now, key[0], key[1], data, 1)
        while self.queue and self.queue[0][0] <= now:
            _, _, client, d, data = heapq.heappop(self.queue)
            self._send(client, d, data)

    def _send(self, client, d, data):
        try:
            if d == UP:
                u = self.upstream[client]
                if not _is_loopback4(u.getpeername()[0]):
                    return
                u.send(data)
            else:
                if not _is_loopback4(client[0]):
                    return
                self.sock.sendto(data, client)
        except OSError:
            pass        # full buffer or ICMP error: lost, like on a network

    def _close(self):
        for u in list(self.client_of):
            u.close()
        self.client_of.clear()
        self.upstream.clear()
        self.sock.close()


def _main(argv):
    ap = argparse.ArgumentParser(
        description="lossy UDP proxy on 127.0.0.1 in front of a local server")
    ap.add_argument("server_port", type=int)
    ap.add_argument("--drop", type=float, default=0.0)
    ap.add_argument("--dup", type=float, default=0.0)
    ap.add_argument("--reorder", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--port", type=int, default=0,
                    help="the proxy's own port (default: the OS picks)")
    ap.add_argument("--delay", default="0,0", help="LO,HI milliseconds")
    ap.add_argument("--lifetime", type=float, default=120.0,
                    help="seconds before it stops by itself")
    a = ap.parse_args(argv)
    lo, hi = (int(x) for x in a.delay.split(","))
    p = LossyProxy(a.server_port, drop=a.drop, dup=a.dup, reorder=a.reorder,
                   seed=a.seed, delay_ms=(lo, hi), max_lifetime=a.lifetime,
                   port=a.port)
    p.start()
    print("proxy on 127.0.0.1 %d" % p.port, flush=True)
    try:
        while p.running():
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    print(p.stop(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
