/*
 * ui_priv: what the ui files (ui.c, ui_input.c, ui_msgs.c, ui_names.c,
 * ui_status.c) share and nothing else sees: the state of this process's half of the
 * full screen, and the functions one file calls in another. front.h is
 * the interface; this header is private to the ui files.
 */
#ifndef UI_PRIV_H
#define UI_PRIV_H

#include <curses.h>
#include <signal.h>
#include <wchar.h>

#include "client.h"
#include "command.h"
#include "compose.h"
#include "front.h"
#include "lineedit.h"
#include "paste.h"
#include "wrap.h"

#define UI_UNUSED(x)	(void)(x)

/* Kept messages; each wraps into one or more rows, so >= 2000 rows. */
#define UI_SCROLLBACK	2000
/* A composed line: marks, names and a 1000-byte text fit easily. */
#define UI_BODY_MAX	2048
/*
 * "HH:MM:SS " before every message; continuation rows indent as much,
 * except the full-width rows of a long word (wrap.h).
 */
#define UI_TIME_COLS	9
/* read_line returns -1 this often so the caller sees its flags. */
#define UI_POLL_MS	250
/* Milliseconds ncurses waits for the rest of an escape sequence. */
#define UI_ESCDELAY	25
#define UI_PROMPT	"> "
#define UI_PROMPT_COLS	2
#define UI_CTRL(c)	((c) & 0x1f)
/* Our codes for the bracketed paste marks, ESC[200~ and ESC[201~. */
#define UI_KEY_PASTE_BEGIN	(KEY_MAX + 1)
#define UI_KEY_PASTE_END	(KEY_MAX + 2)
/* Focus reports (xterm's mode 1004), ESC[I and ESC[O. */
#define UI_KEY_FOCUS_IN		(KEY_MAX + 3)
#define UI_KEY_FOCUS_OUT	(KEY_MAX + 4)
/* The mouse events we ask for: the wheel only (ui_modes). */
#define UI_MOUSE_EVENTS		(BUTTON4_PRESSED | BUTTON5_PRESSED)
/* Rows one turn of the mouse wheel scrolls. */
#define UI_WHEEL_ROWS		3
/* The list of names: only from this many columns, at most this wide. */
#define UI_NAMES_MIN_COLS	50
#define UI_NAMES_MAX_WIDTH	16
/* What the unread marker says (an INFO line: "-- " goes before it). */
#define UI_MARKER_TEXT		"new since you left --"

/* Colour pairs: names hash into the first six. */
enum {
	UI_PAIR_NAME = 1,	/* .. UI_PAIR_NAME + UI_NAME_COLOURS - 1 */
	UI_PAIR_FAILED = 7,
	UI_PAIR_ANNOUNCE = 8,
	UI_PAIR_MENTION = 9,
	UI_PAIR_STATUS = 10,
	UI_PAIR_PRIVATE = 11,
};
#define UI_NAME_COLOURS	6

/* What ui_flush must draw (tmux's CLIENT_REDRAW* flags). */
#define UI_DIRTY_MSGS		0x1
#define UI_DIRTY_STATUS		0x2

enum ui_role {
	UI_KBD,
	UI_NET,
};

/*
 * What the keyboard process asks of the network process. Lives in
 * shared memory of our own; every field is guarded by client_lock.
 */
struct ui_shared {
	int		 scroll_pages;	/* + older, - newer */
	int		 scroll_end;	/* back to the newest */
	int		 redraw;	/* Ctrl-L */
	int		 suspended;	/* Ctrl-Z: the terminal is not ours */
	int		 scroll_rows;	/* the wheel: + older, - newer */
	int		 unfocused;	/* the terminal said it lost focus */
	int		 names;		/* the list of names is shown (F2) */
};

/* One message of the scrollback, as front_item gave it. */
struct ui_msg {
	enum front_kind	 kind;
	time_t		 when;
	int		 own, history, mention, action;
	enum front_state state;
	uint64_t	 id;
	char		*a;		/* from, or name */
	char		*b;		/* to */
	char		*text;		/* text, or reason */
};

/* An attribute run inside a composed body. */
struct ui_span {
	size_t		 start, end;
	attr_t		 attr;
	short		 pair;
};
#define UI_MAXSPANS	6

struct ui_body {
	char		 time[COMPOSE_TIME_MAX + 1];	/* "HH:MM:SS " */
	char		 s[UI_BODY_MAX];
	size_t		 len;
	struct ui_span	 span[UI_MAXSPANS];
	int		 nspan;
	attr_t		 base;		/* attributes of the whole line */
	short		 pair;
};

/*
 * The state of this process's half of the UI. front_ops has no context
 * argument, so it is one file-level struct (as plain.c does).
 */
struct ui {
	struct client_shared	*sh;
	const char		*commands[COMMAND_NAMES_MAX];	/* Tab's */
	struct ui_shared	*us;
	enum ui_role		 role;
	pid_t			 curses_pid;	/* who ran newterm; 0: nobody */
	int			 ended;
	int			 colour;
	int			 rows, cols;	/* the size we laid out for */
	WINDOW			*status, *msgs, *input;
	WINDOW			*shadow;	/* network: over the input row */

	/* Network process: the scrollback and how far we look back. */
	struct ui_msg		*ring;
	size_t			 first, n;
	size_t			 clear_at;	/* messages older than /clear */
	int			 scroll;	/* rows up from the newest */
	struct wrap_row		*wrows;
	unsigned long		 stored;	/* messages ever kept: the
						   serial of msg i is stored -
						   n + i */
	char			 search_text[PROTO_TEXT_MAX + 1];
	unsigned long		 hit;		/* serial + 1 of the line
						   /search found; 0: none */
	char			 search_note[PROTO_TEXT_MAX + 64];
	int			 dirty;		/* UI_DIRTY_*: for ui_flush */
	int			 bell;		/* ring at the next ui_flush */
	unsigned long		 shows;		/* ui_show's lines */
	unsigned long		 draws;		/* ui_flush's repaints */
	/*
	 * Lines that came while the user could not see them (scrolled
	 * back, suspended, unfocused), and the private ones among them:
	 * the status bar's "+5" and "[2 private]" until seen. marked: the
	 * unread marker is in for this absence.
	 */
	unsigned		 unseen, unseen_priv;
	int			 marked;
	int			 names_on;	/* our copy of us->names */
	int			 names_w;	/* the longest name's columns */

	/* Keyboard process: the editor and a one-shot notice. */
	struct lineedit		*le;
	struct paste		*paste;		/* a bracketed paste */
	int			 brackets;	/* the terminal marks pastes:
						   keys outside the marks are
						   typed, however fast */
	size_t			 asking;	/* "send N lines?" shown: N */
	const char		*notice;
	char			 notice_buf[48];
	size_t			 over;		/* bytes refused since the last
						   Enter: that Enter sends nothing */
	int			 keys_left;	/* ncurses may hold typed keys */
	int			 detached;	/* told to end while stopped: the
						   terminal stays the shell's */
	int			 mouse_off;	/* /mouse: no mouse reports */
};

extern struct ui		 ui;
extern volatile sig_atomic_t	 ui_winch;

/* ui.c: take the terminal (lock, cursor) and give it back; Ctrl-Z. */
void	 ui_begin(void);
void	 ui_finish(void);
void	 ui_suspend(void);

/* ui_input.c: front's read_line; a scroll or redraw asked of the
 * network process; the input row. */
int	 ui_read_line(char *, size_t);
void	 ui_ask_net(int, int, int);
void	 ui_ask_rows(int);
int	 ui_mouse(void);
void	 ui_draw_input(void);

/* ui_msgs.c: front's show, mark, clear; the scrollback and its rows. */
void	 ui_show(const struct front_item *);
void	 ui_mark(uint64_t, enum front_state);
void	 ui_clear(void);
void	 ui_search(const char *);
void	 ui_net_requests(void);
void	 ui_msg_free(struct ui_msg *);
struct ui_msg *ui_msg_at(size_t);
void	 ui_draw_msgs(void);
int	 ui_absent(void);
void	 ui_seen(void);

/* ui_names.c: the list of names beside the messages; the seen state. */
void	 ui_names(void);
void	 ui_names_measure(void);
int	 ui_names_width(void);
void	 ui_draw_names(void);
int	 ui_msgs_cols(void);

/* ui_status.c: front's status and flush; the bar; the draw counter. */
void	 ui_status(void);
void	 ui_flush(void);
void	 ui_draw_status(void);
void	 ui_put_clipped(WINDOW *, const char *, int);
void	 ui_debug_draws(void);

#endif /* UI_PRIV_H */
