/*
 * cli: what chat_server's and chat_client's command lines share. A bad
 * option is refused once, in the user's words, made safe for the
 * terminal because it repeats what was typed; and the standard
 * descriptors exist before anything opens a socket or a file.
 */
#ifndef CLI_H
#define CLI_H

/*
 * Prints "PROG: MESSAGE (see --help)" on stderr and exits 2. The
 * message passes through utf8_sanitize: a value typed with an escape
 * sequence or a bidi control is not written raw.
 */
void	 cli_bad(const char *prog, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/*
 * Started with fd 0, 1 or 2 closed (<&- or >&- in a script, some
 * service managers), the next socket or file opened would take that
 * number, and its data would be read as typed lines or written over by
 * log lines. Puts /dev/null in each closed one: a closed stdin becomes
 * one at end of file. Returns 0, or -1 if /dev/null could not be opened.
 */
int	 cli_std_fds(void);

#endif /* CLI_H */
