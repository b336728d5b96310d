#!/usr/bin/env python3
"""Client discovery (docs/protocol.md, "Discovery"), with real broadcasts
that never leave network namespaces this test makes.

Four namespaces, named after this process: a hub holding a bridge, and
the client (10.231.7.100/24), s1 (.1) and s2 (.2), each joined to the
bridge by a veth pair made inside the hub and moved over. Nothing is
created in the namespace the test runs in; everything is deleted at the
end, on failure and on SIGTERM too. Real chat_servers run in s1 and s2
(bound to "::", as by default), chat_client runs in the client
namespace without --server:

- no server: the plain client exits 1 within about 2 s saying what to
  do (--server), and --discover exits 1 with nothing on stdout;
- one server (room lab, one user online, a heartbeat long enough that
  the user stays for the whole test): --discover prints exactly
  "10.231.7.1:8888<TAB>lab<TAB>1"; the plain client says which server
  it found, logs in and chats both ways;
- two servers: --discover lists both in address order; the plain client
  with stdin not a terminal lists them, names --server and exits 2
  without logging in anywhere; with stdin a terminal (a pty) it lists
  them and asks, asks again after a wrong number, and joins the second
  after "2";
- -p 9999 looks on that port only;
- a fake server in s2 answering with garbage, a bad field and a room
  full of escape sequences: listed once, the room in caret notation,
  no ESC or BEL byte on stdout or stderr;
- a server in the client's own namespace answers the 127.0.0.1 unicast
  and the broadcast: listed once, under its LAN address.

Skipped (exit 77) when not root or when namespaces cannot be made.
"""
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import (BUILD, CLIENT_BIN, SANITIZER_MARKS, Client,  # noqa: E402
                      Server, TestFailure, check, log, run, skip)
from clienttest import TIME_RE, PlainClient, _clients, wait_for  # noqa: E402
import netns  # noqa: E402
from netns import ip  # noqa: E402

NET = "10.231.7"
PORT = 8888
TAG = "chatdisc%d" % os.getpid()
NS = {k: "%s-%s" % (TAG, k) for k in ("hub", "c", "s1", "s2")}
HOST = {"c": NET + ".100", "s1": NET + ".1", "s2": NET + ".2"}


def create():
    """The four namespaces, the bridge and the three veth pairs."""
    for key in ("hub", "c", "s1", "s2"):
        netns.add(NS[key])
    ip("-n", NS["hub"], "link", "add", "br0", "type", "bridge")
    ip("-n", NS["hub"], "link", "set", "br0", "up")
    for key in ("c", "s1", "s2"):
        # Made in the hub, then one end moved: nothing ever exists in
        # the namespace the test runs in.
        ip("-n", NS["hub"], "link", "add", "p-" + key, "type", "veth",
           "peer", "name", "e-" + key)
        ip("-n", NS["hub"], "link", "set", "e-" + key, "netns", NS[key])
        ip("-n", NS[key], "link", "set", "e-" + key, "name", "eth0")
        ip("-n", NS[key], "addr", "add", HOST[key] + "/24", "broadcast",
           "+", "dev", "eth0")
        ip("-n", NS[key], "link", "set", "eth0", "up")
        ip("-n", NS["hub"], "link", "set", "p-" + key, "master", "br0",
           "up")


def server_in(key, *args, port=PORT):
    return Server(*args, bind="::", port=port,
                  wrapper=["ip", "netns", "exec", NS[key]])


def client_in(key, server_key, port=PORT):
    """A raw protocol client inside namespace key, for server_key."""
    with netns.InNetns(NS[key]):
        return Client(port, host=HOST[server_key])


def discover_cmd(*args, timeout=10):
    """chat_client ARGS in the client namespace, stdin not a terminal:
    (exit status, stdout, stderr, seconds)."""
    t0 = time.monotonic()
    p = subprocess.run(["ip", "netns", "exec", NS["c"], CLIENT_BIN] +
                       list(args), stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=timeout)
    took = time.monotonic() - t0
    out = p.stdout.decode("utf-8")
    err = p.stderr.decode("utf-8")
    log("chat_client %s: exit %d in %.2fs\n  stdout %r\n  stderr %r" %
        (" ".join(args), p.returncode, took, out, err))
    for mark in SANITIZER_MARKS:
        check(mark not in err, "sanitizer report:\n" + err)
    return p.returncode, out, err, took


class NsPlainClient(PlainClient):
    """PlainClient's reading and ending, but chat_client runs in the
    client namespace and without --server."""

    def __init__(self, name, args=(), tty=False):
        self.name = name
        argv = ["ip", "netns", "exec", NS["c"], CLIENT_BIN, "--plain",
                "-n", name] + list(args)
        # tty: stdin is a terminal (a pty we type into), so it may ask.
        self.master = None
        stdin = subprocess.PIPE
        if tty:
            self.master, stdin = os.openpty()
        self.errpath = os.path.join(
            BUILD, "test-logs", "client-%d-%d.err" %
            (os.getpid(), int(time.monotonic() * 1e6)))
        os.makedirs(os.path.dirname(self.errpath), exist_ok=True)
        self.errf = open(self.errpath, "w+")
        # ip netns exec execs the client: this pid is the client's.
        self.proc = subprocess.Popen(argv, stdin=stdin,
                                     stdout=subprocess.PIPE,
                                     stderr=self.errf, bufsize=0)
        if tty:
            os.close(stdin)
        _clients.append(self)
        self.pid = self.proc.pid
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.raw = b""
        self.partial = b""
        self.lines = []
        self.pos = 0
        self.child = None

    def send(self, line):
        if self.master is None:
            return PlainClient.send(self, line)
        os.write(self.master, line.encode() + b"\n")

    def kill(self):
        PlainClient.kill(self)
        if self.master is not None:
            os.close(self.master)
            self.master = None


class FakeServer:
    """A here-answering peer in s2: garbage, a bad field, then a here
    whose room holds escape sequences, to every discover."""

    ROOM = "\x1b]0;pwned\x07\x1b[2J\u009b1m"

    def __init__(self):
        with netns.InNetns(NS["s2"]):
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("0.0.0.0", PORT))
        self.sock.settimeout(0.1)
        self.stop = threading.Event()
        self.seen = 0
        self.sizes = []
        self.versions = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        here = {"type": "here", "v": 2, "room": self.ROOM, "port": PORT,
                "users": 7}
        bad = dict(here, port="8888")
        while not self.stop.is_set():
            try:
                data, peer = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                o = json.loads(data)
                if o.get("type") != "discover":
                    continue
            except ValueError:
                continue
            self.seen += 1
            # No amplification: a discover is padded to 128 bytes.
            self.sizes.append(len(data))
            self.versions.append(o.get("v"))
            for dg in (b"{not json", json.dumps(bad).encode(),
                       json.dumps(here).encode()):
                self.sock.sendto(dg, peer)

    def close(self):
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


def check_clean(text, what):
    for ch in ("\x1b", "\x07", "\u009b"):
        check(ch not in text, "%s holds %r raw: %r" % (what, ch, text))


def wait_reachable(key, port=PORT, timeout=10.0):
    """A unicast discover from the client namespace is answered: the
    veths and the bridge pass traffic."""
    with netns.InNetns(NS["c"]):
        x = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            x.sendto(b'{"type":"discover","v":2}', (HOST[key], port))
            r, _, _ = select.select([x], [], [], 0.2)
            if r and json.loads(x.recv(2048)).get("type") == "here":
                return
        raise TestFailure("no here from %s:%d within %.0fs" %
                          (HOST[key], port, timeout))
    finally:
        x.close()


def no_server():
    rc, out, err, took = discover_cmd("--plain", "-n", "bob")
    check(rc == 1, "no server: exit 1, not %d" % rc)
    check("no chat server answered a discover on port %d within 1 s" % PORT
          in err and "--server" in err,
          "no server: the message says what to do: %r" % err)
    check(0.9 < took < 2.5, "no server: gave up after about 1 s (%.2fs)" %
          took)
    rc, out, err, took = discover_cmd("--discover")
    check(rc == 1 and out == "", "--discover with no server: exit 1, "
          "nothing listed (exit %d, %r)" % (rc, out))
    check("no chat server answered" in err, "--discover says why: %r" % err)


def one_server(s1):
    alice = client_in("s1", "s1")
    alice.login("alice")
    rc, out, err, _ = discover_cmd("--discover")
    check(rc == 0, "--discover with one server: exit 0, not %d" % rc)
    check(out == "%s:%d\tlab\t1\n" % (HOST["s1"], PORT),
          "--discover lists exactly s1 (address, port, room, users): %r"
          % out)

    bob = NsPlainClient("bob")
    bob.wait_logged_in(timeout=10)
    bob.wait_line(r"-- connected to %s:%d as bob \(room lab\)" %
                  (HOST["s1"].replace(".", r"\."), PORT))
    err = bob.stderr()
    check("found one chat server: %s:%d  #lab  1 user" % (HOST["s1"], PORT)
          in err, "the client says which server it found: %r" % err)
    alice.expect("join", name="bob")
    alice.chat("hello bob")
    bob.wait_line(TIME_RE + r" <alice> hello bob$")
    bob.say("hi alice")
    m = alice.expect("chat", **{"from": "bob"})
    check(m["text"] == "hi alice", "alice got bob's line: %r" % m)
    bob.wait_line(TIME_RE + r" <bob> hi alice$")
    bob.quit(timeout=3)
    alice.expect("leave", name="bob")
    return alice


def two_servers(alice):
    s2 = server_in("s2", "--room", "annex")
    wait_reachable("s2")
    rc, out, err, _ = discover_cmd("--discover")
    check(rc == 0 and out == "%s:%d\tlab\t1\n%s:%d\tannex\t0\n" %
          (HOST["s1"], PORT, HOST["s2"], PORT),
          "--discover lists both servers in address order: %r" % out)
    rc, out, err, _ = discover_cmd("--plain", "-n", "carol")
    check(rc == 2, "two servers, stdin not a terminal: exit 2, not %d" % rc)
    check("--server" in err, "the refusal names --server: %r" % err)
    check("1) %s:%d  #lab  1 user" % (HOST["s1"], PORT) in err and
          "2) %s:%d  #annex  0 users" % (HOST["s2"], PORT) in err,
          "the refusal lists both, numbered: %r" % err)
    check(out == "", "nothing on stdout: %r" % out)
    check(alice.who() == ["alice"], "carol logged in nowhere")
    # A person at a terminal picks one: a wrong number is asked again.
    erin = NsPlainClient("erin", tty=True)
    erin.wait_line(r"^2 chat servers answered:$", timeout=5)
    erin.wait_line(r"^1\) %s:%d  #lab  1 user$" %
                   (HOST["s1"].replace(".", r"\."), PORT))
    erin.wait_line(r"^2\) %s:%d  #annex  0 users$" %
                   (HOST["s2"].replace(".", r"\."), PORT))
    wait_for(lambda: erin.pump(0.05) and
             erin.raw.endswith(b"server (1-2, Enter for 1): "), 5,
             "the question")
    erin.send("9")
    erin.wait_line(r"error: type a number from 1 to 2$")
    erin.send("2")
    erin.wait_logged_in(timeout=10)
    erin.wait_line(r"-- connected to %s:%d as erin \(room annex\)" %
                   (HOST["s2"].replace(".", r"\."), PORT))
    erin.send("/quit")
    erin.wait_exit(3)
    erin.finish()
    os.close(erin.master)
    erin.master = None
    s2.stop()
    # The same server on another port: -p chooses where to look.
    s2 = server_in("s2", "--room", "other", port=9999)
    rc, out, _, _ = discover_cmd("--discover", "-p", "9999")
    check(rc == 0 and out == "%s:9999\tother\t0\n" % HOST["s2"],
          "-p 9999 finds only the server on 9999: %r" % out)
    rc, out, _, _ = discover_cmd("--discover")
    check(rc == 0 and out == "%s:%d\tlab\t1\n" % (HOST["s1"], PORT),
          "port 8888 finds only s1: %r" % out)
    s2.stop()


def fake_server():
    fake = FakeServer()
    try:
        rc, out, err, _ = discover_cmd("--discover")
        check(fake.seen >= 1, "the fake server heard a discover")
        check(min(fake.sizes) >= 128 and set(fake.versions) == {2},
              "each discover is v 2, padded to 128 bytes: %r %r" %
              (fake.sizes, fake.versions))
        check(rc == 0 and out == "%s:%d\tlab\t1\n%s:%d\t%s\t7\n" %
              (HOST["s1"], PORT, HOST["s2"], PORT,
               "^[]0;pwned^G^[[2J\ufffd1m"),
              "the fake is listed once, its room sanitised: %r" % out)
        check_clean(out, "--discover's stdout")
        rc, out, err, _ = discover_cmd("--plain", "-n", "dave")
        check(rc == 2, "two answers: exit 2, not %d" % rc)
        check_clean(err, "the refusal on stderr")
        check("#^[]0;pwned^G" in err, "the room shows sanitised: %r" % err)
    finally:
        fake.close()


def local_server(s1):
    s1.stop()
    sc = server_in("c", "--room", "home")
    try:
        rc, out, err, _ = discover_cmd("--discover")
        check(rc == 0 and out == "%s:%d\thome\t0\n" % (HOST["c"], PORT),
              "a server on the client's host is listed once, under its "
              "LAN address: %r" % out)
    finally:
        sc.stop()


def main():
    netns.require("network namespaces")
    links = ip("-o", "link", "show")
    try:
        try:
            create()
        except TestFailure as e:
            skip("cannot make network namespaces, a bridge and veths: %s" %
                 e)
        log("namespaces: %s" % ", ".join(netns.made))
        check(ip("-o", "link", "show") == links,
              "no interface was made in the test's own namespace")
        no_server()
        s1 = server_in("s1", "--room", "lab", "--heartbeat", "60")
        wait_reachable("s1")
        alice = one_server(s1)
        two_servers(alice)
        fake_server()
        local_server(s1)
    finally:
        for c in list(_clients):
            c.kill()
        netns.destroy()
    check(not netns.listed(TAG),
          "every namespace of this test is gone")


if __name__ == "__main__":
    run(main)
