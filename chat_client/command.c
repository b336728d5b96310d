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
static void	 command_usage(struct command *, const struct command_entry *);
static void	 command_one_name(struct command *, const char *,
		    const struct command_entry *);
static const struct command_entry *command_find(const char *);

/* The parsers of the table's rows: rest is the line after the name. */
static command_parse_fn	 command_me, command_msg, command_nick,
			 command_opt_text, command_filter, command_ignore,
			 command_unignore, command_query;

static void	 command_error(struct command *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

#define COMMAND_LINE_MAX	(PROTO_TEXT_MAX * 4)

/*
 * The one list of commands, as tmux's cmd_table[]: parsing, /help and
 * Tab completion all read it, so a new command is a row, a parser if it
 * takes arguments, and its handler where the kind is acted on (kbd.c).
 * Rows are in /help's order; completion sorts for itself.
 */
static const struct command_entry command_table[] = {
	{ "/me", NULL, "TEXT", "say TEXT as an action: * you TEXT",
	  COMMAND_ACTION, command_me, 1 },
	{ "/msg", NULL, "NAME TEXT", "say TEXT to NAME alone",
	  COMMAND_MSG, command_msg, 1 },
	{ "/who", NULL, "", "list who is online", COMMAND_WHO, NULL, 1 },
	{ "/nick", NULL, "NEWNAME", "change your name",
	  COMMAND_NICK, command_nick, 1 },
	{ "/clear", NULL, "", "clear the view (PageUp shows what was there)",
	  COMMAND_CLEAR, NULL, 1 },
	{ "/help", NULL, "", "this list", COMMAND_HELP, NULL, 1 },
	{ "/quit", NULL, "[TEXT]",
	  "leave, telling the room TEXT (Ctrl-D, Ctrl-C: no TEXT)",
	  COMMAND_QUIT, command_opt_text, 1 },
	/* What this client shows, keeps and finds. */
	{ "/filter", NULL, "[joins]",
	  "hide or show joins and leaves; alone: say which",
	  COMMAND_FILTER, command_filter, 1 },
	{ "/ignore", NULL, "[NAME]",
	  "hide NAME's lines (kept in client.conf); alone: list",
	  COMMAND_IGNORE, command_ignore, 1 },
	{ "/unignore", NULL, "NAME", "show NAME's lines again",
	  COMMAND_UNIGNORE, command_unignore, 1 },
	{ "/search", NULL, "[TEXT]",
	  "scroll to an earlier line with TEXT; alone: the next",
	  COMMAND_SEARCH, command_opt_text, 1 },
	/* Private talk, away, the nick list and the topic. */
	{ "/query", NULL, "[NAME]",
	  "what you type goes to NAME alone; alone: to the room",
	  COMMAND_QUERY, command_query, 1 },
	{ "/r", NULL, "TEXT",
	  "say TEXT to the last one who wrote to you privately",
	  COMMAND_REPLY, command_me, 1 },
	{ "/away", NULL, "[TEXT]",
	  "mark yourself away here only (nobody is told)",
	  COMMAND_AWAY, command_opt_text, 1 },
	{ "/back", NULL, "", "end /away; say what came meanwhile",
	  COMMAND_BACK, NULL, 1 },
	{ "/names", NULL, "", "show or hide the list of names (F2; "
	  "--plain: print it)", COMMAND_NAMES, NULL, 1 },
	{ "/topic", NULL, "", "show the room's topic", COMMAND_TOPIC, NULL, 1 },
	{ "/mouse", NULL, "", "the wheel scrolls (Shift+drag selects), or not",
	  COMMAND_MOUSE, NULL, 1 },
};
#define COMMAND_TABLE_N	(sizeof(command_table) / sizeof(command_table[0]))

static const char command_help_head[] =
    "commands:\n"
    "  TEXT             say TEXT to the room (//TEXT says /TEXT)\n";

static const char command_help_keys[] =
    "keys (full screen):\n"
    "  Left Right Home End ^A ^E  move in the line\n"
    "  Backspace Delete           delete a character\n"
    "  ^U ^K ^W, ^Y               cut to start, to end, a word; paste\n"
    "  Up Down                    earlier lines you typed\n"
    "  Tab, Shift-Tab             complete a name or a command; again:\n"
    "                             the next match, the one before\n"
    "  PageUp PageDown End        scroll; End goes to the newest\n"
    "  mouse wheel                scroll (Shift+drag selects; /mouse)\n"
    "  ^R                         /search what the line holds\n"
    "  F2                         show or hide the list of names\n"
    "  ^L                         redraw the screen\n"
    "  (a paste of several lines asks before sending them)\n"
    "  ^Z                         suspend (fg resumes; you stay online)";

void
command_help(char *out, size_t cap)
{
	const struct command_entry	*e;
	char				 use[64];
	size_t				 i, len;

	len = (size_t)snprintf(out, cap, "%s", command_help_head);
	for (i = 0; i < COMMAND_TABLE_N && len < cap; i++) {
		e = &command_table[i];
		snprintf(use, sizeof(use), "%s%s%s", e->name,
		    *e->usage != '\0' ? " " : "", e->usage);
		len += (size_t)snprintf(out + len, cap - len, "  %-17s%s\n",
		    use, e->help);
	}
	if (len < cap)
		snprintf(out + len, cap - len, "%s", command_help_keys);
}

size_t
command_names(const char **out, size_t cap)
{
	size_t	 i, n = 0;

	for (i = 0; i < COMMAND_TABLE_N; i++) {
		if (!command_table[i].complete)
			continue;
		if (n < cap)
			out[n] = command_table[i].name;
		n++;
		if (command_table[i].alias != NULL) {
			if (n < cap)
				out[n] = command_table[i].alias;
			n++;
		}
	}
	return n;
}

/* The row whose name or alias is cmd (no '/'), in any case; or NULL. */
static const struct command_entry *
command_find(const char *cmd)
{
	const struct command_entry	*e;
	size_t				 i;

	for (i = 0; i < COMMAND_TABLE_N; i++) {
		e = &command_table[i];
		if (strcasecmp(e->name + 1, cmd) == 0 ||
		    (e->alias != NULL && strcasecmp(e->alias + 1, cmd) == 0))
			return e;
	}
	return NULL;
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

/* "usage: /msg NAME TEXT" from the row. */
static void
command_usage(struct command *c, const struct command_entry *e)
{
	command_error(c, "usage: %s%s%s", e->name, *e->usage != '\0' ? " " : "",
	    e->usage);
}

static void
command_msg(struct command *c, const char *rest, const struct command_entry *e)
{
	char	 name[PROTO_NAME_MAX_BYTES * 4 + 1], use[64];
	size_t	 n;

	snprintf(use, sizeof(use), "%s %s", e->name, e->usage);
	rest = command_word(rest, name, sizeof(name), &n);
	command_name(c, n < sizeof(name) ? name : "", use);
	if (c->kind == COMMAND_ERROR)
		return;
	command_text(c, rest);
	if (c->kind == COMMAND_NONE)
		command_usage(c, e);
}

/* One name, the whole rest: "/nick bad name" is refused, never cut. */
static void
command_one_name(struct command *c, const char *rest,
    const struct command_entry *e)
{
	char	 name[PROTO_NAME_MAX_BYTES * 4 + 1], use[64];
	size_t	 n;

	snprintf(use, sizeof(use), "%s %s", e->name, e->usage);
	if (*command_word(rest, name, sizeof(name), &n) != '\0')
		command_name(c, rest, use);
	else
		command_name(c, name, use);
}

static void
command_nick(struct command *c, const char *rest, const struct command_entry *e)
{
	command_one_name(c, rest, e);
}

static void
command_me(struct command *c, const char *rest, const struct command_entry *e)
{
	command_text(c, rest);
	if (c->kind == COMMAND_NONE)
		command_usage(c, e);
}

/* /quit, /away, /search [TEXT]: words are optional, none stays the kind. */
static void
command_opt_text(struct command *c, const char *rest,
    const struct command_entry *e)
{
	command_text(c, rest);
	if (c->kind == COMMAND_NONE)
		c->kind = e->kind;
}

/* /query NAME, or /query alone: back to the room (to stays ""). */
static void
command_query(struct command *c, const char *rest,
    const struct command_entry *e)
{
	char	 name[PROTO_NAME_MAX_BYTES * 4 + 1], use[64];
	size_t	 n;

	if (*rest == '\0')
		return;
	snprintf(use, sizeof(use), "%s %s", e->name, e->usage);
	if (*command_word(rest, name, sizeof(name), &n) != '\0') {
		command_usage(c, e);
		return;
	}
	command_name(c, n < sizeof(name) ? name : "", use);
}

static void
command_filter(struct command *c, const char *rest,
    const struct command_entry *e)
{
	command_opt_text(c, rest, e);
	if (c->text[0] == '\0' || c->kind == COMMAND_ERROR)
		return;
	if (strcasecmp(c->text, "joins") != 0)
		command_usage(c, e);
	else
		snprintf(c->text, sizeof(c->text), "joins");
}

/* The name may be left out: /ignore alone lists. */
static void
command_ignore(struct command *c, const char *rest,
    const struct command_entry *e)
{
	while (*rest == ' ' || *rest == '\t')
		rest++;
	if (*rest != '\0')
		command_one_name(c, rest, e);
}

static void
command_unignore(struct command *c, const char *rest,
    const struct command_entry *e)
{
	command_one_name(c, rest, e);
}

static void
command_slash(struct command *c, const char *line)
{
	const struct command_entry	*e;
	char				 cmd[32], clean[64];
	const char			*rest;
	size_t				 n;

	rest = command_word(line + 1, cmd, sizeof(cmd), &n);
	/* Any case, as in IRC clients: /MSG and /Quit work. */
	if (n < sizeof(cmd) && (e = command_find(cmd)) != NULL) {
		c->kind = e->kind;
		if (e->parse != NULL)
			e->parse(c, rest, e);
		return;
	}
	utf8_sanitize(line, strcspn(line, " \t"), clean, sizeof(clean));
	command_error(c, "unknown command %s; /help lists them", clean);
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
