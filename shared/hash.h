/*
 * hash: a seeded hash of bytes for the server's hash tables (session.c
 * by name, token, skeleton and address; resume.c by name). FNV-1a
 * started from the seed, then a splitmix64 finish to spread the low bits
 * that pick a bucket. The keys come from the network: with a random
 * per-process seed, a client cannot aim its keys at one chain. Not a
 * MAC: nothing secret depends on it.
 */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t	 hash_bytes(uint64_t seed, const void *p, size_t n);
/* hash_bytes of a NUL-terminated string, without the NUL. */
uint64_t	 hash_str(uint64_t seed, const char *s);

#endif /* HASH_H */
