"""chat_bench runs end to end with tiny numbers: it starts the server in
CHAT_BUILD, logs 5 clients in, sends 200 chats, stops the server, and
reports every figure with no lost or duplicated delivery; by default the
server runs with --no-rate-limit and the senders are unpaced, and
--rate-limited keeps the limit and paces them. No timing is asserted: a
benchmark's speed is never a test verdict. It also checks that a
non-loopback --server is refused with exit status 2 before any datagram
is sent."""

import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import BUILD, SANITIZER_MARKS, check, log, run, skip  # noqa: E402

BENCH = os.path.join(BUILD, "chat_bench")
SERVER = os.path.join(BUILD, "chat_server")

# Every line a reader of the figures relies on.
FIGURES = ("complete", "logins", "messages/s", "deliveries/s", "latency us",
           "deliveries", "lost deliveries", "dup deliveries",
           "retransmits seen", "request resends", "slow_down errors",
           "rate limit", "pacing", "server RSS", "memory/session", "CPU",
           "kernel UDP", "socket drops", "bench reads", "ceiling")


def figure(out, name):
    m = re.search(r"^  %s +(.*)$" % re.escape(name), out, re.M)
    check(m is not None, "no '%s' line in:\n%s" % (name, out))
    return m.group(1)


def main():
    if not os.access(BENCH, os.X_OK) or not os.access(SERVER, os.X_OK):
        skip("no %s or %s: build them first" % (BENCH, SERVER))

    p = subprocess.run([BENCH, "--server", "192.0.2.1:8888"],
                       capture_output=True, text=True, timeout=10)
    check(p.returncode == 2, "non-loopback --server exit %d, wanted 2" %
          p.returncode)
    check("loopback" in p.stderr, "refusal says why: %r" % p.stderr)

    argv = [BENCH, "--server-bin", SERVER, "-n", "5", "-s", "5", "-w", "4",
            "-m", "200", "--timeout", "20", "--limit-time", "1"]
    log("running", " ".join(argv))
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    log(p.stdout)
    log(p.stderr)
    check(p.returncode == 0, "chat_bench exit %d" % p.returncode)
    for mark in SANITIZER_MARKS:
        check(mark not in p.stderr, "sanitizer report:\n" + p.stderr)
    out = p.stdout
    for name in FIGURES:
        figure(out, name)
    check(figure(out, "complete").startswith("yes"), "run complete")
    check(figure(out, "logins").startswith("5 of 5"), "all 5 logged in")
    check(figure(out, "deliveries") == "800", "200 chats x 4 receivers")
    check(figure(out, "lost deliveries").startswith("0 "), "no loss")
    check(figure(out, "dup deliveries") == "0", "no duplicates")
    check(re.match(r"p50 \d+  p90 \d+  p99 \d+  max \d+",
                   figure(out, "latency us")), "latency percentiles")
    check(figure(out, "rate limit").startswith("off"), "no limit by default")
    check(figure(out, "pacing") == "off", "unpaced by default")
    check(re.match(r"\d+ during the load .*; \d+ at login, \d+ at quit",
                   figure(out, "retransmits seen")), "retransmits per phase")
    check(re.match(r"load: server socket \d+, client sockets \d+; "
                   r"login \d+/\d+, quit \d+/\d+",
                   figure(out, "socket drops")), "drops per phase")

    # The server's limit kept: 200 chats from 5 paced senders take ~3 s.
    p = subprocess.run(argv + ["--rate-limited"], capture_output=True,
                       text=True, timeout=120)
    log(p.stdout)
    log(p.stderr)
    check(p.returncode == 0, "chat_bench --rate-limited exit %d" %
          p.returncode)
    out = p.stdout
    check(figure(out, "rate limit").startswith("ON"), "limit kept")
    check(figure(out, "pacing").startswith("20 burst, 10/s"), "paced")
    check(figure(out, "complete").startswith("yes"), "limited run complete")
    check(figure(out, "deliveries") == "800", "limited: 800 deliveries")
    check(figure(out, "lost deliveries").startswith("0 "), "limited: no loss")

    p = subprocess.run(argv + ["--json"], capture_output=True, text=True,
                       timeout=120)
    check(p.returncode == 0, "chat_bench --json exit %d" % p.returncode)
    runs = json.loads(p.stdout)["runs"]
    check(len(runs) == 1 and runs[0]["lost"] == 0 and
          runs[0]["deliveries"] == 800 and
          runs[0]["rate_limited"] is False, "json figures: %r" % runs)


run(main)
