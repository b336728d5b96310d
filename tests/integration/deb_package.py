#!/usr/bin/env python3
"""make deb (scripts/mkdeb): lanchat_VERSION_ARCH.deb, built with
dpkg-deb alone, holds the programs, man pages, service units, the
default configuration (a conffile), README.Debian, the changelog and
copyright, and the Wireshark dissector; its control fields name the
libraries the programs link (dpkg-shlibdeps); the packaged programs run
and the shipped server.conf, every example uncommented, is accepted;
lintian finds no error (warnings are logged). Skips without dpkg-dev."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import TOP, check, log, run, skip, wait_until  # noqa: E402

FILES = ("./usr/bin/chat_server", "./usr/bin/chat_client",
         "./usr/share/man/man1/chat_server.1.gz",
         "./usr/share/man/man1/chat_client.1.gz",
         "./lib/systemd/system/chat_server.service",
         "./lib/systemd/system/chat_server@.service",
         "./etc/lanchat/server.conf",
         "./usr/share/doc/lanchat/README.Debian",
         "./usr/share/doc/lanchat/copyright",
         "./usr/share/doc/lanchat/changelog.gz")
LIBS = ("libc6", "libcjson1", "libncursesw6", "libseccomp2", "libicu72")
# Examples that need something this test does not have.
NOT_UNCOMMENTED = ("password-file", "transcript", "user", "port", "bind")


def sh(*argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, check=True,
                          timeout=kw.pop("timeout", 300), **kw).stdout


def fields(deb):
    out = sh("dpkg-deb", "-f", deb)
    return dict(re.findall(r"^(\S+): (.*)$", out, re.M))


def shipped_conf_is_accepted(root, d):
    """The packaged server.conf with its examples uncommented starts the
    packaged server."""
    with open(os.path.join(root, "etc/lanchat/server.conf")) as f:
        text = f.read()
    keys = []
    out = []
    for line in text.splitlines():
        m = re.match(r"#([a-z-]+) = ", line)
        if m and m.group(1) not in NOT_UNCOMMENTED:
            keys.append(m.group(1))
            line = line[1:]
        out.append(line)
    conf = os.path.join(d, "all.conf")
    with open(conf, "w") as f:
        f.write("\n".join(out) + "\n")
    check({"room", "motd", "heartbeat", "history"} <= set(keys),
          "the examples: %r" % keys)
    errpath = os.path.join(d, "err")
    with open(errpath, "w") as errf:
        p = subprocess.Popen([os.path.join(root, "usr/bin/chat_server"),
                              "--config", conf, "-b", "127.0.0.1", "-p", "0"],
                             stdin=subprocess.DEVNULL, stderr=errf)
        try:
            wait_until(lambda: "listening on" in open(errpath).read() or
                       p.poll() is not None, 10, "the packaged server")
            err = open(errpath).read()
            check("listening on 127.0.0.1" in err and "(room lobby," in err,
                  "every example of server.conf is accepted: %r" % err)
        finally:
            p.terminate()
            p.wait(10)


def main():
    for tool in ("dpkg-deb", "dpkg-shlibdeps", "dpkg-buildflags"):
        if shutil.which(tool) is None:
            skip("%s is missing (Debian package dpkg-dev)" % tool)
    with tempfile.TemporaryDirectory() as d:
        out = sh(os.path.join(TOP, "scripts", "mkdeb"), os.path.join(d, "o"),
                 cwd=TOP).strip().splitlines()[-1]
        version = re.search(r'CHAT_SERVER_VERSION\s+"([^"]+)"',
                            open(os.path.join(TOP, "chat_server", "main.c"))
                            .read()).group(1)
        arch = sh("dpkg", "--print-architecture").strip()
        check(os.path.basename(out) == "lanchat_%s_%s.deb" % (version, arch),
              "named lanchat_VERSION_ARCH.deb: %s" % out)
        f = fields(out)
        log("control: %r" % f)
        check(f.get("Package") == "lanchat" and f.get("Version") == version
              and f.get("Architecture") == arch, "package, version, arch")
        for k in ("Maintainer", "Installed-Size", "Section", "Priority",
                  "Description"):
            check(f.get(k), "a %s field" % k)
        deps = [x.strip().split()[0] for x in f.get("Depends", "").split(",")]
        for lib in LIBS:
            check(lib in deps, "Depends names %s: %r" % (lib, f["Depends"]))
        listing = sh("dpkg-deb", "-c", out)
        names = [line.split()[-1] for line in listing.splitlines()]
        for want in FILES:
            check(want in names, "the package holds %s" % want)
        if os.path.exists(os.path.join(TOP, "contrib/wireshark/lanchat.lua")):
            check("./usr/share/lanchat/wireshark/lanchat.lua" in names,
                  "and the Wireshark dissector")
        check(all(" root/root " in line for line in listing.splitlines()),
              "every file is root's")
        ctl = os.path.join(d, "ctl")
        sh("dpkg-deb", "-e", out, ctl)
        with open(os.path.join(ctl, "conffiles")) as c:
            check(c.read().split() == ["/etc/lanchat/server.conf"],
                  "server.conf is a conffile")
        root = os.path.join(d, "root")
        sh("dpkg-deb", "-x", out, root)
        with open(os.path.join(root, "lib/systemd/system/chat_server.service"
                               )) as u:
            check("ExecStart=/usr/bin/chat_server --config "
                  "/etc/lanchat/server.conf" in u.read(),
                  "the unit runs the packaged program and config")
        v = sh(os.path.join(root, "usr/bin/chat_server"), "-V")
        check(version in v, "the packaged server runs: %r" % v)
        shipped_conf_is_accepted(root, d)
        if shutil.which("lintian") is None:
            log("lintian is missing: the package is not linted")
            return
        p = subprocess.run(["lintian", "--tag-display-limit", "0", out],
                           capture_output=True, text=True, timeout=300)
        tags = [x for x in p.stdout.splitlines() if re.match(r"[EWIPX]: ", x)]
        for t in tags:
            log("lintian: " + t)
        errors = [t for t in tags if t.startswith("E: ")]
        check(not errors, "lintian reports no error: %r" % errors)


run(main)
