/*
 * command: one typed line -> what to send (command.h). The text rules
 * are those of docs/protocol.md, "Names and text"; the name check is
 * proto_check_name, so a bad /nick or /msg name is refused here with
 * the same rules the server applies.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "command.h"
#include "utf8.h"

struct command_out {
	char	*buf;
	size_t	 cap;
	size_t	 len;		/* bytes written */
	size_t	 need;		/* bytes the whole result takes */
	int	 full;		/* stopped writing at a character boundary */
};

static void	 command_emit(struct command_out *, const char *, size_t);
static void	 command_emit_run(struct command_out *, const char *, size_t);
static const char *command_word(const char *, char *, size_t, size_t *);
static void	 command_text(struct command *, const char *);
static void	 command_name(struct command *, const char *, const char *);
static void	 command_slash(struct command *, const char *);
static void	 command_error(struct command *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

#define COMMAND_LINE_MAX	(PROTO_TEXT_MAX * 4)

static const char command_help_text[] =
    "commands:\n"
    "  TEXT             say TEXT to the room (//TEXT says /TEXT)\n"
    "  /me TEXT         say TEXT as an action: * you TEXT\n"
    "  /msg NAME TEXT   say TEXT to NAME alone\n"
    "  /who             list who is online\n"
    "  /nick NEWNAME    change your name\n"
    "  /clear           clear the view (PageUp shows what was there)\n"
    "  /help            this list\n"
    "  /quit [TEXT]     leave, telling the room TEXT (Ctrl-D, Ctrl-C: no TEXT)\n"
    "keys (full screen):\n"
    "  Left Right Home End ^A ^E  move in the line\n"
    "  Backspace Delete           delete a character\n"
    "  ^U ^K ^W, ^Y               cut to start, to end, a word; paste\n"
    "  Up Down                    earlier lines you typed\n"
    "  Tab, Shift-Tab             complete a name or a command; again:\n"
    "                             the next match, the one before\n"
    "  PageUp PageDown End        scroll; End goes to the newest\n"
    "  ^L                         redraw the screen\n"
    "  (a paste of several lines asks before sending them)\n"
    "  ^Z                         suspend (fg resumes; you stay online)";

const char *
command_help(void)
{
	return command_help_text;
}

static void
command_emit(struct command_out *o, const char *s, size_t n)
{
	o->need += n;
	if (o->full || o->len + n >= o->cap) {
		o->full = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* A run of white space inside the text: tabs become spaces. */
static void
command_emit_run(struct command_out *o, const char *s, size_t n)
{
	size_t		 i = 0;
	uint32_t	 cp;
	int		 k;

	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		if (cp == '\t')
			command_emit(o, " ", 1);
		else if (!utf8_is_control(cp))
			command_emit(o, s + i, (size_t)k);
		i += (size_t)k;
	}
}

size_t
command_clean(const char *s, size_t len, char *out, size_t cap)
{
	struct command_out	 o = { out, cap, 0, 0, 0 };
	size_t			 i = 0, run = 0;
	int			 in_run = 0, started = 0, k;
	uint32_t		 cp;

	while (i < len) {
		k = utf8_decode(s + i, len - i, &cp);
		if (k > 0 && (cp == '\t' || utf8_is_space(cp))) {
			/* Held until something follows it: that trims the end. */
			if (!in_run)
				run = i;
			in_run = 1;
			i += (size_t)k;
			continue;
		}
		if (k > 0 && utf8_is_control(cp)) {
			i += (size_t)k;
			continue;
		}
		if (in_run && started)
			command_emit_run(&o, s + run, i - run);
		in_run = 0;
		started = 1;
		if (k <= 0) {
			command_emit(&o, UTF8_REPLACEMENT, 3);
			i++;
		} else {
			command_emit(&o, s + i, (size_t)k);
			i += (size_t)k;
		}
	}
	if (cap > 0)
		out[o.len] = '\0';
	return o.need;
}

static void
command_error(struct command *c, const char *fmt, ...)
{
	va_list	 ap;

	c->kind = COMMAND_ERROR;
	va_start(ap, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
}

/* Fills c->text from s, or turns c into an error. */
static void
command_text(struct command *c, const char *s)
{
	char	 buf[COMMAND_LINE_MAX];
	size_t	 need;

	need = command_clean(s, strlen(s), buf, sizeof(buf));
	if (need == 0) {
		c->kind = COMMAND_NONE;
		return;
	}
	if (need > PROTO_TEXT_MAX) {
		command_error(c, "message is %zu bytes; the limit is %d", need,
		    PROTO_TEXT_MAX);
		return;
	}
	memcpy(c->text, buf, need + 1);
}

/*
 * Splits off the first space-separated word of s into word (cap bytes).
 * Returns the rest after the separating blanks; *len gets the word's
 * full length (more than cap - 1 if it did not fit).
 */
static const char *
command_word(const char *s, char *word, size_t cap, size_t *len)
{
	size_t	 n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strcspn(s, " \t");
	*len = n;
	if (cap > 0) {
		memcpy(word, s, n < cap ? n : cap - 1);
		word[n < cap ? n : cap - 1] = '\0';
	}
	s += n;
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A name argument for /msg or /nick, checked with the server's rules. */
static void
command_name(struct command *c, const char *name, const char *usage)
{
	char	 clean[PROTO_NAME_MAX_BYTES * 4 + 1];

	if (*name == '\0') {
		command_error(c, "usage: %s", usage);
		return;
	}
	if (strlen(name) >= sizeof(c->to) || proto_check_name(name) != 0) {
		utf8_sanitize(name, strlen(name), clean, sizeof(clean));
		command_error(c, "'%s' is not a valid name: 1-%d characters, "
		    "no spaces or control characters, not starting with / # @",
		    clean, PROTO_NAME_MAX_CHARS);
		return;
	}
	memcpy(c->to, name, strlen(name) + 1);
}

static void
command_slash(struct command *c, const char *line)
{
	char		 cmd[32], name[PROTO_NAME_MAX_BYTES * 4 + 1], clean[64];
	const char	*rest;
	size_t		 n;

	rest = command_word(line + 1, cmd, sizeof(cmd), &n);
	/* Any case, as in IRC clients: /MSG and /Quit work. */
	if (strcasecmp(cmd, "msg") == 0) {
		rest = command_word(rest, name, sizeof(name), &n);
		command_name(c, n < sizeof(name) ? name : "", "/msg NAME TEXT");
		if (c->kind == COMMAND_ERROR)
			return;
		c->kind = COMMAND_MSG;
		command_text(c, rest);
		if (c->kind == COMMAND_NONE)
			command_error(c, "usage: /msg NAME TEXT");
	} else if (strcasecmp(cmd, "nick") == 0) {
		/* "/nick bad name" is refused, never cut to "bad". */
		c->kind = COMMAND_NICK;
		if (*command_word(rest, name, sizeof(name), &n) != '\0')
			command_name(c, rest, "/nick NEWNAME");
		else
			command_name(c, name, "/nick NEWNAME");
	} else if (strcasecmp(cmd, "me") == 0) {
		c->kind = COMMAND_ACTION;
		command_text(c, rest);
		if (c->kind == COMMAND_NONE)
			command_error(c, "usage: /me TEXT");
	} else if (strcasecmp(cmd, "who") == 0)
		c->kind = COMMAND_WHO;
	else if (strcasecmp(cmd, "quit") == 0) {
		/* Words are optional: an empty text stays a plain quit. */
		c->kind = COMMAND_QUIT;
		command_text(c, rest);
		if (c->kind == COMMAND_NONE)
			c->kind = COMMAND_QUIT;
	} else if (strcasecmp(cmd, "help") == 0)
		c->kind = COMMAND_HELP;
	else if (strcasecmp(cmd, "clear") == 0)
		c->kind = COMMAND_CLEAR;
	else {
		utf8_sanitize(line, strcspn(line, " \t"), clean, sizeof(clean));
		command_error(c, "unknown command %s; /help lists them", clean);
	}
}

void
command_parse(const char *line, struct command *c)
{
	memset(c, 0, sizeof(*c));
	while (*line == ' ' || *line == '\t')
		line++;
	if (line[0] == '/' && line[1] != '/') {
		command_slash(c, line);
		return;
	}
	c->kind = COMMAND_CHAT;
	command_text(c, line[0] == '/' ? line + 1 : line);
}
