/* assert.h - assert(expr) reports a broken internal invariant and never
 * returns; with NDEBUG defined it expands to nothing (expr is not evaluated).
 *
 * Like the standard header it has no include guard around assert itself, so
 * including it again after changing NDEBUG takes effect. The kernel
 * implements __assert_fail (print, then panic). Use assert only for
 * invariants of our own code, never to reject bad input or packets. */
#ifndef KEEL_ASSERT_H
#define KEEL_ASSERT_H

_Noreturn void __assert_fail(const char *expr, const char *file,
			     unsigned int line, const char *function);

#define static_assert _Static_assert

#endif

#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr) \
	((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif
