"""Network namespaces a test makes for itself, never touching the one it
runs in: ip(8) that fails the test with its own words, a register of the
namespaces made, destroy() that ends what still runs in them and deletes
them (their veths and bridges go with them), InNetns to make sockets
inside one, and require() that skips the test (exit 77) on a machine
where it cannot make any."""

import atexit
import ctypes
import os
import shutil
import signal
import subprocess
import sys

from chattest import TestFailure, skip

CLONE_NEWNET = 0x40000000

_libc = ctypes.CDLL(None, use_errno=True)
made = []           # namespaces created, deleted by destroy()


def ip(*args, timeout=10):
    """Runs ip(8) and returns its output; fails the test on an error."""
    p = subprocess.run(["ip"] + list(args), capture_output=True,
                       timeout=timeout)
    if p.returncode != 0:
        raise TestFailure("ip %s: %s" % (" ".join(args),
                                         p.stderr.decode(errors="replace")
                                         .strip()))
    return p.stdout.decode(errors="replace")


def add(ns):
    """A new namespace ns with its loopback up, registered for destroy."""
    ip("netns", "add", ns)
    made.append(ns)
    ip("-n", ns, "link", "set", "lo", "up")


def destroy():
    """Ends what still runs in our namespaces, then deletes them.
    Idempotent; never fails."""
    for ns in list(made):
        try:
            pids = subprocess.run(["ip", "netns", "pids", ns],
                                  capture_output=True, timeout=5).stdout
            for pid in pids.split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
        except (OSError, subprocess.SubprocessError):
            pass
    for ns in list(made):
        try:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True,
                           timeout=10)
        except (OSError, subprocess.SubprocessError):
            pass
        made.remove(ns)


def listed(tag):
    """The namespaces ip(8) lists whose name holds tag."""
    out = subprocess.run(["ip", "netns", "list"],
                         capture_output=True).stdout.decode()
    return [line for line in out.splitlines() if tag in line]


def require(what):
    """Skips unless this process may make namespaces; then arranges for
    destroy() at exit and on SIGTERM."""
    if os.geteuid() != 0:
        skip("not root: making %s needs CAP_SYS_ADMIN" % what)
    if shutil.which("ip") is None:
        skip("no ip(8) (iproute2) to make %s with" % what)
    signal.signal(signal.SIGTERM, lambda s, f: sys.exit(1))
    atexit.register(destroy)


class InNetns:
    """with InNetns(ns): sockets made inside belong to ns."""

    def __init__(self, ns):
        self.ns = ns

    def __enter__(self):
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        fd = os.open("/run/netns/" + self.ns, os.O_RDONLY)
        try:
            if _libc.setns(fd, CLONE_NEWNET) != 0:
                raise TestFailure("setns %s: %s" %
                                  (self.ns, os.strerror(ctypes.get_errno())))
        finally:
            os.close(fd)

    def __exit__(self, *exc):
        rc = _libc.setns(self.home, CLONE_NEWNET)
        os.close(self.home)
        if rc != 0:
            raise TestFailure("cannot return to the test's namespace")
