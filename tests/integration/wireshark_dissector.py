#!/usr/bin/env python3
"""contrib/wireshark/lanchat.lua decodes what the wire carries.

Writes a pcap of known datagrams (client 127.0.0.1:40000 <-> server
127.0.0.1:8888, both ways, and one pair on port 9999), runs tshark with
the dissector and checks every decoded field of every packet exactly,
the Info column and the details of a few, with the port preference
changed, with the plugin installed in a home folder, as root and (when
run as root) as nobody, and that no datagram (malformed JSON, bad UTF-8,
garbage, every field with every JSON kind) raises a Lua error. Skips
only if tshark is not installed.

    python3 tests/integration/wireshark_dissector.py --show   # the table
"""

import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

TOP = os.environ.get("CHAT_TOP") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
LUA = os.path.join(TOP, "contrib", "wireshark", "lanchat.lua")

CLIENT = 40000
TOKEN = "0123456789abcdef0123456789abcdef"
COOKIE = "1764100000.9f86d081884c7d659a2feaa0c55ad015"
PROOF = "a" * 64
RUN = "00c0ffee12345678"

# Fields asked of tshark, in this order; "info" is the Info column.
FIELDS = ["type", "seq", "id", "token", "name", "from", "to", "text",
          "code", "reason", "mid", "run", "cookie", "next_id", "upto",
          "seqs", "action", "history", "proof", "pad", "users", "user",
          "caps", "topic", "ts", "v", "port", "cid", "msgs", "classroom",
          "unknown", "info", "expert", "group"]

# Expert info groups as tshark prints them (epan/proto.h).
MALFORMED = str(0x07000000)
PROTOCOL = str(0x09000000)
BAD_UTF8 = "Not valid UTF-8 (the server answers bad_utf8)"

# (direction, payload, {field: expected}); "up" is client -> server.
# Fields not named must be empty; "expert" is the expert infos'
# messages, "," between them.
PACKETS = [
    ("up", b'{"type":"login","v":2,"name":"alice","cid":"0011223344556677",'
     b'"caps":["batch"],"pad":"' + b" " * 60 + b'"}',
     {"type": "login", "name": "alice", "v": "2",
      "cid": "0011223344556677", "caps": "batch", "pad": "60",
      "info": "login alice"}),
    ("down", b'{"type":"cookie","cookie":"' + COOKIE.encode() + b'"}',
     {"type": "cookie", "cookie": COOKIE, "info": "cookie"}),
    ("up", ('{"type":"login","v":2,"name":"alice","cookie":"%s",'
            '"proof":"%s"}' % (COOKIE, PROOF)).encode(),
     {"type": "login", "name": "alice", "v": "2", "cookie": COOKIE,
      "proof": "1", "info": "login alice (with cookie, proof)"}),
    ("down", ('{"type":"welcome","name":"alice","token":"%s",'
              '"users":["alice","bob"],"heartbeat":5,"room":"lab",'
              '"run":"%s","next_id":7,"topic":"exam at 10",'
              '"caps":["batch"]}' % (TOKEN, RUN)).encode(),
     {"type": "welcome", "name": "alice", "token": TOKEN, "run": RUN,
      "next_id": "7", "users": "2", "user": "alice,bob",
      "topic": "exam at 10", "caps": "batch",
      "info": "welcome alice (2 online next_id=7)"}),
    ("up", ('{"type":"chat","token":"%s","id":7,"text":"waves",'
            '"action":true}' % TOKEN).encode(),
     {"type": "chat", "token": TOKEN, "id": "7", "text": "waves",
      "action": "1", "info": "chat id=7 * waves"}),
    ("down", '{"type":"chat","seq":12,"ts":1764100000123,"mid":41,'
     '"from":"bob","text":"你好 \\"世界\\"\\u00e9","history":true}'.encode(),
     {"type": "chat", "seq": "12", "mid": "41", "from": "bob",
      "text": '你好 "世界"é', "history": "1", "ts": "1764100000123",
      "info": 'chat seq=12 history bob: 你好 "世界"é'}),
    ("up", ('{"type":"ack","token":"%s","seq":12}' % TOKEN).encode(),
     {"type": "ack", "token": TOKEN, "seq": "12", "info": "ack seq=12"}),
    ("up", ('{"type":"ack","token":"%s","upto":12,"seqs":[14,15]}'
            % TOKEN).encode(),
     {"type": "ack", "token": TOKEN, "upto": "12", "seqs": "14,15",
      "info": "ack upto=12 seqs=14,15"}),
    ("down", b'{"type":"ack","id":7}',
     {"type": "ack", "id": "7", "info": "ack id=7"}),
    ("down", b'{"type":"batch","msgs":[{"type":"chat","seq":13,'
     b'"ts":1764100000200,"mid":42,"from":"bob","text":"one"},'
     b'{"type":"chat","seq":14,"ts":1764100000300,"mid":43,"from":"carol",'
     b'"text":"two","action":true}]}',
     {"type": "batch,chat,chat", "seq": "13,14", "mid": "42,43",
      "from": "bob,carol", "text": "one,two", "action": "1",
      "ts": "1764100000200,1764100000300", "msgs": "2",
      "info": "batch of 2: chat seq=13 bob: one; "
              "chat seq=14 * carol two"}),
    ("up", ('{"type":"quit","token":"%s","text":"see you"}'
            % TOKEN).encode(),
     {"type": "quit", "token": TOKEN, "text": "see you",
      "info": "quit: see you"}),
    ("down", b'{"type":"leave","seq":15,"ts":1764100000400,"name":"bob",'
     b'"reason":"quit","text":"bye all"}',
     {"type": "leave", "seq": "15", "name": "bob", "reason": "quit",
      "text": "bye all", "ts": "1764100000400",
      "info": "leave seq=15 bob (quit): bye all"}),
    ("down", b'{"type":"topic","seq":16,"ts":1764100000500,'
     b'"text":"lab 3"}',
     {"type": "topic", "seq": "16", "text": "lab 3",
      "ts": "1764100000500", "info": "topic seq=16: lab 3"}),
    ("down", b'{"type":"topic","seq":17,"ts":1764100000600}',
     {"type": "topic", "seq": "17", "ts": "1764100000600",
      "info": "topic seq=17 cleared"}),
    ("down", b'{"type":"error","code":"slow_down","id":9,'
     b'"text":"too fast","x":[1]}',
     {"type": "error", "code": "slow_down", "id": "9", "text": "too fast",
      "unknown": "x", "info": "error slow_down id=9: too fast"}),
    # JSON escapes (a surrogate pair, a lone one, NUL) and a text too
    # long for the Info column.
    ("down", b'{"type":"announce","seq":18,"ts":1764100000700,"mid":44,'
     b'"text":"x\\ud83d\\ude00\\/\\u00e9\\udc00\\u0000z' + b"-" * 60 + b'"}',
     {"type": "announce", "seq": "18", "mid": "44", "ts": "1764100000700",
      "text": "x\U0001f600/\u00e9\ufffd\ufffdz" + "-" * 60,
      "info": "announce seq=18: x\U0001f600/\u00e9\ufffd\ufffdz" + "-" * 53 +
              "\u2026"}),
    # 1400 bytes is fine; 1401 is decoded, and flagged.
    ("up", ('{"type":"chat","token":"%s","id":8,"text":"%s"}' %
            (TOKEN, "x" * 1325)).encode(),
     {"type": "chat", "token": TOKEN, "id": "8", "text": "x" * 1325,
      "info": "chat id=8: " + "x" * 60 + "\u2026"}),
    ("up", ('{"type":"chat","token":"%s","id":9,"text":"%s"}' %
            (TOKEN, "x" * 1326)).encode(),
     {"type": "chat", "token": TOKEN, "id": "9", "text": "x" * 1326,
      "info": "chat id=9: " + "x" * 60 + "\u2026",
      "expert": "Over 1400 bytes (the server answers too_long)",
      "group": MALFORMED}),
    # Malformed: cut short, a wrong type, not an object, no type.
    ("up", b'{"type":"chat","token":"' + TOKEN.encode() + b'","id":3,"te',
     {"info": "malformed JSON: string not closed",
      "expert": "not valid JSON: string not closed (the server answers "
                "bad_json)", "group": MALFORMED}),
    ("up", b'{"type":"chat","token":"' + TOKEN.encode() +
     b'","id":"3","text":"x"}',
     {"type": "chat", "token": TOKEN, "text": "x",
      "info": "chat: x",
      "expert": "bad_field: id should be a whole number, 0 or more, "
                "below 2^53", "group": PROTOCOL}),
    # Numbers: over 32 bits, and not whole numbers below 2^53.
    ("down", b'{"type":"here","v":99999999999,"room":"r","port":4294967296,'
     b'"users":5000000000}',
     {"type": "here", "v": "99999999999", "port": "4294967296",
      "users": "5000000000", "info": "here r port=4294967296 "
      "users=5000000000"}),
    ("down", b'{"type":"join","seq":9007199254740992,"ts":-1,"name":"x",'
     b'"heartbeat":1.5}',
     {"type": "join", "name": "x", "info": "join x",
      "expert": ",".join("bad_field: %s should be a whole number, 0 or "
                         "more, below 2^53" % k
                         for k in ("seq", "ts", "heartbeat")),
      "group": ",".join([PROTOCOL] * 3)}),
    ("up", b'[1,2,{"a":[[[{}]]]}] ',
     {"info": "malformed: an array, not an object",
      "expert": "not a JSON object (the server answers bad_json)",
      "group": MALFORMED}),
    ("up", b'{"type":"who","token":"' + TOKEN.encode() + b'"}{',
     {"info": "malformed JSON: data after the JSON value",
      "expert": "not valid JSON: data after the JSON value (the server "
                "answers bad_json)", "group": MALFORMED}),
    ("up", b'{"type":"ping","a":' + b'[' * 100 + b']' * 100 + b'}',
     {"info": "malformed JSON: nested too deep",
      "expert": "not valid JSON: nested too deep (the server answers "
                "bad_json)", "group": MALFORMED}),
    ("up", b'{"type":7}',
     {"info": "malformed: no string type",
      "expert": "bad_field: type should be a string,no string type (the "
                "server answers bad_json)",
      "group": PROTOCOL + "," + MALFORMED}),
    # Invalid UTF-8 in a name: shown as U+FFFD, flagged.
    ("up", b'{"type":"login","v":2,"name":"car\xc3ol"}',
     {"type": "login", "v": "2", "name": "car\ufffdol",
      "info": "login car\ufffdol [bad UTF-8]",
      "expert": BAD_UTF8, "group": MALFORMED}),
    ("up", b'hello',
     {"info": "malformed JSON: unexpected character",
      "expert": "not valid JSON: unexpected character (the server answers "
                "bad_json)", "group": MALFORMED}),
    # The classroom text protocol.
    ("up", "L 张三".encode(),
     {"classroom": "login", "name": "张三", "info": "classroom login 张三"}),
    ("down", b"OK", {"classroom": "ok", "info": "classroom OK (logged in)"}),
    ("up", "C 张三 你好  世界".encode(),
     {"classroom": "chat", "name": "张三", "text": "你好  世界",
      "info": "classroom chat 张三: 你好  世界"}),
    ("up", "L 李四".encode(),
     {"classroom": "login", "name": "李四", "info": "classroom login 李四"}),
    ("down", "该用户已存在".encode(),
     {"classroom": "taken", "info": "classroom 该用户已存在 (name taken)"}),
    ("down", "bob : hi : there".encode(),
     {"classroom": "chat", "name": "bob", "text": "hi : there",
      "info": "classroom chat bob: hi : there"}),
    ("down", "欢迎bob进入聊天室".encode(),
     {"classroom": "join", "name": "bob", "info": "classroom join bob"}),
    ("down", "bob退出了聊天室".encode(),
     {"classroom": "leave", "name": "bob", "info": "classroom leave bob"}),
    ("down", "管理员消息 : exam at 10".encode(),
     {"classroom": "announce", "text": "exam at 10",
      "info": "classroom announce: exam at 10"}),
    ("up", "Q 张三".encode(),
     {"classroom": "quit", "name": "张三", "info": "classroom quit 张三"}),
    ("down", b"EXIT",
     {"classroom": "exit", "info": "classroom EXIT (quit done)"}),
    ("up", b"C \xe5\xbc\xa0 a\xffb",
     {"classroom": "chat", "name": "张", "text": "a\ufffdb",
      "info": "classroom chat 张: a\ufffdb [bad UTF-8]",
      "expert": BAD_UTF8, "group": MALFORMED}),
    # A classroom line the client sends is not a reply from the server.
    ("down", "L 张三".encode(),
     {"info": "malformed JSON: unexpected character",
      "expert": "not valid JSON: unexpected character",
      "group": MALFORMED}),
]

# Sent on port 9999: decoded only with -o lanchat.port:9999.
PORT_PACKETS = [
    ("up", ('{"type":"ping","token":"%s"}' % TOKEN).encode(),
     {"type": "ping", "token": TOKEN, "info": "ping"}),
    ("down", b'{"type":"pong"}', {"type": "pong", "info": "pong"}),
]


# What the packet details pane shows (tshark -O lanchat -V), by frame.
TREES = {
    1: """\
LAN chat protocol (lanchat), login alice
    type: login
    v: 2
    name: alice
    cid: 0011223344556677
    caps: 1 item
        caps: batch
    pad: 60 bytes
""",
    3: """\
LAN chat protocol (lanchat), login alice (with cookie, proof)
    type: login
    v: 2
    name: alice
    cookie: %s
    proof: present (64 bytes, not shown)
""" % COOKIE,
    4: """\
LAN chat protocol (lanchat), welcome alice (2 online next_id=7)
    type: welcome
    name: alice
    token: %s
    users: 2
        user: alice
        user: bob
    heartbeat: 5
    room: lab
    run: %s
    next_id: 7
    topic: exam at 10
    caps: 1 item
        caps: batch
""" % (TOKEN, RUN),
    10: """\
LAN chat protocol (lanchat), batch of 2: chat seq=13 bob: one; chat seq=14 * carol two
    type: batch
    msgs: 2
        Message 1: chat seq=13 bob: one
            type: chat
            seq: 13
            ts: 1764100000200 (2025-11-25 19:46:40.200 UTC)
            mid: 42
            from: bob
            text: one
        Message 2: chat seq=14 * carol two
            type: chat
            seq: 14
            ts: 1764100000300 (2025-11-25 19:46:40.300 UTC)
            mid: 43
            from: carol
            text: two
            action: True
""",
}


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src_port, dst_port, payload):
    """An Ethernet frame with 127.0.0.1 -> 127.0.0.1 UDP in it."""
    udp = struct.pack("!HHHH", src_port, dst_port, 8 + len(payload), 0)
    lo = bytes([127, 0, 0, 1])
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp) + len(payload),
                     0, 0x4000, 64, 17, 0, lo, lo)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\0" * 12 + b"\x08\x00" + ip + udp + payload


def write_pcap(path, packets):
    with open(path, "wb") as f:
        # Magic, version 2.4, GMT offset, accuracy, snaplen, Ethernet.
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for n, (port, direction, payload) in enumerate(packets):
            if direction == "up":
                data = frame(CLIENT, port, payload)
            else:
                data = frame(port, CLIENT, payload)
            f.write(struct.pack("<IIII", 1764100000 + n, 0, len(data),
                                len(data)))
            f.write(data)


def tshark(pcap, env, *extra, script=LUA, user=None):
    """The fields of every lanchat packet, one dict per frame; script
    None: the plugin is installed. user: a uid to run tshark as."""
    cmd = ["tshark", "-n", "-r", pcap]
    if user is not None:
        cmd = ["setpriv", "--reuid=%d" % user, "--regid=%d" % user,
               "--clear-groups", "--"] + cmd
    if script:
        cmd += ["-X", "lua_script:" + script]
    cmd += ["-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
           "-E", "aggregator=,"]
    cmd += list(extra)
    for name in FIELDS:
        if name == "info":
            cmd += ["-e", "_ws.col.Info"]
        elif name == "expert":
            cmd += ["-e", "_ws.expert.message"]
        elif name == "group":
            cmd += ["-e", "_ws.expert.group"]
        else:
            cmd += ["-e", "lanchat." + name]
    cmd += ["-e", "_ws.lua.error"]
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0 or "Lua" in err or "rror" in err or (
            user is not None and err):
        raise AssertionError("tshark failed (exit %d): %s\n%s" %
                             (p.returncode, " ".join(cmd), err))
    rows = []
    for line in out.split("\n")[:-1]:
        cols = line.split("\t")
        if len(cols) != len(FIELDS) + 1:
            raise AssertionError("odd line from tshark: %r" % line)
        if cols[-1] or "Lua Error" in line:
            raise AssertionError("a Lua error: %r" % line)
        rows.append(dict(zip(FIELDS, cols)))
    return rows


def tree(pcap, env, number):
    """The lanchat part of frame number's details, as tshark -V shows it."""
    cmd = ["tshark", "-n", "-r", pcap, "-X", "lua_script:" + LUA,
           "-O", "lanchat", "-V", "-Y", "frame.number == %d" % number]
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, timeout=120)
    out = p.stdout.decode("utf-8", "replace")
    start = out.find("LAN chat protocol")
    return out[start:].rstrip("\n") + "\n" if start >= 0 else out


def compare(what, rows, expected):
    bad = []
    if len(rows) != len(expected):
        bad.append("%s: %d packets decoded, %d expected" %
                   (what, len(rows), len(expected)))
    for n, (row, (direction, payload, want)) in enumerate(
            zip(rows, expected)):
        for name in FIELDS:
            exp = want.get(name, "")
            if row[name] != exp:
                bad.append("%s packet %d (%s %r...): %s is %r, expected %r" %
                           (what, n + 1, direction, payload[:40], name,
                            row[name], exp))
    return bad


def broken_datagrams():
    """Datagrams that must each be decoded or shown as malformed, never
    end in a Lua error (tshark() checks): every prefix of each datagram,
    bytes changed at random (seeded), and every field with every kind of
    JSON value in every type."""
    rng = random.Random(8888)
    broken = []
    for direction, payload, _ in PACKETS:
        for n in range(len(payload)):
            broken.append((8888, direction, payload[:n]))
        for _ in range(20):
            b = bytearray(payload)
            for _ in range(rng.randint(1, 4)):
                b[rng.randrange(len(b))] = rng.choice(
                    b'{}[]",:\\ \x00\x80\xff0123456789eE-+.tfnu' +
                    bytes([rng.randrange(256)]))
            broken.append((8888, direction, bytes(b)))
    types = ["login", "welcome", "cookie", "error", "ack", "users",
             "here", "chat", "msg", "join", "leave", "rename",
             "announce", "topic", "batch", "quit", "discover", "who",
             "zork"]
    keys = ["v", "seq", "id", "mid", "next_id", "upto", "heartbeat",
            "port", "more", "ts", "token", "cookie", "cid", "run",
            "name", "from", "to", "text", "room", "motd", "topic",
            "code", "reason", "action", "history", "users", "caps",
            "seqs", "proof", "password", "pad", "msgs", "type"]
    values = [b'1', b'1.5', b'-1', b'"s"', b'true', b'null', b'[]',
              b'[1]', b'["a"]', b'[{"type":"chat"}]', b'{}', b'[[]]']
    for t in types:
        for k in keys:
            for v in values:
                for d in ("up", "down"):
                    broken.append((8888, d, b'{"type":"' + t.encode() +
                                   b'","' + k.encode() + b'":' + v +
                                   b'}'))
    return broken


def main():
    show = "--show" in sys.argv
    if shutil.which("tshark") is None:
        print("tshark is not installed (apt-get install tshark)")
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="lanchat-ws-")
    try:
        # A fresh home: tshark reads (and may create) its profile there,
        # and a teacher's own preferences must not change what we see.
        env = dict(os.environ, HOME=tmp, XDG_CONFIG_HOME=tmp,
                   LC_ALL="C.UTF-8", TZ="UTC")
        env.pop("WIRESHARK_CONFIG_DIR", None)
        pcap = os.path.join(tmp, "lanchat.pcap")
        packets = [(8888, d, p) for d, p, _ in PACKETS]
        packets += [(9999, d, p) for d, p, _ in PORT_PACKETS]
        write_pcap(pcap, packets)
        bad = []
        # Default port: the 8888 packets, and nothing on 9999.
        rows = tshark(pcap, env, "-Y", "lanchat")
        if show:
            for r in rows:
                print(r)
        bad += compare("port 8888", rows, PACKETS)
        for number, want in sorted(TREES.items()):
            got = tree(pcap, env, number)
            if got != want:
                bad.append("frame %d details:\n%s\nexpected:\n%s" %
                           (number, got, want))
        # The preference moves the dissector to 9999 (and off 8888).
        rows = tshark(pcap, env, "-o", "lanchat.port:9999",
                           "-Y", "lanchat")
        bad += compare("port 9999", rows, PORT_PACKETS)
        # With Wireshark's JSON tree too, the lanchat fields are the same.
        rows = tshark(pcap, env, "-o", "lanchat.json:TRUE",
                           "-Y", "lanchat")
        bad += compare("with the JSON tree", rows, PACKETS)
        rows = tshark(pcap, env, "-o", "lanchat.json:TRUE",
                           "-Y", 'json.key == "upto"')
        if [r["upto"] for r in rows] != ["12"]:
            bad.append("the JSON tree is not there: %r" % rows)
        # Installed as the README says, in the personal plugin folder.
        home = os.path.join(tmp, "teacher")
        plugins = os.path.join(home, ".local", "lib", "wireshark", "plugins")
        os.makedirs(plugins)
        shutil.copy(LUA, plugins)
        rows = tshark(pcap, dict(env, HOME=home,
                                      XDG_CONFIG_HOME=os.path.join(
                                          home, ".config")),
                           "-Y", "lanchat", script=None)
        bad += compare("installed plugin", rows, PACKETS)
        # CI runs as root (tshark warns, on stderr, and loads the plugin
        # anyway); a teacher is not: the same, without a word on stderr.
        if os.geteuid() == 0 and shutil.which("setpriv"):
            os.chmod(tmp, 0o755)
            os.chmod(pcap, 0o644)
            lua = os.path.join(tmp, "lanchat.lua")
            shutil.copy(LUA, lua)
            os.chmod(lua, 0o644)
            rows = tshark(pcap, dict(env, HOME=os.path.join(tmp, "nobody")),
                          "-Y", "lanchat", script=lua, user=65534)
            bad += compare("not root", rows, PACKETS)
        broken = broken_datagrams()
        write_pcap(pcap, broken)
        rows = tshark(pcap, env)
        if len(rows) != len(broken):
            bad.append("%d broken datagrams, %d decoded" %
                       (len(broken), len(rows)))
        if bad:
            raise AssertionError("\n".join(bad))
    finally:
        shutil.rmtree(tmp)
    print("ok: %d datagrams decoded as expected" %
          (len(PACKETS) + len(PORT_PACKETS)))


main()
