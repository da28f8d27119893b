/* sysctl_defaults.h - for the fuzzers that set tunables (fuzz_cmdline,
 * fuzz_console): every sysctl's boot value remembered once, and after each
 * input every integer tunable checked within its declared range, then put
 * back, so one input's settings never leak into the next. */
#ifndef KEEL_FUZZ_SYSCTL_DEFAULTS_H
#define KEEL_FUZZ_SYSCTL_DEFAULTS_H

/* NULL, or what is wrong (more tunables than the table holds). */
const char *sysctl_defaults_save(void);
/* NULL, or what is wrong (a tunable outside its range); restores all either way. */
const char *sysctl_defaults_check_and_restore(void);

#endif
