/*
 * cli: what chat_server's and chat_client's command lines share. A bad
 * option is refused once, in the user's words, made safe for the
 * terminal because it repeats what was typed; and the standard
 * descriptors exist before anything opens a socket or a file.
 */
#ifndef CLI_H
#define CLI_H

struct conf;

/*
 * Prints "PROG: MESSAGE (see --help)" on stderr and exits 2. The
 * message passes through utf8_sanitize: a value typed with an escape
 * sequence or a bidi control is not written raw.
 */
void	 cli_bad(const char *prog, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/*
 * While the option handler reads c->argv (conf.h), a refusal of an
 * argument that came from c's file or environment (getopt's optind - 1)
 * reads "PROG: FILE:LINE: MESSAGE": the user is told which line to fix.
 * NULL turns it off again, before checks about the options' mix.
 */
void	 cli_conf(const struct conf *c);

/*
 * Started with fd 0, 1 or 2 closed (<&- or >&- in a script, some
 * service managers), the next socket or file opened would take that
 * number, and its data would be read as typed lines or written over by
 * log lines. Puts /dev/null in each closed one: a closed stdin becomes
 * one at end of file. Returns 0, or -1 if /dev/null could not be opened.
 */
int	 cli_std_fds(void);

#endif /* CLI_H */
