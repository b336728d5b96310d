"""A classroom client for the server's tests (python3 stdlib only).

Speaks the classroom text protocol of docs/protocol.md the way a
student's program does: "L NAME", "C NAME TEXT", "Q NAME" as UTF-8
datagrams, and reads plain-text lines back. Everything is bytes, so a
test checks exactly what the wire carries.

    from classroomtest import Student
    s = Student(srv.port)
    s.login("小明")                 # L 小明, and the reply must be b"OK"
    s.chat("你好")                  # C 小明 你好
    s.expect("张三 : 大家好")       # the next datagram, byte for byte
    s.quit()                        # Q 小明, and the reply must be b"EXIT"
"""

import select
import socket
import time

from chattest import TestFailure, check


def enc(x):
    return x.encode() if isinstance(x, str) else x


class Student:
    """One UDP socket, as a student's client has (fixed for its life)."""

    def __init__(self, port, host="127.0.0.1"):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.addr = (host, port)
        self.name = None

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendto(enc(data), self.addr)

    def recv(self, timeout=5.0):
        """The next datagram (bytes); fails after timeout."""
        r, _, _ = select.select([self.sock], [], [], timeout)
        if not r:
            raise TestFailure("%s: nothing arrived within %ss" %
                              (self.name, timeout))
        data, _ = self.sock.recvfrom(65536)
        check(len(data) < 1024, "%s: a classroom datagram is under 1024 "
              "bytes: got %d" % (self.name, len(data)))
        return data

    def expect(self, want, timeout=5.0):
        """The next datagram must be exactly want."""
        got = self.recv(timeout)
        check(got == enc(want), "%s: wanted %r, got %r" %
              (self.name, enc(want), got))
        return got

    def expect_none(self, timeout=0.3):
        """Nothing arrives within timeout (use only where a later event
        proves the earlier would have come; prefer a barrier line)."""
        r, _, _ = select.select([self.sock], [], [], timeout)
        if r:
            data, _ = self.sock.recvfrom(65536)
            raise TestFailure("%s: unexpected %r" % (self.name, data))

    def drain(self):
        while select.select([self.sock], [], [], 0)[0]:
            self.sock.recvfrom(65536)

    def login(self, name, reply="OK"):
        self.name = name
        self.send("L " + name)
        return self.expect(reply)

    def chat(self, text, name=None):
        self.send(b"C " + enc(name or self.name) + b" " + enc(text))

    def quit(self):
        self.send("Q " + self.name)
        self.expect("EXIT")


def wait_lines(student, count, timeout=5.0):
    """count datagrams, in order."""
    deadline = time.monotonic() + timeout
    return [student.recv(max(0.01, deadline - time.monotonic()))
            for _ in range(count)]
