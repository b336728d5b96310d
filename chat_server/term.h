/*
 * term: the operator's console when the server's stdin and stdout are
 * its terminal in the foreground: a prompt, the line editor the client
 * uses (lineedit.h: arrows, Home/End, Ctrl-A/E/K/U/W/Y, Up/Down history,
 * Tab completion of commands and names), and every other line the
 * server prints (log lines, command output) written above the prompt,
 * never across what is being typed.
 *
 * Keys arrive as bytes: term_key decodes them (UTF-8, the control keys,
 * and the escape sequences of xterm-like terminals, CSI and SS3). An
 * escape sequence is a key or nothing; its bytes never reach the line,
 * so Up then Enter can never announce "^[[A". Ctrl-C stops the server
 * as before; Ctrl-Z gives the terminal back (term_stop) and fg takes it
 * again (term_start). Not at a terminal (a pipe, a file, a service),
 * none of this is used: lines are read as they come (announce.h).
 */
#ifndef TERM_H
#define TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#include "lineedit.h"

enum term_keycode {
	TERM_NONE,		/* nothing yet, or a sequence to ignore */
	TERM_CHAR,		/* cp: a character to insert */
	TERM_ENTER,
	TERM_TAB,
	TERM_BACKTAB,
	TERM_BACKSPACE,
	TERM_DELETE,
	TERM_LEFT,
	TERM_RIGHT,
	TERM_UP,
	TERM_DOWN,
	TERM_HOME,
	TERM_END,
	TERM_KILL_START,	/* Ctrl-U */
	TERM_KILL_END,		/* Ctrl-K */
	TERM_KILL_WORD,		/* Ctrl-W */
	TERM_YANK,		/* Ctrl-Y */
	TERM_REDRAW,		/* Ctrl-L */
};

#define TERM_SKIP_CSI		1
#define TERM_SKIP_STRING	2

/* The decoder's state between bytes (an escape sequence, a character). */
struct term_keys {
	unsigned char	 seq[32];
	size_t		 len;
	size_t		 want;		/* bytes of the UTF-8 character */
	int		 skip;		/* inside a sequence to ignore */
};

/*
 * Feeds one byte; returns the key it completes (TERM_NONE while a
 * sequence or character is incomplete, and for one that means nothing
 * here). *cp gets the character of TERM_CHAR.
 */
enum term_keycode term_key(struct term_keys *k, unsigned char c,
		    uint32_t *cp);

/* Hands a typed line (len bytes, no newline) to the server. */
typedef void (*term_line_cb)(void *arg, const char *line, size_t len);
/* The names Tab completes after the first word; *n gets how many. */
typedef const char *const *(*term_names_cb)(void *arg, size_t *n);

struct term {
	bool		 on;		/* raw mode and the prompt are live */
	bool		 shown;		/* the prompt line is on screen */
	int		 in;
	int		 out;
	struct termios	 saved;
	struct term_keys keys;
	struct lineedit	*le;		/* kept across stop and start */
	const char	*prompt;
	term_line_cb	 line_cb;
	term_names_cb	 names_cb;
	void		*arg;
};

/* Not on; term_print just writes. */
void	 term_init(struct term *t);
/*
 * Takes the terminal if in and out are one in the foreground: raw mode,
 * the prompt. Returns 0 if it did, -1 if they are not (lines are then
 * read as they come).
 */
int	 term_start(struct term *t, int in, int out, const char *prompt,
	    term_line_cb line_cb, term_names_cb names_cb, void *arg);
/* Gives the terminal back as it was (exit, Ctrl-Z). */
void	 term_stop(struct term *t);
/* Frees the editor; after term_stop. */
void	 term_free(struct term *t);
/*
 * Reads the keys waiting on in. Returns 0, or -1 once the terminal is
 * gone (end of file, or EIO in the background).
 */
int	 term_read(struct term *t);
/* Draws the prompt line again (the terminal was resized). */
void	 term_redraw(struct term *t);
/* Writes buf to fd above the prompt (a whole number of lines). */
void	 term_print(struct term *t, int fd, const char *buf, size_t len);

#endif /* TERM_H */
