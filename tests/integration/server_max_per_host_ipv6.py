#!/usr/bin/env python3
"""--max-per-host counts an IPv6 host by its /64, in a network namespace
this test makes (loopback can have ::1 only), with --max-per-host 2 and
the server bound to "::" there:

- 2001:db8:7::/64 is nobody's link in the namespace (its addresses sit
  on lo one by one), so it is a remote host that may use any address
  in it: sessions from 2001:db8:7::2 and ::3 get in, one from ::1, a
  third address of the same /64, gets full (too many from your
  address); 2001:db8:8::1, another /64, still gets in;
- 2001:db8:9::/64 is the prefix of an interface of the server's (a
  dummy one, up): a LAN whose hosts all share that /64, so each of its
  addresses is a host of its own: two from 2001:db8:9::10 get in and a
  third from it is full, while ::11 and ::12 still get in;
- 127.0.0.1 is still its own host beside ::1 (v4-mapped on the dual
  stack socket is IPv4).

The namespace is deleted at the end, on failure and on SIGTERM too;
nothing is made in the test's own one. Skipped (exit 77) when not root,
without ip(8), or when the namespace or its IPv6 addresses cannot be
made.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403
import netns  # noqa: E402

NS = "chatv6host%d" % os.getpid()
REMOTE = ["2001:db8:7::1", "2001:db8:7::2", "2001:db8:7::3",
          "2001:db8:8::1"]
LAN = ["2001:db8:9::1", "2001:db8:9::10", "2001:db8:9::11", "2001:db8:9::12"]


def ip(*args):
    """ip(8) in the namespace."""
    return netns.ip("-n", NS, *args)


def create():
    """The namespace: lo with the remote-looking addresses, a dummy
    interface (a veth pair's end, both ends in the namespace) on
    2001:db8:9::/64 with the LAN ones."""
    netns.add(NS)
    for a in REMOTE:
        ip("addr", "add", a + "/128", "dev", "lo")
    ip("link", "add", "v0", "type", "veth", "peer", "name", "v1")
    ip("link", "set", "v1", "up")
    ip("link", "set", "v0", "up")
    for a in LAN:
        ip("addr", "add", a + "/64", "dev", "v0", "nodad")


def client(port, source, host="2001:db8:7::1"):
    with netns.InNetns(NS):
        return Client(port, host=host, source=source)


def cases():
    srv = Server("--max-per-host", "2", bind="::",
                 wrapper=["ip", "netns", "exec", NS])
    first = client(srv.port, "2001:db8:7::2")
    first.login("r2")
    client(srv.port, "2001:db8:7::3").login("r3")
    e = client(srv.port, "2001:db8:7::1").login_error("r1", "full")
    log("a third address of 2001:db8:7::/64: %r" % e["text"])
    check("address" in e["text"], "full says why: %r" % public(e))
    client(srv.port, "2001:db8:8::1").login("other64")

    client(srv.port, "2001:db8:9::10").login("lan10a")
    client(srv.port, "2001:db8:9::10").login("lan10b")
    e = client(srv.port, "2001:db8:9::10").login_error("lan10c", "full")
    check("address" in e["text"], "full on the LAN says why: %r" % public(e))
    client(srv.port, "2001:db8:9::11").login("lan11")
    client(srv.port, "2001:db8:9::12").login("lan12")

    client(srv.port, "127.0.0.1", host="127.0.0.1").login("v4")
    client(srv.port, "::1", host="::1").login("lo6")
    want = ["lan10a", "lan10b", "lan11", "lan12", "lo6", "other64", "r2",
            "r3", "v4"]
    got = sorted(first.who())
    check(got == want, "the room: %r, want %r" % (got, want))
    srv.stop()


def main():
    netns.require("a network namespace")
    try:
        try:
            create()
        except TestFailure as e:
            skip("cannot make a network namespace with IPv6 addresses: %s"
                 % e)
        cases()
    finally:
        kill_servers()
        netns.destroy()
    check(not netns.listed(NS), "the namespace is gone")


run(main)
