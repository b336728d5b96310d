/*
 * front: the interface between the client's two processes and whatever
 * draws for them. Two implementations: plain.c (stdio, one event per
 * line, for scripts and tests) and ui.c (ncursesw full screen). Neither
 * sees a socket; everything they get is already sanitised for display.
 *
 * The keyboard process calls the input half (front_read_line); the
 * network process calls the output half (show, mark, status). Both
 * processes write the one terminal, so every implementation takes the
 * shared terminal lock (client_lock) around each write, and ui.c puts
 * the cursor back on the input line before releasing it.
 *
 * Which process calls which member, and how a front end tells the two
 * processes apart, is written at the top of client.h.
 */
#ifndef FRONT_H
#define FRONT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct client_shared;

enum front_kind {
	FRONT_CHAT,		/* <from> text, or * from text (action); own = 1 */
	FRONT_MSG_IN,		/* *from* text */
	FRONT_MSG_OUT,		/* -> *to* text */
	FRONT_JOIN,		/* -- name joined */
	FRONT_LEAVE,		/* -- name left (reason) */
	FRONT_RENAME,		/* -- from is now to */
	FRONT_ANNOUNCE,		/* !! text */
	FRONT_USERS,		/* -- users: text */
	FRONT_ERROR,		/* error: text */
	FRONT_INFO,		/* -- text (local: reconnected, help, ...) */
};

enum front_state {
	FRONT_DONE = 0,		/* received, or own line acked */
	FRONT_PENDING,		/* own line sent, not acked yet */
	FRONT_FAILED,		/* own line never acked */
};

/* One line of the message window. Strings are sanitised UTF-8. */
struct front_item {
	enum front_kind	 kind;
	time_t		 when;		/* wall clock seconds */
	const char	*from;		/* chat, msg in, rename (old name) */
	const char	*to;		/* msg out, rename (new name) */
	const char	*name;		/* join, leave */
	const char	*reason;	/* leave */
	const char	*text;
	int		 own;		/* sent by this client */
	int		 history;	/* replayed history */
	int		 action;	/* chat: a /me line, "* from text" */
	int		 mention;	/* text mentions our name */
	enum front_state state;
	uint64_t	 id;		/* own lines: request id, for mark */
};

enum front_conn {
	FRONT_CONNECTED,
	FRONT_RECONNECTING,
	FRONT_NO_ANSWER,
};

struct front_ops {
	/*
	 * Set-up (shared is the mmap block): the keyboard process calls it
	 * once before fork, the network process once more after it to take
	 * its half of the inherited state (client.h says who calls what).
	 */
	int	(*init)(struct client_shared *shared);
	/* Restores the terminal. Safe to call twice. */
	void	(*end)(void);

	/*
	 * Keyboard process: the next line the user entered, NUL-terminated
	 * UTF-8 in buf. Returns 1 for a line, 0 for end of input (EOF,
	 * Ctrl-D on an empty line), -1 when interrupted by a signal (the
	 * caller checks its flags and calls again). It should also return
	 * -1 when nothing was typed for about 250 ms (a poll timeout): a
	 * signal that lands just before the wait would otherwise go
	 * unnoticed until the next key, and the keyboard process must
	 * notice promptly that the network process has exited.
	 */
	int	(*read_line)(char *buf, size_t cap);

	/*
	 * Network process: show, mark, status and clear may only note what
	 * changed; flush, called once per loop turn before the process
	 * sleeps (and once at the end), makes it visible. NULL: nothing to
	 * flush (plain.c writes each line at once).
	 */
	/* A new line for the message window. */
	void	(*show)(const struct front_item *item);
	/* Own line id changed state (acked or failed). */
	void	(*mark)(uint64_t id, enum front_state state);
	/* The status bar changed (reads shared). */
	void	(*status)(void);
	/* /clear. */
	void	(*clear)(void);
	/*
	 * /search: scroll to the newest line before the one last found
	 * (before the newest line for a new text; text "" for the last text
	 * again) holding text, and mark it, or say none is. NULL where
	 * there is no scrollback (plain.c).
	 */
	void	(*search)(const char *text);
	/* Draws what the calls above noted. */
	void	(*flush)(void);
	/*
	 * /names: show or hide the list of names. NULL: the network
	 * process prints the names as a line instead (plain.c).
	 */
	void	(*names)(void);
	/* Either process: the terminal was resized (SIGWINCH). */
	void	(*resize)(void);
	/*
	 * Keyboard process: SIGTSTP came (a stop asked from outside; in
	 * ui.c Ctrl-Z is a key and does the same). Gives the terminal back,
	 * stops until SIGCONT, takes it back. NULL where SIGTSTP's default
	 * action is right (plain.c: the whole job stops).
	 */
	void	(*suspend)(void);
	/*
	 * Keyboard process: /mouse turns the terminal's mouse reports off
	 * (or on again). Returns 1 if they are on now. NULL: no mouse here
	 * (plain.c).
	 */
	int	(*mouse)(void);
	/*
	 * Keyboard process: SIGCONT after a stop we did not make (kill
	 * -STOP stops both processes and leaves the terminal as the shell
	 * set it): take the terminal's modes back and repaint. NULL when
	 * nothing is needed.
	 */
	void	(*resume)(void);
};

extern const struct front_ops plain_front;	/* plain.c */
extern const struct front_ops ui_front;		/* ui.c */

#endif /* FRONT_H */
