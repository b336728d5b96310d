/*
 * hash: a seeded hash of a NUL-terminated string for the server's hash
 * tables (session.c by name, token and skeleton; resume.c by name).
 * FNV-1a started from the seed, then a splitmix64 finish to spread the
 * low bits that pick a bucket. The keys come from the network: with a
 * random per-process seed, a client cannot aim its names at one chain.
 * Not a MAC: nothing secret depends on it.
 */
#ifndef HASH_H
#define HASH_H

#include <stdint.h>

uint64_t	 hash_str(uint64_t seed, const char *s);

#endif /* HASH_H */
