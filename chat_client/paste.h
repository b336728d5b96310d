/*
 * paste: a bracketed paste (the terminal wraps it in ESC[200~ and
 * ESC[201~) collected as one edit, pure so it is unit-testable.
 * ui_input.c feeds it the pasted characters; at the end it says how many lines
 * the input line would hold with the paste put in at the cursor. One
 * line is left to the line editor (nothing is sent before Enter);
 * several are kept here, to be sent one by one once the user agrees.
 *
 * A pasted line is always said as text: one starting with / gets
 * another / (// says /), so a /command inside a paste never runs. Only
 * what was typed before the paste (the head of the first line) keeps
 * its meaning: "/msg bob " then a paste sends the first line to bob.
 */
#ifndef PASTE_H
#define PASTE_H

#include <stddef.h>
#include <stdint.h>

/* Bytes kept of one paste (about 64 full lines); the rest is dropped. */
#define PASTE_MAX	65536

struct paste {
	int	 on;		/* between ESC[200~ and ESC[201~ */
	char	 buf[PASTE_MAX];	/* what was pasted, UTF-8, \n ends lines */
	size_t	 len;
	size_t	 dropped;	/* bytes beyond PASTE_MAX */
	int	 cr;		/* the last character was \r (\r\n is one) */

	/* Lines to send (paste_end), \n-separated, and the next one. */
	char	 q[PASTE_MAX + 2048];
	size_t	 qlen, qoff;
};

/* ESC[200~: starts collecting (and forgets lines not sent). */
void		 paste_begin(struct paste *);
/* One pasted character; \r, \n and \r\n end a line, \t is a space. */
void		 paste_add(struct paste *, uint32_t cp);
/*
 * ESC[201~: the input line would be head, the paste, then tail. Returns
 * how many lines that makes (a trailing line end of the paste makes
 * none). 1: buf holds the paste's text alone, for the editor; more:
 * the lines wait in q for paste_next.
 */
size_t		 paste_end(struct paste *, const char *head, size_t hlen,
		    const char *tail, size_t tlen);
/* The next line to send into out (cap bytes): 1, or 0 when none. */
int		 paste_next(struct paste *, char *out, size_t cap);
/* The user said no: nothing is sent. */
void		 paste_drop(struct paste *);

#endif /* PASTE_H */
