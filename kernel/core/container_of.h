/* container_of.h - the structure around a member, from a pointer to the
 * member (as Linux's container_of): how a driver gets its own state back
 * from the struct netdev it embeds, without a back pointer. Kernel code
 * only; applications build against glibc too and must not use it. */
#ifndef KEEL_CONTAINER_OF_H
#define KEEL_CONTAINER_OF_H

#include <stddef.h>

/* The type check makes a pointer to anything but the member a compile error. */
#define container_of(pointer, type, member)                                                              \
	({                                                                                                 \
		_Static_assert(__builtin_types_compatible_p(__typeof__(*(pointer)), __typeof__(((type *)0)->member)) || \
				       __builtin_types_compatible_p(__typeof__(*(pointer)), void),         \
			       "container_of: pointer does not match the member's type");                  \
		(type *)(void *)((char *)(pointer) - offsetof(type, member));                            \
	})

#endif
