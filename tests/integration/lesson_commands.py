#!/usr/bin/env python3
"""Every command of docs/lesson.md, run as a class would, in its order,
against the real build on loopback; and what each is said to do is
checked.

The lesson marks each step with an HTML comment (invisible when
rendered), "<!-- lesson: ROLE key=value ... -->", before its fenced
block:

  run [expect=RE]          the ```sh block runs to its end, exit 0; its
                           output matches RE (multi-line) if given
  background name=N [ready=RE] [file=F] [probe=1]
                           the ```sh block starts and keeps running (a
                           terminal of its own); ready when its output
                           (or file F) matches RE; probe: an empty
                           datagram to the server's port every 0.2 s
                           until then (a capture is live only once it
                           has seen one)
  type into=N              the ```text block's lines are typed into N
  check in=N text=RE [count=K | fewer=K]
                           (no block) N's output gets K lines matching
                           RE (default 1), or has fewer than K
  end name=N [lossy=1]     (no block) end of input (Ctrl-D) for N, which
                           then exits; lossy: it may hang on a lost
                           datagram, and is then killed
  ctrl-c name=N [probe=1]  (no block) Ctrl-C in N's terminal; probe: a
                           capture, which drops what the kernel still
                           holds when stopped, so first an empty
                           datagram every 0.2 s until it prints a new one
                           (all before it has been seen then)
  netns [expect=RE]        like run, in a network namespace the test
                           names, and removes afterwards
  need=capture             (any role) needs packet capture

Every ```sh block must be marked. Substitutions, so that parallel tests
do not collide and nothing leaves loopback: ports 8888 and 9999 become
free ports; chat_server gets -b 127.0.0.1 and -p (its default
port is 8888); a tshark that reads the
capture gets the dissector's port preference; the namespace "lesson"
gets a name of this run; "sudo " is dropped when the test runs as root.
The namespace block is lesson_netem.py's (LESSON_PART=netns), which
skips where this user may not add a namespace or the kernel has no
netem; steps that need a capture are skipped (exit 77 at the end, once
every other step passed, saying which) when this user may not capture.
The commands run in a temporary folder with build, contrib and tests
linked to the project's. Every process started is ended at the end.
"""
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import (BUILD, TOP, TestFailure, check, free_port, log,  # noqa
                      run, wait_until)

LESSON = os.path.join(TOP, "docs", "lesson.md")
MARK = re.compile(r"<!-- lesson: (.*?) -->")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
ROLES = {"run", "background", "type", "check", "end", "ctrl-c", "netns"}
BLOCK_ROLES = {"run": "sh", "background": "sh", "type": "text",
               "netns": "sh"}


def steps(text):
    """(role, attrs, block text or None), in the lesson's order."""
    out = []
    marked = set()
    for m in MARK.finditer(text):
        words = shlex.split(m.group(1))
        role, attrs = words[0], dict(w.split("=", 1) for w in words[1:])
        check(role in ROLES, "a known role: %r" % m.group(0))
        block = None
        if role in BLOCK_ROLES:
            f = FENCE.search(text, m.end())
            check(f is not None and text[m.end():f.start()].strip() == "",
                  "a block right after %r" % m.group(0))
            check(f.group(1) == BLOCK_ROLES[role], "a ```%s block after %r"
                  % (BLOCK_ROLES[role], m.group(0)))
            block = f.group(2)
            marked.add(f.start())
        out.append((role, attrs, block))
    for f in FENCE.finditer(text):
        check(f.group(1) != "sh" or f.start() in marked,
              "every ```sh block is run by this test: %r" % f.group(2))
    return out


class Lesson:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="lesson-")
        for name, target in (("build", BUILD),
                             ("contrib", os.path.join(TOP, "contrib")),
                             ("tests", os.path.join(TOP, "tests"))):
            os.symlink(target, os.path.join(self.dir, name))
        self.p1, self.p2 = free_port(), free_port()
        self.ns = "lesson-%d" % os.getpid()
        self.ns_made = False
        self.procs = {}         # name -> (Popen, output path)
        self.root = os.geteuid() == 0
        self.skipped = []
        self.can_capture = self._can_capture()
        self.can_netns = self._can_netns()

    def _can_capture(self):
        if shutil.which("tshark") is None:
            return False
        r = subprocess.run(["dumpcap", "-D"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=20)
        return r.returncode == 0 and b"lo" in r.stdout

    def _can_netns(self):
        self.netns_why = "ip netns add is not permitted"
        if not self.root or shutil.which("ip") is None:
            return False
        r = subprocess.run(["ip", "netns", "add", self.ns],
                           stderr=subprocess.DEVNULL, timeout=10)
        if r.returncode != 0:
            return False
        # A kernel without sch_netem cannot run the block either.
        r = subprocess.run(["ip", "netns", "exec", self.ns, "tc", "qdisc",
                            "add", "dev", "lo", "root", "netem", "loss",
                            "1%"], stderr=subprocess.PIPE, timeout=10)
        subprocess.run(["ip", "netns", "del", self.ns], timeout=10)
        if r.returncode != 0:
            self.netns_why = "tc netem: %s" % r.stderr.decode().strip()
            return False
        return True

    def subst(self, cmd):
        cmd = cmd.replace("8888", str(self.p1)).replace("9999", str(self.p2))
        cmd = re.sub(r"\bbuild/chat_server\b",
                     "build/chat_server -b 127.0.0.1 -p %d" % self.p1, cmd)
        cmd = re.sub(r"(tshark -r \S+)", r"\1 -o lanchat.port:%d" % self.p1,
                     cmd)
        cmd = re.sub(r"\blesson\b", self.ns, cmd)
        if self.root:
            cmd = re.sub(r"\bsudo ", "", cmd)
        return cmd

    def out(self, name):
        with open(self.procs[name][1], encoding="utf-8",
                  errors="replace") as f:
            return f.read()

    def step(self, role, a, block):
        # The netem block needs a kernel with sch_netem; lesson_netem.py
        # runs it alone (LESSON_PART=netns), so that a kernel without it
        # skips that test and this one still runs every other block.
        if (role == "netns") != (PART == "netns"):
            return
        need = a.get("need")
        if need == "capture" and not self.can_capture:
            self.skipped.append("%s %s (no permission to capture)" %
                                (role, a.get("name", "")))
            return
        getattr(self, "do_" + role.replace("-", "_"))(a, block)

    def do_run(self, a, block):
        cmd = self.subst(block)
        log("run: " + cmd.splitlines()[0])
        r = subprocess.run(["bash", "-e", "-c", cmd], cwd=self.dir,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
        text = r.stdout.decode("utf-8", "replace")
        check(r.returncode == 0, "%r exits 0, not %d: %s" %
              (cmd, r.returncode, text[-2000:]))
        if "expect" in a:
            check(re.search(a["expect"], text, re.M),
                  "%r prints /%s/: %s" % (cmd, a["expect"], text[-3000:]))

    def do_netns(self, a, block):
        if not self.can_netns:
            self.skipped.append("netns (%s)" % self.netns_why)
            return
        self.ns_made = True
        self.do_run(a, block)

    def do_background(self, a, block):
        name, cmd = a["name"], self.subst(block.strip())
        log("background %s: %s" % (name, cmd))
        path = os.path.join(self.dir, "%s.out" % name)
        f = open(path, "w")
        p = subprocess.Popen(["bash", "-c", "exec " + cmd], cwd=self.dir,
                             stdin=subprocess.PIPE, stdout=f,
                             stderr=subprocess.STDOUT,
                             start_new_session=True)
        self.procs[name] = (p, path)
        if "ready" not in a:
            return
        src = os.path.join(self.dir, a["file"]) if "file" in a else path

        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        last = [0.0]

        def ready():
            if a.get("probe") == "1" and time.monotonic() - last[0] > 0.2:
                last[0] = time.monotonic()
                probe.sendto(b"", ("127.0.0.1", self.p1))
            check(p.poll() is None, "%s still runs (exit %s): %s" %
                  (name, p.returncode, self.out(name)[-2000:]))
            try:
                with open(src, encoding="utf-8", errors="replace") as g:
                    return re.search(a["ready"], g.read())
            except FileNotFoundError:
                return None
        try:
            wait_until(ready, 20, "%s to print /%s/" % (name, a["ready"]))
        finally:
            probe.close()

    def do_type(self, a, block):
        p = self.procs[a["into"]][0]
        for line in block.splitlines():
            p.stdin.write((line + "\n").encode())
            p.stdin.flush()

    def do_check(self, a, block):
        rx = re.compile(a["text"], re.M)
        name = a["in"]
        if "fewer" in a:
            n = len(rx.findall(self.out(name)))
            check(n < int(a["fewer"]), "%s has fewer than %s lines /%s/: %d"
                  % (name, a["fewer"], a["text"], n))
            log("%s: %d lines /%s/" % (name, n, a["text"]))
            return
        want = int(a.get("count", "1"))
        wait_until(lambda: len(rx.findall(self.out(name))) >= want, 30,
                   "%d lines /%s/ in %s's output" % (want, a["text"], name))

    def do_end(self, a, block):
        p = self.procs[a["name"]][0]
        p.stdin.close()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            check(a.get("lossy") == "1", "%s exits after end of input: %s"
                  % (a["name"], self.out(a["name"])[-2000:]))
            self.kill(p)

    def do_ctrl_c(self, a, block):
        p = self.procs[a["name"]][0]
        if a.get("probe") == "1":
            self.drain(a["name"])
        p.send_signal(signal.SIGINT)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            raise TestFailure("%s did not stop on Ctrl-C" % a["name"])

    def drain(self, name):
        seen = self.out(name).count("Len=0")
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        last = [0.0]

        def more():
            if time.monotonic() - last[0] > 0.2:
                last[0] = time.monotonic()
                probe.sendto(b"", ("127.0.0.1", self.p1))
            return self.out(name).count("Len=0") > seen
        try:
            wait_until(more, 20, "%s to see a new probe" % name)
        finally:
            probe.close()

    def kill(self, p):
        if p.poll() is None:
            p.kill()
            p.wait(10)

    def close(self):
        for p, _ in self.procs.values():
            self.kill(p)
        if self.ns_made:
            subprocess.run(["ip", "netns", "del", self.ns], timeout=10)
        if os.environ.get("LESSON_KEEP") is None:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            log("kept " + self.dir)


PART = os.environ.get("LESSON_PART", "main")


def main():
    with open(LESSON, encoding="utf-8") as f:
        todo = steps(f.read())
    lesson = Lesson()
    try:
        for role, a, block in todo:
            lesson.step(role, a, block)
        check(not lesson.ns_made or subprocess.run(
            ["ip", "netns", "del", lesson.ns], timeout=10).returncode == 0,
            "the namespace is removed")
        lesson.ns_made = False
        check(lesson.ns not in subprocess.run(
            ["ip", "netns", "list"], stdout=subprocess.PIPE,
            timeout=10).stdout.decode(), "no namespace is left")
    finally:
        lesson.close()
    if lesson.skipped:
        print("skipped: " + "; ".join(lesson.skipped), flush=True)
        sys.exit(77)


run(main)
