/*
 * transcript: the room's record for the operator (--transcript FILE),
 * one JSON object per line: every chat, join, leave (with its reason),
 * rename and announcement, each with the server's "ts". Private msg is
 * never written: it is between two people, and the operator asked for a
 * record of the room, not of them.
 *
 * The file is opened O_APPEND (several runs make one record) and
 * created mode 0600 (the room's words are not for every local user).
 * Each line goes out in one write(2), so it is on disk as far as the
 * kernel is concerned when the event happens, and a reader tailing the
 * file never sees half a line. A failing write is reported once; the
 * server keeps running and keeps trying. A line the disk had room for
 * only part of is cut off again, so the file goes on in whole lines
 * once there is room. A FIFO or terminal is written without blocking:
 * a reader that stalls loses lines, it does not stop the server.
 *
 * The encoder is pure (transcript_encode) and tested in
 * tests/unit/test_transcript.c; the output is JSON whatever the input
 * bytes: invalid UTF-8 becomes U+FFFD, control characters (C0, DEL, C1)
 * and U+2028/U+2029 are \u escapes.
 */
#ifndef TRANSCRIPT_H
#define TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Room for the longest line: a 1000-byte text in which every byte
 * became a 6-byte escape, two 48-byte names likewise, and the keys.
 */
#define TRANSCRIPT_LINE_MAX	8192

/*
 * One event. type is "chat", "join", "leave", "rename", "announce" or
 * "topic";
 * the string fields a type does not use are NULL and left out, so is a
 * mid of 0 and an action of false.
 *   chat: mid, from, text, [action]    join: name, addr
 *   leave: name, reason, addr, [text]  rename: from, to
 *   announce: mid, text                topic: [text]
 * addr is where the session came from ("192.168.1.23:50123"); a
 * shutdown writes a leave with reason "shutdown" for everyone still in.
 */
struct transcript_event {
	const char	*type;
	uint64_t	 ts;		/* wall-clock ms, as on the wire */
	uint64_t	 mid;		/* message number, as on the wire */
	bool		 action;	/* a chat's "/me" */
	const char	*name;
	const char	*from;
	const char	*to;
	const char	*reason;
	const char	*addr;
	const char	*text;
};

struct transcript {
	int		 fd;		/* -1: no transcript */
	bool		 failed;	/* a write failed and was reported */
	bool		 torn;		/* the file ends inside a line */
	char		 path[4096];
};

/* No file: transcript_write does nothing. */
void	 transcript_init(struct transcript *t);

/*
 * Opens (creates, mode 0600) path for appending. Returns 0, or -1 with
 * err filled in words a user can act on.
 */
int	 transcript_open(struct transcript *t, const char *path, char *err,
	    size_t errlen);
void	 transcript_close(struct transcript *t);

/*
 * Encodes e as one JSON object and a newline into buf (cap bytes).
 * Returns the length, or 0 if it does not fit.
 */
size_t	 transcript_encode(const struct transcript_event *e, char *buf,
	    size_t cap);

/*
 * Appends e. Returns 0, or -1 if the write failed; the first failure
 * fills err (then the caller reports it), later ones leave it empty.
 */
int	 transcript_write(struct transcript *t, const struct transcript_event *e,
	    char *err, size_t errlen);

#endif /* TRANSCRIPT_H */
