"""A classroom-style chat server for the tests (python3 stdlib only).

Written for these tests from the protocol's description (docs/protocol.md,
"Classroom text protocol"): one UDP socket, a table of name -> address,
plain-text lines. It can speak the variants found in course copies, so
chat_client --classroom is tested against each:

    taken="该用户存在"        the refusal without 已
    newline=True              notices (welcome, left, admin) start with "\\n"
    form="name: text"         or "name 说: text" (default "name : text")
    exit="exit"               the quit reply in lower case
    echo=True                 a chat goes back to its sender too

    srv = ClassroomServer(form="name 说: text")   # a thread on 127.0.0.1
    srv.port; srv.received                         # every datagram, bytes
    srv.wait_received(b"L alice")                  # polls, with a deadline
    srv.join("张三"); srv.say("张三", "你好")      # a student who is not a
    srv.broadcast(b"raw bytes")                    #  socket: lines to all
    srv.stop()

Run it alone to try a client by hand:
    python3 tests/lib/classroomserver.py [--port 9999] [--echo] ...
"""

import argparse
import socket
import threading
import time

from chattest import TestFailure

FORMS = {
    "name : text": "{name} : {text}",
    "name: text": "{name}: {text}",
    "name 说: text": "{name} 说: {text}",
}


class ClassroomServer:
    def __init__(self, port=0, host="127.0.0.1", taken="该用户已存在",
                 newline=False, form="name : text", exit="EXIT",
                 echo=False):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, port))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.taken = taken
        self.newline = newline
        self.form = FORMS[form]
        self.exit = exit
        self.echo = echo
        self.users = {}          # name -> address (None: no socket)
        self.received = []       # every datagram that arrived, in order
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    # ---- what a student's server does ----

    def _loop(self):
        while self.running:
            try:
                data, addr = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.received.append(data)
                self._handle(data, addr)

    def _handle(self, data, addr):
        try:
            msg = data.decode()
        except UnicodeDecodeError:
            return
        cmd, _, rest = msg.partition(" ")
        if cmd == "L":
            if rest in self.users:
                self._send(self.taken, addr)
                return
            self._send("OK", addr)
            self._notice("欢迎%s进入聊天室" % rest, rest)
            self.users[rest] = addr
        elif cmd == "C":
            name, _, text = rest.partition(" ")
            if self.users.get(name) != addr:
                return
            self._to_all(self.form.format(name=name, text=text),
                         None if self.echo else name)
        elif cmd == "Q":
            if self.users.get(rest) != addr:
                return
            self._send(self.exit, addr)
            del self.users[rest]
            self._notice("%s退出了聊天室" % rest, None)

    def _send(self, line, addr):
        if addr is not None:
            self.sock.sendto(line.encode() if isinstance(line, str)
                             else line, addr)

    def _to_all(self, line, skip):
        for name, addr in list(self.users.items()):
            if name != skip:
                self._send(line, addr)

    def _notice(self, line, skip):
        self._to_all(("\n" if self.newline else "") + line, skip)

    # ---- what a test does ----

    def join(self, name):
        """A student without a socket (the test speaks for it)."""
        with self.lock:
            self._notice("欢迎%s进入聊天室" % name, name)
            self.users[name] = None

    def say(self, name, text):
        with self.lock:
            self._to_all(self.form.format(name=name, text=text), name)

    def leave(self, name):
        with self.lock:
            del self.users[name]
            self._notice("%s退出了聊天室" % name, None)

    def admin(self, text):
        with self.lock:
            self._notice("管理员消息 : %s" % text, None)

    def broadcast(self, data):
        with self.lock:
            self._to_all(data, None)

    def has(self, data):
        with self.lock:
            return data in self.received

    def wait_received(self, data, timeout=5.0):
        """Polls until the datagram data (bytes or str) has arrived."""
        if isinstance(data, str):
            data = data.encode()
        deadline = time.monotonic() + timeout
        while not self.has(data):
            if time.monotonic() > deadline:
                with self.lock:
                    got = list(self.received)
                raise TestFailure("%r did not arrive within %ss; got %r"
                                     % (data, timeout, got))
            time.sleep(0.01)

    def online(self, name):
        with self.lock:
            return name in self.users

    def stop(self):
        self.running = False
        self.thread.join(2)
        self.sock.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=9999)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--taken", default="该用户已存在")
    p.add_argument("--newline", action="store_true")
    p.add_argument("--form", default="name : text", choices=sorted(FORMS))
    p.add_argument("--exit", default="EXIT")
    p.add_argument("--echo", action="store_true")
    a = p.parse_args()
    srv = ClassroomServer(a.port, a.host, a.taken, a.newline, a.form,
                          a.exit, a.echo)
    print("classroom server on %s %d" % (a.host, srv.port), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()


if __name__ == "__main__":
    main()
