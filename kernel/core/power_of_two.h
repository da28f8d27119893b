/* power_of_two.h - rounding to powers of two, for sizes that must be one
 * (virtqueues, rings) or are halved until they fit (the packet pool). */
#ifndef KEEL_KERNEL_CORE_POWER_OF_TWO_H
#define KEEL_KERNEL_CORE_POWER_OF_TWO_H

/* The largest power of two not above value (1 for 0 and 1). */
static inline unsigned round_down_power_of_two(unsigned value)
{
	unsigned power = 1;
	while (power <= value / 2)
		power *= 2;
	return power;
}

#endif
