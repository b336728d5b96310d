/*
 * lineedit: a pure UTF-8 line editor (no terminal, no curses), so the
 * editing rules of the client's keyboard process and of the server's
 * console (chat_server/term.c) are one and unit-testable. The cursor is a
 * byte offset that always sits on a character boundary; every edit
 * moves by whole characters, so a Chinese character or an emoji is
 * inserted, skipped and deleted at once. The row is drawn as the chat
 * view draws text (lineedit_shown): a default-ignorable character shows
 * as U+FFFD, so that nothing is sent that the user could not see.
 */
#ifndef LINEEDIT_H
#define LINEEDIT_H

#include <stddef.h>
#include <stdint.h>

/* A chat text is at most 1000 bytes (protocol.md "text"). */
#define LINEEDIT_MAX		1000
/* Show a byte counter from here on, so the limit is no surprise. */
#define LINEEDIT_WARN		900
/* Room for the line as drawn (lineedit_shown): U+00AD grows to 3 bytes. */
#define LINEEDIT_SHOWN_MAX	(LINEEDIT_MAX * 3 / 2 + 1)
/* Lines kept for Up/Down. */
#define LINEEDIT_HISTORY	100
/* A word longer than this matches no name (48 bytes) nor command. */
#define LINEEDIT_COMP_MAX	63

enum lineedit_err {
	LINEEDIT_OK = 0,
	LINEEDIT_TOO_LONG,	/* would exceed LINEEDIT_MAX: refused whole */
	LINEEDIT_INVALID,	/* not UTF-8, or a control character */
};

struct lineedit {
	char	 buf[LINEEDIT_MAX + 1];
	size_t	 len;
	size_t	 cur;			/* byte offset, on a boundary */
	size_t	 scroll;		/* first visible byte (lineedit_view) */

	char	 kill[LINEEDIT_MAX + 1];	/* last Ctrl-U/K/W, for Ctrl-Y */
	size_t	 kill_len;

	/* History ring: hist[(hist_first + i) % LINEEDIT_HISTORY]. */
	char	 hist[LINEEDIT_HISTORY][LINEEDIT_MAX + 1];
	size_t	 hist_first;
	size_t	 hist_n;
	size_t	 hist_pos;		/* hist_n while editing a new line */
	char	 saved[LINEEDIT_MAX + 1];	/* the new line while browsing */

	/* What a first word starting with '/' completes among. */
	const char *const *commands;
	size_t		 ncommands;

	/*
	 * A Tab cycle: the word as typed and the match shown now, so the
	 * next Tab can replace it with the next match. Valid while the
	 * cursor and length are those the last Tab left.
	 */
	struct {
		int	 on;
		int	 commands;	/* completing a /command */
		size_t	 start;		/* where the word starts */
		size_t	 end;		/* the cursor after the last Tab */
		size_t	 len;		/* the line's length then */
		char	 word[LINEEDIT_COMP_MAX + 1];
		char	 shown[LINEEDIT_COMP_MAX + 1];	/* "": none yet */
	}	 comp;
};

/* Empties the line, the kill buffer and the history. */
void		 lineedit_init(struct lineedit *);
/*
 * The commands Tab offers for a first word starting with '/' ("/me"
 * and so on; the caller keeps the array). None until this is called.
 */
void		 lineedit_set_commands(struct lineedit *,
		    const char *const *commands, size_t n);
/* Empties the line only (history and kill buffer stay). */
void		 lineedit_clear(struct lineedit *);

/* Inserts one code point / a UTF-8 string at the cursor. */
enum lineedit_err lineedit_insert(struct lineedit *, uint32_t cp);
enum lineedit_err lineedit_insert_str(struct lineedit *, const char *,
		    size_t);

/* Cursor motion by character; each returns 1 if the cursor moved. */
int		 lineedit_left(struct lineedit *);
int		 lineedit_right(struct lineedit *);
void		 lineedit_home(struct lineedit *);
void		 lineedit_end(struct lineedit *);

/* Delete the character before / under the cursor; 1 if one went. */
int		 lineedit_backspace(struct lineedit *);
int		 lineedit_delete(struct lineedit *);

/* Ctrl-U, Ctrl-K, Ctrl-W: the killed text goes to the kill buffer. */
void		 lineedit_kill_start(struct lineedit *);
void		 lineedit_kill_end(struct lineedit *);
void		 lineedit_kill_word(struct lineedit *);
/* Ctrl-Y: inserts the last kill. */
enum lineedit_err lineedit_yank(struct lineedit *);

/* Adds a line to the history (empty lines and repeats are skipped). */
void		 lineedit_history_add(struct lineedit *, const char *);
/* Up / Down; 1 if the line changed. Down past the newest restores the
 * line that was being edited before Up. */
int		 lineedit_history_up(struct lineedit *);
int		 lineedit_history_down(struct lineedit *);

/*
 * Copies the line to out (cap bytes, NUL-terminated; cap must exceed
 * the line), adds it to the history and empties the editor.
 */
void		 lineedit_accept(struct lineedit *, char *out, size_t cap);

/*
 * Tab: completes the word before the cursor. A first word starting
 * with '/' completes among the commands, any other word among names
 * (n of them); exact case first, else ASCII letters folded. A unique
 * match replaces the word, followed by ": " for a name that starts the
 * line (irssi's "nick: " address) and " " otherwise; several are
 * completed to their longest common prefix.
 *
 * The next Tab, if nothing else changed the line in between, replaces
 * the word with the first match (in case-insensitive order), the one
 * after with the next, wrapping round: irssi's cycle. Shift-Tab
 * (lineedit_complete_back) goes the other way. Both return the number
 * of matches; comp.shown is "" after a step that showed no single
 * match. Any other key should call lineedit_complete_stop.
 */
size_t		 lineedit_complete(struct lineedit *,
		    const char *const *names, size_t n);
size_t		 lineedit_complete_back(struct lineedit *,
		    const char *const *names, size_t n);
/* Ends a Tab cycle: the next Tab completes the word anew. */
void		 lineedit_complete_stop(struct lineedit *);

/*
 * For a field width columns wide: the visible bytes [*start, *end) and
 * the cursor's column in it, scrolling horizontally so the cursor is
 * always visible (a wide character never straddles the edge). Columns
 * are those of the line as drawn (lineedit_shown).
 */
void		 lineedit_view(struct lineedit *, int width, size_t *start,
		    size_t *end, int *col);

/*
 * The bytes [start, end) of the line (character boundaries, as
 * lineedit_view gives them) as they are to be drawn, into out (cap
 * bytes, LINEEDIT_SHOWN_MAX for any line; NUL-terminated): each
 * character as the chat view shows it (utf8_safe_char), so a
 * default-ignorable one (U+200B, U+FEFF, U+2060, a soft hyphen, a tag,
 * ...) is U+FFFD but a zero width joiner or variation selector inside
 * an emoji. The line itself keeps what was typed: the user sees it, and
 * may delete it or send it. Returns the length written.
 */
size_t		 lineedit_shown(const struct lineedit *, size_t start,
		    size_t end, char *out, size_t cap);

/* "950/1000" when the line is near the limit, else "". */
const char	*lineedit_counter(const struct lineedit *, char *out,
		    size_t cap);

#endif /* LINEEDIT_H */
