#!/usr/bin/env python3
"""Robustness: 10,000 random and mutated datagrams (random bytes, truncated
and mutated valid messages, huge numbers, deep nesting, long strings,
other sessions' tokens) from a few sockets at a bounded rate; then a
session from before still gets pong and a correct who, chats still flow,
and the server exits cleanly (Server.stop checks the sanitizers).
CHAT_SEED=N replays a run."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import random
import socket

COUNT = 10000
RATE = 5000.0          # datagrams a second at most
TIME_LIMIT = 20.0      # seconds for the whole flood, at most
SOCKETS = 4


def templates(tokens, rnd):
    tok = rnd.choice(tokens + ["0" * 32, "", "g" * 32])
    name = rnd.choice(["alice", "bob", "g%d" % rnd.randrange(5), "中" * 16,
                       "x" * 17, "/x", ""])
    text = rnd.choice(["hi", "中文", "a" * 1000, "\\u0000", "\\u001b[2J",
                       '"\\\\', "x" * rnd.randrange(1400)])
    n = rnd.choice([0, 1, -1, 2 ** 53, 2 ** 53 - 1, 2 ** 64, 1.5, 1e308,
                    -1e308, "1", None, True, [], {}])
    return rnd.choice([
        {"type": "login", "v": rnd.choice([1, 1, 2, n]), "name": name},
        {"type": "login", "v": 2, "name": name, "password": text},
        {"type": "chat", "token": tok, "id": n, "text": text},
        {"type": "chat", "token": tok, "id": rnd.randrange(1, 50),
         "text": "garbage chat"},
        {"type": "msg", "token": tok, "id": n, "to": name, "text": text},
        {"type": "rename", "token": tok, "id": n, "name": name},
        {"type": "who", "token": tok},
        {"type": "ping", "token": tok},
        {"type": "ack", "token": tok, "seq": n},
        {"type": "quit", "token": tok},
        {"type": "discover", "v": n},
        {"type": "announce", "text": "spoof"},
        {"type": rnd.choice(["welcome", "", "x" * 1000, "chat\u0000"]),
         "token": tok},
    ])


def nested(rnd, depth):
    o = rnd.choice(["[", '{"a":'])
    c = "]" if o == "[" else "}"
    return (o * depth + "1" + c * depth).encode()


def mutate(rnd, data):
    data = bytearray(data)
    for _ in range(rnd.randrange(1, 6)):
        op = rnd.randrange(5)
        if not data:
            break
        p = rnd.randrange(len(data))
        if op == 0:
            data[p] = rnd.randrange(256)
        elif op == 1:
            del data[p:p + rnd.randrange(1, 20)]
        elif op == 2:
            data[p:p] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 8)))
        elif op == 3:
            data[p:p] = data[rnd.randrange(len(data)):][:rnd.randrange(1, 50)]
        else:
            data = data[:p]
    return bytes(data)


def datagram(rnd, tokens):
    kind = rnd.randrange(10)
    if kind == 0:
        return bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 1500)))
    if kind == 1:
        return nested(rnd, rnd.choice([10, 100, 500, 699, 1000, 5000]))
    if kind == 2:
        big = rnd.choice(["1" * 400, "1e999", "-1e999", "123456789" * 30,
                          "0.000000000000000000001", "1E+400", "-0", "NaN",
                          "Infinity", "0x10"])
        return ('{"type":"chat","token":"%s","id":%s,"text":"x"}' %
                (rnd.choice(tokens), big)).encode()
    if kind == 3:
        return ('{"type":"login","v":2,"name":"%s"}' %
                rnd.choice(["\\ud800", "\\udc00\\ud800", "a\\u0000b",
                            "\\u202e", "x" * 1380])).encode()
    if kind == 4:
        return json.dumps(templates(tokens, rnd),
                          ensure_ascii=rnd.random() < 0.5).encode()[:1400]
    o = json.dumps(templates(tokens, rnd),
                   ensure_ascii=rnd.random() < 0.5).encode()
    return mutate(rnd, o)


def main():
    seed = int(os.environ.get("CHAT_SEED") or random.randrange(1 << 30))
    log("CHAT_SEED=%d" % seed)
    rnd = random.Random(seed)
    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    a.expect("join", name="bob")
    tokens = [a.token, b.token]
    socks = []
    for _ in range(SOCKETS):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.setblocking(False)
        socks.append(s)

    t0 = time.monotonic()
    sent = 0
    for n in range(COUNT):
        if time.monotonic() - t0 > TIME_LIMIT:
            break
        d = datagram(rnd, tokens)
        try:
            socks[n % SOCKETS].sendto(d, ("127.0.0.1", srv.port))
        except OSError as e:
            log("sendto %d bytes: %s" % (len(d), e))
        sent += 1
        if n % 100 == 99:
            # Drain the replies, let alice and bob ack, and keep the rate.
            for s in socks:
                for _ in range(1000):
                    try:
                        s.recv(65536)
                    except BlockingIOError:
                        break
            pump_all([a, b], max(0.0, t0 + (n + 1) / RATE - time.monotonic()))
            check(srv.alive(), "the server died after %d datagrams (seed %d)"
                  % (n + 1, seed))
    log("sent %d datagrams in %.1fs" % (sent, time.monotonic() - t0))
    check(sent >= COUNT * 0.9, "the flood was not cut short by time: %d sent"
          % sent)
    for s in socks:
        s.close()

    check(srv.alive(), "the server is alive")
    a.ping()
    b.ping()
    users = a.who()
    check("alice" in users and "bob" in users,
          "alice and bob are still online: %r" % users)
    a.drop("chat")
    b.drop("chat")
    a.request_ok("chat", text="after the storm")
    m = b.expect("chat", text="after the storm")
    check(m.get("from") == "alice", "chats still flow")
    b.quit()
    a.expect("leave", name="bob", reason="quit")
    srv.stop()


run(main)
