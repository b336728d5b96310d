-- lanchat.lua: a Wireshark dissector for lanchat, the LAN group chat
-- (chat_server / chat_client), wire protocol version 2, and the
-- classroom text protocol the server speaks with --classroom.
--
-- Install: copy to ~/.local/lib/wireshark/plugins/ (Wireshark finds it
-- at start), or load it for one run:
--     tshark -X lua_script:lanchat.lua -i lo -f 'udp port 8888'
-- The UDP port is a preference (Edit > Preferences > Protocols > LANCHAT,
-- or tshark -o lanchat.port:9999).
--
-- Every datagram is one JSON object; this file parses it itself (a
-- malformed one is shown as malformed, never as a Lua error), so that
-- each field of the contract is a field of its own: lanchat.type,
-- lanchat.seq, lanchat.name, lanchat.text, ... and a batch shows each
-- inner message as a subtree with the same fields.
--
-- Tested with Wireshark 4.0 (Debian 12's tshark, Lua 5.2).

local MAX_DATAGRAM = 1400	-- the contract's limit on one datagram
local MAX_DEPTH = 32		-- JSON nesting the parser follows
local INFO_TEXT = 60		-- characters of a text shown in Info

local lanchat = Proto("lanchat", "LAN chat protocol (lanchat)")

-- Fields. Their names are the JSON keys, so the tree reads like the
-- datagram; the descriptions say what the contract means by them.
local F = {
	type = ProtoField.string("lanchat.type", "type", base.UNICODE,
	    "Message type"),
	v = ProtoField.uint64("lanchat.v", "v", base.DEC, nil, nil,
	    "Protocol version (2)"),
	seq = ProtoField.uint64("lanchat.seq", "seq", base.DEC, nil, nil,
	    "Server to client sequence number of a reliable message"),
	id = ProtoField.uint64("lanchat.id", "id", base.DEC, nil, nil,
	    "Client request number (chat, msg, rename), echoed by ack/error"),
	mid = ProtoField.uint64("lanchat.mid", "mid", base.DEC, nil, nil,
	    "Message number of a chat or announcement in this server run"),
	next_id = ProtoField.uint64("lanchat.next_id", "next_id", base.DEC,
	    nil, nil, "The id the client numbers its next request with"),
	upto = ProtoField.uint64("lanchat.upto", "upto", base.DEC, nil, nil,
	    "Cumulative ack: every seq up to this one was received"),
	seqs = ProtoField.uint64("lanchat.seqs", "seqs", base.DEC, nil, nil,
	    "Selective ack: a seq above upto that was received"),
	ts = ProtoField.uint64("lanchat.ts", "ts", base.DEC, nil, nil,
	    "Server clock, milliseconds since the Unix epoch"),
	heartbeat = ProtoField.uint64("lanchat.heartbeat", "heartbeat",
	    base.DEC, nil, nil, "Seconds of silence after which to ping"),
	port = ProtoField.uint64("lanchat.port", "port", base.DEC, nil,
	    nil, "The server's UDP port (in here)"),
	more = ProtoField.uint64("lanchat.more", "more", base.DEC, nil, nil,
	    "Names left out of a list that would not fit"),
	users = ProtoField.uint64("lanchat.users", "users", base.DEC, nil,
	    nil, "Number of users (the length of the list, or here's count)"),
	user = ProtoField.string("lanchat.user", "user", base.UNICODE,
	    "A name in a users list"),
	token = ProtoField.string("lanchat.token", "token", base.UNICODE,
	    "Session token (32 hex digits)"),
	cookie = ProtoField.string("lanchat.cookie", "cookie", base.UNICODE,
	    "Address check cookie"),
	cid = ProtoField.string("lanchat.cid", "cid", base.UNICODE,
	    "Client process id for resume (16 hex digits)"),
	run = ProtoField.string("lanchat.run", "run", base.UNICODE,
	    "Server run id (16 hex digits)"),
	name = ProtoField.string("lanchat.name", "name", base.UNICODE,
	    "User name"),
	from = ProtoField.string("lanchat.from", "from", base.UNICODE,
	    "Sender, or old name in rename"),
	to = ProtoField.string("lanchat.to", "to", base.UNICODE,
	    "Recipient of msg, or new name in rename"),
	text = ProtoField.string("lanchat.text", "text", base.UNICODE,
	    "Text"),
	room = ProtoField.string("lanchat.room", "room", base.UNICODE,
	    "Room name"),
	motd = ProtoField.string("lanchat.motd", "motd", base.UNICODE,
	    "Message of the day"),
	topic = ProtoField.string("lanchat.topic", "topic", base.UNICODE,
	    "Room topic"),
	code = ProtoField.string("lanchat.code", "code", base.UNICODE,
	    "Error code"),
	reason = ProtoField.string("lanchat.reason", "reason", base.UNICODE,
	    "Why a user left: quit, timeout, kicked"),
	cap = ProtoField.string("lanchat.caps", "caps", base.UNICODE,
	    "A capability (batch)"),
	action = ProtoField.bool("lanchat.action", "action", base.NONE,
	    nil, nil, "An action (/me): shown as * name text"),
	history = ProtoField.bool("lanchat.history", "history", base.NONE,
	    nil, nil, "A replay of the room's history"),
	proof = ProtoField.bool("lanchat.proof", "proof", base.NONE, nil,
	    nil, "Password proof present (HMAC-SHA256 of the cookie)"),
	password = ProtoField.bool("lanchat.password", "password", base.NONE,
	    nil, nil, "Password present (version 1 only)"),
	pad = ProtoField.uint64("lanchat.pad", "pad", base.DEC, nil, nil,
	    "Bytes of padding (anti-amplification)"),
	msgs = ProtoField.uint64("lanchat.msgs", "msgs", base.DEC, nil, nil,
	    "Number of messages in a batch"),
	unknown = ProtoField.string("lanchat.unknown", "unknown field",
	    base.UNICODE, "A field the contract does not define (ignored)"),
	classroom = ProtoField.string("lanchat.classroom", "classroom",
	    base.UNICODE, "Classroom text protocol: login, chat, quit "
	    .. "(client); ok, taken, exit, chat, join, leave, announce "
	    .. "(server)"),
}
for _, f in pairs(F) do
	table.insert(lanchat.fields, f)
end

local E = {
	malformed = ProtoExpert.new("lanchat.malformed",
	    "Malformed lanchat datagram", expert.group.MALFORMED,
	    expert.severity.ERROR),
	utf8 = ProtoExpert.new("lanchat.bad_utf8",
	    "Not valid UTF-8 (the server answers bad_utf8)",
	    expert.group.MALFORMED, expert.severity.ERROR),
	too_long = ProtoExpert.new("lanchat.too_long",
	    "Over 1400 bytes (the server answers too_long)",
	    expert.group.MALFORMED, expert.severity.ERROR),
	bad_field = ProtoExpert.new("lanchat.bad_field",
	    "A field missing or of the wrong JSON type",
	    expert.group.PROTOCOL, expert.severity.WARN),
	bad_type = ProtoExpert.new("lanchat.bad_type",
	    "Unknown message type", expert.group.PROTOCOL,
	    expert.severity.WARN),
	secret = ProtoExpert.new("lanchat.password_on_wire",
	    "A password in clear text (version 1 login)",
	    expert.group.SECURITY, expert.severity.WARN),
}
lanchat.experts = { E.malformed, E.utf8, E.too_long, E.bad_field,
    E.bad_type, E.secret }

lanchat.prefs.port = Pref.uint("UDP port", 8888,
    "UDP port of chat_server (its -p option)")
lanchat.prefs.json = Pref.bool("Add the JSON tree", false,
    "Also show each datagram with Wireshark's JSON dissector")

--
-- UTF-8
--

-- Returns the offset (1-based) of the first byte that is not valid
-- UTF-8 in s, or nil. Overlong forms, surrogates and code points over
-- U+10FFFF are invalid, as for the server.
local function utf8_bad(s, from)
	local i, n = from or 1, #s
	while i <= n do
		local c = s:byte(i)
		local len, lo, hi
		if c < 0x80 then
			len = 1
		elseif c >= 0xc2 and c <= 0xdf then
			len, lo, hi = 2, 0x80, 0xbf
		elseif c == 0xe0 then
			len, lo, hi = 3, 0xa0, 0xbf
		elseif c == 0xed then
			len, lo, hi = 3, 0x80, 0x9f
		elseif c >= 0xe1 and c <= 0xef then
			len, lo, hi = 3, 0x80, 0xbf
		elseif c == 0xf0 then
			len, lo, hi = 4, 0x90, 0xbf
		elseif c >= 0xf1 and c <= 0xf3 then
			len, lo, hi = 4, 0x80, 0xbf
		elseif c == 0xf4 then
			len, lo, hi = 4, 0x80, 0x8f
		else
			return i
		end
		if len > 1 then
			local c2 = s:byte(i + 1)
			if c2 == nil or c2 < lo or c2 > hi then
				return i
			end
			for k = 2, len - 1 do
				local ck = s:byte(i + k)
				if ck == nil or ck < 0x80 or ck > 0xbf then
					return i
				end
			end
		end
		i = i + len
	end
	return nil
end

-- Wireshark wants valid UTF-8 in a string field: invalid bytes become
-- U+FFFD, as Wireshark itself shows them.
local function utf8_fix(s)
	local bad = utf8_bad(s)
	if bad == nil then
		return s
	end
	local out, start = {}, 1
	while bad ~= nil do
		table.insert(out, s:sub(start, bad - 1))
		table.insert(out, "\239\191\189")
		start = bad + 1
		bad = utf8_bad(s, start)
	end
	table.insert(out, s:sub(start))
	return table.concat(out)
end

local function utf8_encode(cp)
	if cp < 0x80 then
		return string.char(cp)
	elseif cp < 0x800 then
		return string.char(0xc0 + math.floor(cp / 0x40),
		    0x80 + cp % 0x40)
	elseif cp < 0x10000 then
		return string.char(0xe0 + math.floor(cp / 0x1000),
		    0x80 + math.floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
	end
	return string.char(0xf0 + math.floor(cp / 0x40000),
	    0x80 + math.floor(cp / 0x1000) % 0x40,
	    0x80 + math.floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
end

-- At most n characters of s, with "…" if cut. Control characters
-- become spaces so a summary stays on one line.
local function shorten(s, n)
	s = s:gsub("%c", " ")
	local count, i = 0, 1
	while i <= #s do
		count = count + 1
		if count > n then
			return s:sub(1, i - 1) .. "\226\128\166"
		end
		local c = s:byte(i)
		if c >= 0xf0 then i = i + 4
		elseif c >= 0xe0 then i = i + 3
		elseif c >= 0xc0 then i = i + 2
		else i = i + 1 end
	end
	return s
end

--
-- JSON
--
-- A value is a table {kind = "object"|"array"|"string"|"number"|
-- "true"|"false"|"null", s = first byte, e = last byte (1-based, in the
-- datagram), ...}: an object has members {key =, ks =, ke =, value =}
-- in order, an array has items, a string has str (decoded UTF-8), a
-- number has num and int (true for a whole number 0 <= n < 2^53).
-- A syntax error is raised as a table {pos =, msg =} and caught by
-- json_parse; anything else would be a bug in this file.

local function json_fail(pos, msg)
	error({ pos = pos, msg = msg }, 0)
end

local json_value

local function json_space(s, i)
	return s:find("[^ \t\r\n]", i) or #s + 1
end

local ESCAPES = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b",
    f = "\f", n = "\n", r = "\r", t = "\t" }

local function json_string(s, i)
	local out, start = {}, i
	i = i + 1
	while true do
		local j = s:find('[%z\1-\31"\\]', i)
		if j == nil then
			json_fail(start, "string not closed")
		end
		table.insert(out, s:sub(i, j - 1))
		local c = s:sub(j, j)
		if c == '"' then
			return { kind = "string", s = start, e = j,
			    str = table.concat(out) }, j + 1
		elseif c ~= "\\" then
			json_fail(j, "control character in a string")
		end
		local e = s:sub(j + 1, j + 1)
		if ESCAPES[e] then
			table.insert(out, ESCAPES[e])
			i = j + 2
		elseif e == "u" then
			local hex = s:match("^%x%x%x%x", j + 2)
			if hex == nil then
				json_fail(j, "bad \\u escape")
			end
			local cp = tonumber(hex, 16)
			i = j + 6
			if cp >= 0xd800 and cp <= 0xdbff then
				local lo = s:match("^\\u(%x%x%x%x)", i)
				lo = lo and tonumber(lo, 16)
				if lo and lo >= 0xdc00 and lo <= 0xdfff then
					cp = 0x10000 + (cp - 0xd800) * 0x400 +
					    (lo - 0xdc00)
					i = i + 6
				else
					cp = 0xfffd
				end
			elseif (cp >= 0xdc00 and cp <= 0xdfff) or cp == 0 then
				-- A lone surrogate is no character; NUL
				-- would end the string in Wireshark.
				cp = 0xfffd
			end
			table.insert(out, utf8_encode(cp))
		else
			json_fail(j, "bad escape")
		end
	end
end

local function json_number(s, i)
	local j = i
	if s:sub(j, j) == "-" then
		j = j + 1
	end
	local int = s:match("^%d+", j)
	if int == nil or (#int > 1 and int:sub(1, 1) == "0") then
		json_fail(i, "bad number")
	end
	j = j + #int
	local frac = s:match("^%.%d+", j)
	if s:sub(j, j) == "." and frac == nil then
		json_fail(i, "bad number")
	end
	j = j + (frac and #frac or 0)
	local exp = s:match("^[eE][+-]?%d+", j)
	if s:match("^[eE]", j) and exp == nil then
		json_fail(i, "bad number")
	end
	j = j + (exp and #exp or 0)
	local text = s:sub(i, j - 1)
	local num = tonumber(text)
	local whole = num ~= nil and num == math.floor(num) and num >= 0 and
	    num < 2^53
	return { kind = "number", s = i, e = j - 1, num = num, int = whole,
	    text = text }, j
end

local function json_object(s, i, depth)
	local v = { kind = "object", s = i, members = {} }
	i = json_space(s, i + 1)
	if s:sub(i, i) == "}" then
		v.e = i
		return v, i + 1
	end
	while true do
		if s:sub(i, i) ~= '"' then
			json_fail(i, "expected a string key")
		end
		local k
		k, i = json_string(s, i)
		i = json_space(s, i)
		if s:sub(i, i) ~= ":" then
			json_fail(i, "expected ':'")
		end
		local val
		val, i = json_value(s, json_space(s, i + 1), depth + 1)
		table.insert(v.members, { key = k.str, ks = k.s, ke = k.e,
		    value = val })
		i = json_space(s, i)
		local c = s:sub(i, i)
		if c == "}" then
			v.e = i
			return v, i + 1
		elseif c ~= "," then
			json_fail(i, "expected ',' or '}'")
		end
		i = json_space(s, i + 1)
	end
end

local function json_array(s, i, depth)
	local v = { kind = "array", s = i, items = {} }
	i = json_space(s, i + 1)
	if s:sub(i, i) == "]" then
		v.e = i
		return v, i + 1
	end
	while true do
		local item
		item, i = json_value(s, i, depth + 1)
		table.insert(v.items, item)
		i = json_space(s, i)
		local c = s:sub(i, i)
		if c == "]" then
			v.e = i
			return v, i + 1
		elseif c ~= "," then
			json_fail(i, "expected ',' or ']'")
		end
		i = json_space(s, i + 1)
	end
end

local WORDS = { t = "true", f = "false", n = "null" }

json_value = function(s, i, depth)
	if depth > MAX_DEPTH then
		json_fail(i, "nested too deep")
	end
	local c = s:sub(i, i)
	if c == "{" then
		return json_object(s, i, depth)
	elseif c == "[" then
		return json_array(s, i, depth)
	elseif c == '"' then
		return json_string(s, i)
	elseif c == "-" or c:match("%d") then
		return json_number(s, i)
	elseif WORDS[c] and s:sub(i, i + #WORDS[c] - 1) == WORDS[c] then
		return { kind = WORDS[c], s = i, e = i + #WORDS[c] - 1 },
		    i + #WORDS[c]
	elseif c == "" then
		json_fail(i, "unexpected end")
	end
	json_fail(i, "unexpected character")
end

-- Returns the value, or nil, position and message.
local function json_parse(s)
	local ok, v, i = pcall(json_value, s, json_space(s, 1), 0)
	if not ok then
		if type(v) == "table" then
			return nil, v.pos, v.msg
		end
		error(v, 0)
	end
	i = json_space(s, i)
	if i <= #s then
		return nil, i, "data after the JSON value"
	end
	return v
end

--
-- The contract
--

-- How each key is shown: its field and what JSON type it must have.
-- "uint": whole number; "str"; "bool"; "names" (array of strings or, in
-- here, a count); "caps" (array of strings); "seqs" (array of numbers);
-- "secret" (shown only as present); "pad" (shown as its length);
-- "msgs" (batch); "ts" (a number shown with its date).
local KEYS = {
	type = "str", v = "uint", seq = "uint", id = "uint", mid = "uint",
	next_id = "uint", upto = "uint", heartbeat = "uint", port = "uint",
	more = "uint", ts = "ts", token = "str", cookie = "str", cid = "str",
	run = "str", name = "str", from = "str", to = "str", text = "str",
	room = "str", motd = "str", topic = "str", code = "str",
	reason = "str", action = "bool", history = "bool", users = "names",
	caps = "caps", seqs = "seqs", proof = "secret", password = "secret",
	pad = "pad", msgs = "msgs",
}

-- Required fields per type, client to server and server to client,
-- for the bad_field hint.
local CLIENT = {
	login = { "v", "name" }, chat = { "token", "id", "text" },
	msg = { "token", "id", "to", "text" },
	rename = { "token", "id", "name" }, who = { "token" },
	ping = { "token" }, ack = { "token" }, quit = { "token" },
	discover = { "v" },
}
local SERVER = {
	cookie = { "cookie" },
	welcome = { "name", "token", "users", "heartbeat", "room" },
	error = { "code" }, ack = { "id" }, pong = {}, bye = {},
	users = { "users" }, here = { "v", "room", "port", "users" },
	chat = { "seq", "ts", "from", "text" },
	msg = { "seq", "ts", "from", "text" },
	join = { "seq", "ts", "name" },
	leave = { "seq", "ts", "name", "reason" },
	rename = { "seq", "ts", "from", "to" },
	announce = { "seq", "ts", "text" }, topic = { "seq", "ts" },
	batch = { "msgs" },
}

local function kind_name(v)
	if v.kind == "number" then
		return "a number"
	elseif v.kind == "true" or v.kind == "false" then
		return "a boolean"
	end
	return (v.kind:match("^[aeiou]") and "an " or "a ") .. v.kind
end

local function range_of(tvb, v)
	return tvb(v.s - 1, v.e - v.s + 1)
end

local function wrong_type(tree, tvb, key, v, want)
	local what = v.kind == "number" and shorten(v.text, 30) or
	    kind_name(v)
	local item = tree:add(range_of(tvb, v), key .. ": " .. what ..
	    ", should be " .. want)
	item:add_proto_expert_info(E.bad_field, "bad_field: " .. key ..
	    " should be " .. want)
end

local function add_uint(tree, tvb, key, v)
	if v.kind ~= "number" or not v.int then
		wrong_type(tree, tvb, key, v, "a whole number, 0 or more, below 2^53")
		return nil
	end
	return v.num, tree:add(F[key], range_of(tvb, v), UInt64(v.num))
end

local function add_str(tree, tvb, key, v, field)
	if v.kind ~= "string" then
		wrong_type(tree, tvb, key, v, "a string")
		return nil
	end
	local s = utf8_fix(v.str)
	tree:add(field or F[key], range_of(tvb, v), s)
	return s
end

-- Adds one member of an object; returns its value for the summary.
local add_message

local function add_member(tree, tvb, m, info)
	local key, v = m.key, m.value
	local how = KEYS[key]
	if how == nil then
		local item = tree:add(F.unknown, tvb(m.ks - 1, v.e - m.ks + 1),
		    utf8_fix(key))
		item:append_text(" (ignored by the server)")
		return nil
	elseif how == "uint" then
		return (add_uint(tree, tvb, key, v))
	elseif how == "ts" then
		local n, item = add_uint(tree, tvb, key, v)
		-- os.date gives nil (or fails) for a year it cannot show.
		local ok, date = pcall(os.date, "!%Y-%m-%d %H:%M:%S",
		    math.floor((n or 0) / 1000))
		if n and ok and date then
			item:append_text(string.format(" (%s.%03d UTC)", date,
			    n % 1000))
		end
		return n
	elseif how == "str" then
		return add_str(tree, tvb, key, v)
	elseif how == "bool" then
		if v.kind ~= "true" and v.kind ~= "false" then
			wrong_type(tree, tvb, key, v, "true or false")
			return nil
		end
		tree:add(F[key], range_of(tvb, v), v.kind == "true")
		return v.kind == "true"
	elseif how == "secret" then
		if v.kind ~= "string" then
			wrong_type(tree, tvb, key, v, "a string")
			return nil
		end
		local item = tree:add(F[key], range_of(tvb, v), true)
		item:set_text(key .. ": present (" .. #v.str ..
		    " bytes, not shown)")
		if key == "password" then
			item:add_proto_expert_info(E.secret)
		end
		return true
	elseif how == "pad" then
		if v.kind ~= "string" then
			wrong_type(tree, tvb, key, v, "a string")
			return nil
		end
		local item = tree:add(F.pad, range_of(tvb, v), UInt64(#v.str))
		item:set_text("pad: " .. #v.str .. " bytes")
		return #v.str
	elseif how == "names" then
		if v.kind == "number" and info.type == "here" then
			return (add_uint(tree, tvb, key, v))
		elseif v.kind ~= "array" then
			wrong_type(tree, tvb, key, v, "an array of names")
			return nil
		end
		local sub = tree:add(F.users, range_of(tvb, v),
		    UInt64(#v.items))
		local names = {}
		for _, item in ipairs(v.items) do
			local s = add_str(sub, tvb, "user", item, F.user)
			if s then
				table.insert(names, s)
			end
		end
		return names
	elseif how == "caps" or how == "seqs" then
		if v.kind ~= "array" then
			wrong_type(tree, tvb, key, v, "an array")
			return nil
		end
		local sub = tree:add(range_of(tvb, v), key .. ": " ..
		    #v.items .. " item" .. (#v.items == 1 and "" or "s"))
		local list = {}
		for _, item in ipairs(v.items) do
			local x
			if how == "caps" then
				x = add_str(sub, tvb, key, item, F.cap)
			else
				x = add_uint(sub, tvb, key, item)
			end
			if x then
				table.insert(list, x)
			end
		end
		return list
	elseif how == "msgs" then
		if v.kind ~= "array" then
			wrong_type(tree, tvb, key, v, "an array of messages")
			return nil
		end
		local sub = tree:add(F.msgs, range_of(tvb, v),
		    UInt64(#v.items))
		local list = {}
		for n, item in ipairs(v.items) do
			table.insert(list, add_message(sub, tvb, item,
			    true, n))
		end
		return list
	end
end

local function id_part(name, n)
	return n and (" " .. name .. "=" .. string.format("%d", n)) or ""
end

local function text_part(sep, s)
	return s and (sep .. shorten(s, INFO_TEXT)) or ""
end

local function num_list(list)
	local out = {}
	for _, n in ipairs(list or {}) do
		table.insert(out, string.format("%d", n))
	end
	return table.concat(out, ",")
end

-- One line for the Info column and the subtree, from the fields found.
local function summary(t, f)
	local ty = t or "?"
	if ty == "login" then
		local with = {}
		if f.cookie then table.insert(with, "cookie") end
		if f.proof then table.insert(with, "proof") end
		if f.password then table.insert(with, "password") end
		local s = "login " .. (f.name or "?")
		if #with > 0 then
			s = s .. " (with " .. table.concat(with, ", ") .. ")"
		end
		return s
	elseif ty == "welcome" then
		return "welcome " .. (f.name or "?") .. " (" ..
		    #(f.users or {}) .. " online" ..
		    id_part("next_id", f.next_id) .. ")"
	elseif ty == "cookie" or ty == "pong" or ty == "bye" or
	    ty == "who" or ty == "ping" or ty == "discover" then
		return ty
	elseif ty == "error" then
		return "error " .. (f.code or "?") .. id_part("id", f.id) ..
		    text_part(": ", f.text)
	elseif ty == "ack" then
		if f.upto then
			local s = "ack upto=" .. string.format("%d", f.upto)
			if f.seqs and #f.seqs > 0 then
				s = s .. " seqs=" .. num_list(f.seqs)
			end
			return s
		end
		return "ack" .. id_part("seq", f.seq) .. id_part("id", f.id)
	elseif ty == "users" then
		return "users " .. table.concat(f.users or {}, ", ")
	elseif ty == "here" then
		local count = type(f.users) == "number" and f.users or nil
		return "here " .. (f.room or "?") .. id_part("port", f.port) ..
		    id_part("users", count)
	elseif ty == "quit" then
		return "quit" .. text_part(": ", f.text)
	elseif ty == "batch" then
		return "batch of " .. #(f.msgs or {})
	end
	-- chat, msg, rename, join, leave, announce, topic: a request (id)
	-- from a client or a reliable message (seq) from the server.
	local s = ty .. id_part("seq", f.seq) .. id_part("id", f.id)
	if f.history then
		s = s .. " history"
	end
	if ty == "chat" or ty == "msg" then
		if f.action then
			return s .. " * " .. (f.from and f.from .. " " or "") ..
			    shorten(f.text or "", INFO_TEXT)
		elseif f.to then
			return s .. " to " .. f.to .. text_part(": ", f.text)
		elseif f.from then
			return s .. " " .. f.from .. text_part(": ", f.text)
		end
		return s .. text_part(": ", f.text)
	elseif ty == "rename" then
		if f.from then
			return s .. " " .. f.from .. " -> " .. (f.to or "?")
		end
		return s .. " to " .. (f.name or "?")
	elseif ty == "join" then
		return s .. " " .. (f.name or "?")
	elseif ty == "leave" then
		return s .. " " .. (f.name or "?") .. " (" ..
		    (f.reason or "?") .. ")" .. text_part(": ", f.text)
	elseif ty == "topic" then
		return s .. (f.text and text_part(": ", f.text) or " cleared")
	end
	return s .. text_part(": ", f.text)
end

-- Adds one message (the datagram, or one in a batch); returns its
-- summary. server: sent by the server.
add_message = function(tree, tvb, v, server, n)
	local label = n and ("Message " .. n) or "Message"
	if v.kind ~= "object" then
		local item = tree:add(range_of(tvb, v), label .. ": " ..
		    kind_name(v))
		item:add_proto_expert_info(E.malformed, "not a JSON object" ..
		    (server and "" or " (the server answers bad_json)"))
		return "malformed: " .. kind_name(v) .. ", not an object"
	end
	local sub = tree
	if n then
		sub = tree:add(range_of(tvb, v), label)
	end
	local t
	for _, m in ipairs(v.members) do
		if m.key == "type" and m.value.kind == "string" then
			t = utf8_fix(m.value.str)
			break
		end
	end
	local f, present = { type = t }, {}
	for _, m in ipairs(v.members) do
		local x = add_member(sub, tvb, m, f)
		if x ~= nil and f[m.key] == nil then
			f[m.key] = x
		end
		present[m.key] = true
	end
	if t == nil then
		sub:add_proto_expert_info(E.malformed,
		    "no string type (the server answers bad_json)")
		return "malformed: no string type"
	end
	local s = summary(t, f)
	if f.msgs then
		s = s .. ": " .. table.concat(f.msgs, "; ")
	end
	if n then
		sub:append_text(": " .. s)
	end
	local need = (server and SERVER or CLIENT)[t]
	if need == nil then
		sub:add_proto_expert_info(E.bad_type, "unknown type " ..
		    shorten(t, 20) .. (server and " from the server" or
		    " (the server answers bad_type)"))
		return s
	end
	for _, key in ipairs(need) do
		if not present[key] then
			sub:add_proto_expert_info(E.bad_field, "bad_field: " ..
			    key .. " missing")
		end
	end
	return s
end

local function dissect_json(tvb, root, data, server)
	local v, pos, msg = json_parse(data)
	if v == nil then
		local at = math.min(pos, #data)
		local item = root:add(tvb(at - 1, #data - at + 1),
		    "Not valid JSON at byte " .. (pos - 1) .. ": " .. msg)
		item:add_proto_expert_info(E.malformed, "not valid JSON: " ..
		    msg .. (server and "" or " (the server answers bad_json)"))
		return "malformed JSON: " .. msg
	end
	return add_message(root, tvb, v, server)
end

--
-- Classroom text protocol
--

local TAKEN = "\232\175\165\231\148\168\230\136\183\229\183\178\229" ..
    "\173\152\229\156\168"				-- 该用户已存在
local WELCOME = "\230\172\162\232\191\142"		-- 欢迎
local ENTERED = "\232\191\155\229\133\165\232\129\138\229\164\169" ..
    "\229\174\164"					-- 进入聊天室
local LEFT = "\233\128\128\229\135\186\228\186\134\232\129\138\229" ..
    "\164\169\229\174\164"				-- 退出了聊天室
local ADMIN = "\231\174\161\231\144\134\229\145\152\230\182\136\230" ..
    "\129\175 : "					-- "管理员消息 : "

local function classroom_string(tree, tvb, field, from, to)
	local item = tree:add(field, tvb(from - 1, to - from + 1),
	    utf8_fix(tvb:raw(from - 1, to - from + 1)))
	return item
end

local COMMANDS = { L = "login", C = "chat", Q = "quit" }

-- A classroom client's datagram: "L NAME", "C NAME TEXT", "Q NAME".
local function classroom_request(tvb, tree, data)
	local cmd = COMMANDS[data:sub(1, 1)]
	tree:add(F.classroom, tvb(0, 1), cmd)
	local name_end = data:find(" ", 3, true)
	if cmd ~= "chat" or name_end == nil then
		name_end = #data + 1
	end
	local name = utf8_fix(data:sub(3, name_end - 1))
	if name_end > 3 then
		classroom_string(tree, tvb, F.name, 3, name_end - 1)
	end
	local s = "classroom " .. cmd .. " " .. name
	if cmd == "chat" and name_end < #data then
		classroom_string(tree, tvb, F.text, name_end + 1, #data)
		s = s .. ": " .. shorten(utf8_fix(data:sub(name_end + 1)),
		    INFO_TEXT)
	end
	return s
end

-- What the server sends a classroom client; nil if it is none of them.
local function classroom_reply(tvb, tree, data)
	local n = #data
	local function kind(k)
		tree:add(F.classroom, tvb(), k)
	end
	if data == "OK" then
		kind("ok")
		return "classroom OK (logged in)"
	elseif data == TAKEN then
		kind("taken")
		return "classroom " .. TAKEN .. " (name taken)"
	elseif data == "EXIT" then
		kind("exit")
		return "classroom EXIT (quit done)"
	elseif data:sub(1, #ADMIN) == ADMIN then
		kind("announce")
		if n > #ADMIN then
			classroom_string(tree, tvb, F.text, #ADMIN + 1, n)
		end
		return "classroom announce: " ..
		    shorten(utf8_fix(data:sub(#ADMIN + 1)), INFO_TEXT)
	end
	-- A name has no white space, so the first space ends it.
	local sp = data:find(" ", 1, true)
	if sp and sp > 1 and data:sub(sp, sp + 2) == " : " then
		kind("chat")
		classroom_string(tree, tvb, F.name, 1, sp - 1)
		if n >= sp + 3 then
			classroom_string(tree, tvb, F.text, sp + 3, n)
		end
		return "classroom chat " .. utf8_fix(data:sub(1, sp - 1)) ..
		    ": " .. shorten(utf8_fix(data:sub(sp + 3)), INFO_TEXT)
	elseif sp then
		return nil
	end
	if data:sub(1, #WELCOME) == WELCOME and n > #WELCOME + #ENTERED and
	    data:sub(-#ENTERED) == ENTERED then
		kind("join")
		classroom_string(tree, tvb, F.name, #WELCOME + 1, n - #ENTERED)
		return "classroom join " ..
		    utf8_fix(data:sub(#WELCOME + 1, n - #ENTERED))
	elseif n > #LEFT and data:sub(-#LEFT) == LEFT then
		kind("leave")
		classroom_string(tree, tvb, F.name, 1, n - #LEFT)
		return "classroom leave " .. utf8_fix(data:sub(1, n - #LEFT))
	end
	return nil
end

--
-- The dissector
--

-- Wireshark's JSON dissector, for the "Add the JSON tree" preference;
-- Dissector.get fails in a build without it.
local has_json, json_dissector = pcall(Dissector.get, "json")

function lanchat.dissector(tvb, pinfo, tree)
	local len = tvb:len()
	if len == 0 then
		return 0
	end
	local data = tvb:raw()
	local server = pinfo.src_port == lanchat.prefs.port
	pinfo.cols.protocol:set("LANCHAT")
	local root = tree:add(lanchat, tvb())
	local bad = utf8_bad(data)
	if bad then
		root:add(tvb(bad - 1, 1), "Not valid UTF-8 at byte " ..
		    (bad - 1)):add_proto_expert_info(E.utf8)
	end
	if len > MAX_DATAGRAM then
		root:add_proto_expert_info(E.too_long)
	end
	-- As the server tells them apart: a client's datagram is classroom
	-- if it starts with L, C or Q and a space (or is just the letter),
	-- else JSON; the server's is JSON if it starts with {, else one of
	-- the classroom lines. Anything else is shown as broken JSON.
	local s
	if server and data:sub(1, 1) ~= "{" then
		s = classroom_reply(tvb, root, data)
	elseif not server and COMMANDS[data:sub(1, 1)] and
	    (data:sub(2, 2) == " " or len == 1) then
		s = classroom_request(tvb, root, data)
	end
	if s == nil then
		s = dissect_json(tvb, root, data, server)
		if lanchat.prefs.json and has_json then
			json_dissector:call(tvb, pinfo, tree)
			pinfo.cols.protocol:set("LANCHAT")
		end
	end
	if bad then
		s = s .. " [bad UTF-8]"
	end
	root:append_text(", " .. s)
	pinfo.cols.info:set(s)
	return len
end

--
-- Registration on the port preference
--

local udp_port = DissectorTable.get("udp.port")
local registered, displaced

-- Takes over port (another dissector may have it: 9999 is
-- tplink-smarthome's) and gives the last one back.
local function register(port)
	if registered then
		udp_port:remove(registered, lanchat)
		if displaced then
			udp_port:add(registered, displaced)
		end
	end
	registered, displaced = nil, nil
	if port ~= 0 then
		displaced = udp_port:get_dissector(port)
		udp_port:add(port, lanchat)
		registered = port
	end
end

register(lanchat.prefs.port)
udp_port:add_for_decode_as(lanchat)

function lanchat.prefs_changed()
	if registered ~= lanchat.prefs.port then
		register(lanchat.prefs.port)
	end
end
