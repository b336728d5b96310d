/*
 * passwd: the --password-file both programs take. Its first line is
 * the room's password. Never prints or exits: a failure fills err
 * (errlen bytes) with words for the caller to print once, naming the
 * option as both programs spell it.
 */
#ifndef PASSWD_H
#define PASSWD_H

#include <stddef.h>

/*
 * The first line of path, without its line ending (\n or \r\n), in
 * *pw, which the caller frees. Returns 0, or -1 with err filled when
 * the file cannot be read or the line is not 1-PROTO_PASSWORD_MAX bytes
 * free of control characters.
 */
int	 passwd_read(const char *path, char **pw, char *err, size_t errlen);

#endif /* PASSWD_H */
