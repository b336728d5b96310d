/*
 * askpass: a password typed at the terminal, as getpass(3) does it: on
 * /dev/tty (stdin and stderr may be elsewhere), echo off while it is
 * typed and back on after it, also when a signal ends us meanwhile.
 */
#ifndef ASKPASS_H
#define ASKPASS_H

#include <stddef.h>

enum askpass_result {
	ASKPASS_OK,		/* buf holds what was typed, not empty */
	ASKPASS_NO_TTY,		/* no terminal to ask at */
	ASKPASS_NONE,		/* Enter alone or end of input: given up */
};

/* Writes prompt, reads a line into buf (cap bytes, cut if longer). */
enum askpass_result askpass(const char *prompt, char *buf, size_t cap);

#endif /* ASKPASS_H */
