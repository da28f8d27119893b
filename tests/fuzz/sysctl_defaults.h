/* sysctl_defaults.h - for the fuzzers that set tunables (fuzz_cmdline,
 * fuzz_console): every sysctl's boot value (template instances included)
 * remembered once, and after each input every integer tunable checked
 * within its declared range, then everything put back, so one input's
 * settings never leak into the next. A problem aborts the fuzzer with
 * "<harness>: <what>". */
#ifndef KEEL_FUZZ_SYSCTL_DEFAULTS_H
#define KEEL_FUZZ_SYSCTL_DEFAULTS_H

void sysctl_defaults_save(const char *harness);
void sysctl_defaults_check_and_restore(void);

#endif
