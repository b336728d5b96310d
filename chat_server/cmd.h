/*
 * cmd: the operator's commands, one table (cmd_table[], as tmux's
 * cmd.c) that drives running a line, /help and Tab completion, for the
 * terminal console, stdin and the control socket alike. An entry says
 * how many words a command takes and whether words of text follow;
 * cmd_run checks that before the command's exec sees its arguments, so
 * every usage error reads the same. The exec functions are the
 * server's (server_int.h); what they print goes into a struct cmd_out,
 * which the caller shows on the console or sends to the control
 * socket's caller.
 */
#ifndef CMD_H
#define CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "console.h"

struct server;

/* Words a command takes at most before its text. */
#define CMD_WORDS_MAX	2
/* What a command may print (the /who of a full room is cut there). */
#define CMD_OUT_MAX	65536

/* The arguments of one command, as typed (words raw, text cleaned). */
struct cmd_args {
	const struct cmd_entry	*entry;
	int			 nwords;
	char			 word[CMD_WORDS_MAX][CONSOLE_SHOWN_MAX];
	bool			 word_ok[CMD_WORDS_MAX];	/* fits a name */
	char			 text[CONSOLE_TEXT_MAX];	/* "" if none */
};

/* Where a command prints: a buffer of cap bytes, always NUL-terminated. */
struct cmd_out {
	char	*buf;
	size_t	 cap;
	size_t	 len;
};

#define CMD_TEXT	0x1	/* words of text follow the words */
#define CMD_TEXT_NEEDED	0x2	/* ... and at least one */

struct cmd_entry {
	const char	*name;		/* "/who", as typed and completed */
	int		 words_min;
	int		 words_max;
	int		 flags;
	const char	*usage;		/* "/mute NAME [MINUTES]" */
	const char	*help;		/* one line */
	/* 0, or -1 with why in out. */
	int		 (*exec)(struct server *, const struct cmd_args *,
			    struct cmd_out *);
};

extern const struct cmd_entry cmd_table[];

/*
 * Runs one operator line (len bytes, raw): a /command, or an
 * announcement. Returns 0, or -1 with the reason in out.
 */
int	 cmd_run(struct server *srv, const char *line, size_t len,
	    struct cmd_out *out);

/* The command called name (with its '/', len bytes), or NULL. */
const struct cmd_entry *cmd_find(const char *name, size_t len);

/* Appends to out; what does not fit is cut, ending in "...". */
void	 cmd_printf(struct cmd_out *out, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* The /help text into out. */
void	 cmd_help(struct cmd_out *out);

/* The command names ("/who", ...) for Tab; *n gets how many. */
const char *const *cmd_names(size_t *n);

#endif /* CMD_H */
