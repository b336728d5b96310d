/*
 * cmd: the operator's command table and what drives it (cmd.h). A new
 * command is one entry here and one exec function in the server; its
 * usage, /help line and Tab completion come with the entry.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "console.h"
#include "proto.h"
#include "server_int.h"
#include "utf8.h"

/* Bytes of an unknown command word repeated in the error. */
#define CMD_WORD_SHOWN	32

static int	 cmd_help_exec(struct server *, const struct cmd_args *,
		    struct cmd_out *);
static int	 cmd_args(const struct cmd_entry *, const char *, size_t,
		    struct cmd_args *, struct cmd_out *);
static void	 cmd_unknown(const char *, size_t, struct cmd_out *);

const struct cmd_entry cmd_table[] = {
	{ "/announce", 0, 0, CMD_TEXT | CMD_TEXT_NEEDED, "/announce TEXT",
	  "announce TEXT to everyone (what a line without / does)",
	  server_cmd_announce },
	{ "/ban", 1, 2, 0, "/ban NAME|@ADDRESS [MINUTES]",
	  "kick, and refuse that name or address at login (for good, "
	  "or MINUTES)", server_cmd_ban },
	{ "/bans", 0, 0, 0, "/bans", "the bans in force", server_cmd_bans },
	{ "/help", 0, 0, 0, "/help", "this list", cmd_help_exec },
	{ "/kick", 1, 1, CMD_TEXT, "/kick NAME [REASON]",
	  "remove NAME from the room; everyone sees the reason",
	  server_cmd_kick },
	{ "/msg", 1, 1, CMD_TEXT | CMD_TEXT_NEEDED, "/msg NAME TEXT",
	  "a private message to NAME, from \"" SERVER_OPERATOR "\"",
	  server_cmd_msg },
	{ "/mute", 1, 2, 0, "/mute NAME [MINUTES]",
	  "NAME's chats and messages are refused (for good, or MINUTES)",
	  server_cmd_mute },
	{ "/rename", 2, 2, 0, "/rename NAME NEW", "give NAME the name NEW",
	  server_cmd_rename },
	{ "/slow", 1, 1, 0, "/slow SECONDS",
	  "at most one chat per student every SECONDS (0: off)",
	  server_cmd_slow },
	{ "/topic", 0, 0, CMD_TEXT, "/topic [TEXT]",
	  "set the room's topic (shown to everyone), or clear it",
	  server_cmd_topic },
	{ "/unban", 1, 1, 0, "/unban NAME|@ADDRESS", "lift a ban",
	  server_cmd_unban },
	{ "/unmute", 1, 1, 0, "/unmute NAME", "lift a mute",
	  server_cmd_unmute },
	{ "/who", 0, 0, 0, "/who",
	  "who is in: address, idle since the last chat, online for, "
	  "chats, muted", server_cmd_who },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

int
cmd_run(struct server *srv, const char *line, size_t len,
    struct cmd_out *out)
{
	struct console_line	 l;
	struct cmd_args		 a;
	const struct cmd_entry	*e;
	char			 name[CMD_WORD_SHOWN + 2];

	console_parse(line, len, &l);
	memset(&a, 0, sizeof(a));
	switch (l.kind) {
	case CONSOLE_NOTHING:
		cmd_printf(out, "nothing to announce");
		return -1;
	case CONSOLE_ANNOUNCE:
		a.entry = cmd_find("/announce", 9);
		memcpy(a.text, l.text, sizeof(a.text));
		return server_cmd_announce(srv, &a, out);
	case CONSOLE_COMMAND:
		break;
	}
	if (l.word_len > CMD_WORD_SHOWN ||
	    (e = (snprintf(name, sizeof(name), "/%.*s", (int)l.word_len,
	    l.word), cmd_find(name, l.word_len + 1))) == NULL) {
		cmd_unknown(l.word, l.word_len, out);
		return -1;
	}
	if (cmd_args(e, l.rest, l.rest_len, &a, out) == -1)
		return -1;
	return e->exec(srv, &a, out);
}

/* The words and text of e from rest, or -1 with its usage in out. */
static int
cmd_args(const struct cmd_entry *e, const char *rest, size_t len,
    struct cmd_args *a, struct cmd_out *out)
{
	size_t	 n;

	a->entry = e;
	while (a->nwords < e->words_max) {
		n = console_word(&rest, &len, a->word[a->nwords],
		    sizeof(a->word[a->nwords]));
		if (n == 0)
			break;
		a->word_ok[a->nwords++] = n <= PROTO_NAME_MAX_BYTES;
	}
	if ((e->flags & CMD_TEXT) != 0)
		console_clean(rest, len, a->text, sizeof(a->text));
	else if (console_word(&rest, &len, NULL, 0) != 0)
		a->nwords = -1;		/* a word too many */
	if (a->nwords < e->words_min || ((e->flags & CMD_TEXT_NEEDED) != 0 &&
	    a->text[0] == '\0')) {
		cmd_printf(out, "usage: %s", e->usage);
		return -1;
	}
	return 0;
}

/* "unknown command '/WORD': ..." with WORD made safe. */
static void
cmd_unknown(const char *word, size_t len, struct cmd_out *out)
{
	char	 safe[CMD_WORD_SHOWN * 3 + 1];

	if (len > CMD_WORD_SHOWN)
		len = utf8_prefix(word, len, CMD_WORD_SHOWN);
	utf8_sanitize(word, len, safe, sizeof(safe));
	cmd_printf(out, "unknown command '/%s': type /help for the commands, "
	    "//text to announce /text", safe);
}

const struct cmd_entry *
cmd_find(const char *name, size_t len)
{
	const struct cmd_entry	*e;

	for (e = cmd_table; e->name != NULL; e++) {
		if (strlen(e->name) == len && memcmp(e->name, name, len) == 0)
			return e;
	}
	return NULL;
}

void
cmd_printf(struct cmd_out *out, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (out->cap == 0 || out->len + 1 >= out->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out->buf + out->len, out->cap - out->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < out->cap - out->len) {
		out->len += (size_t)n;
		return;
	}
	/* Cut: say so where it ends, on a character boundary. */
	out->len = utf8_prefix(out->buf, out->cap - 1, out->cap - 5);
	memcpy(out->buf + out->len, "...", 4);
	out->len += 3;
}

void
cmd_help(struct cmd_out *out)
{
	const struct cmd_entry	*e;

	cmd_printf(out, "commands (a line without / is announced to everyone; "
	    "//text announces /text):\n");
	for (e = cmd_table; e->name != NULL; e++)
		cmd_printf(out, "  %-29s %s\n", e->usage, e->help);
}

static int
cmd_help_exec(struct server *srv, const struct cmd_args *a,
    struct cmd_out *out)
{
	(void)srv;
	(void)a;
	cmd_help(out);
	return 0;
}

const char *const *
cmd_names(size_t *n)
{
	static const char	*names[sizeof(cmd_table) / sizeof(cmd_table[0])];
	size_t			 i;

	for (i = 0; cmd_table[i].name != NULL; i++)
		names[i] = cmd_table[i].name;
	*n = i;
	return names;
}
