/* hash: a seeded string hash for hash tables (hash.h). */
#include "hash.h"

uint64_t
hash_str(uint64_t seed, const char *s)
{
	uint64_t	 h;

	h = 0xcbf29ce484222325ULL ^ seed;
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}
