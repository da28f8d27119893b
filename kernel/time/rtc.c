/* rtc.c - wall-clock time from the CMOS real-time clock (contract in
 * kernel/time/rtc.h).
 *
 * The RTC (MC146818 registers, as every PC chipset and QEMU's pc/q35
 * provide) is read once, at the first request, and time then advances with
 * the monotonic clock: reading it costs a dozen slow port accesses and it
 * only counts whole seconds. */
#include "kernel/time/rtc.h"

#include <stdbool.h>

#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"
#include "kernel/time/clock.h"

#define RTC_INDEX_PORT 0x70
#define RTC_DATA_PORT 0x71
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_STATUS_A_UPDATE_IN_PROGRESS 0x80
#define RTC_STATUS_B_24_HOUR 0x02
#define RTC_STATUS_B_BINARY 0x04
#define RTC_HOURS_PM 0x80
/* Without the ACPI FADT century register, the RTC's two-digit year is taken as 20xx. */
#define RTC_CENTURY_BASE 2000

struct rtc_reading {
	unsigned seconds, minutes, hours, day, month, year;
};

static unsigned rtc_register(unsigned index)
{
	outb(RTC_INDEX_PORT, (uint8_t)index);
	return inb(RTC_DATA_PORT);
}

static void rtc_read_once(struct rtc_reading *reading)
{
	while (rtc_register(RTC_STATUS_A) & RTC_STATUS_A_UPDATE_IN_PROGRESS)
		cpu_pause();
	*reading = (struct rtc_reading){ rtc_register(RTC_SECONDS), rtc_register(RTC_MINUTES), rtc_register(RTC_HOURS),
					 rtc_register(RTC_DAY_OF_MONTH), rtc_register(RTC_MONTH), rtc_register(RTC_YEAR) };
}

static unsigned from_bcd(unsigned value)
{
	return (value >> 4) * 10 + (value & 0x0f);
}

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian calendar). */
static int64_t days_from_civil(int64_t year, unsigned month, unsigned day)
{
	year -= month <= 2;
	int64_t era = (year >= 0 ? year : year - 399) / 400;
	unsigned year_of_era = (unsigned)(year - era * 400);
	unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * 146097 + (int64_t)day_of_era - 719468;
}

/* Two identical readings in a row cannot straddle an update (the usual
 * way to read the MC146818 without its update-ended interrupt). */
static int64_t rtc_read_seconds(void)
{
	struct rtc_reading first, second;
	rtc_read_once(&second);
	do {
		first = second;
		rtc_read_once(&second);
	} while (first.seconds != second.seconds || first.minutes != second.minutes || first.hours != second.hours ||
		 first.day != second.day);
	unsigned status = rtc_register(RTC_STATUS_B);
	bool pm = second.hours & RTC_HOURS_PM;
	second.hours &= ~RTC_HOURS_PM;
	if (!(status & RTC_STATUS_B_BINARY)) {
		second = (struct rtc_reading){ from_bcd(second.seconds), from_bcd(second.minutes), from_bcd(second.hours),
					       from_bcd(second.day), from_bcd(second.month), from_bcd(second.year) };
	}
	if (!(status & RTC_STATUS_B_24_HOUR))
		second.hours = second.hours % 12 + (pm ? 12 : 0);
	if (second.month < 1 || second.month > 12 || second.day < 1 || second.day > 31 || second.hours > 23 ||
	    second.minutes > 59 || second.seconds > 59)
		return -1;
	int64_t days = days_from_civil(RTC_CENTURY_BASE + second.year, second.month, second.day);
	return days * 86400 + second.hours * 3600 + second.minutes * 60 + second.seconds;
}

int64_t rtc_realtime_ns(void)
{
	static bool read, valid;
	static int64_t offset_ns; /* realtime - monotonic */
	if (!read) {
		read = true;
		int64_t seconds = rtc_read_seconds();
		valid = seconds >= 0;
		if (valid)
			offset_ns = seconds * (int64_t)NSEC_PER_SEC - (int64_t)clock_monotonic_ns();
		else
			pr_warn("rtc: no valid date in the CMOS clock, wall-clock time unknown\n");
	}
	return valid ? offset_ns + (int64_t)clock_monotonic_ns() : -1;
}
