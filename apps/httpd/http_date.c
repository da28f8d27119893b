/* http_date.c - formatting and parsing HTTP-dates (see http_date.h). The
 * civil-calendar conversions are the usual era-based ones (proleptic
 * Gregorian, 400-year eras of 146097 days). */
#include "apps/httpd/http_date.h"

#include <stdio.h>
#include <string.h>

#define SECONDS_PER_DAY 86400

static const char day_names[7][4] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" }; /* 1970-01-01: Thu */
static const char month_names[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const long_day_names[7] = { "Monday", "Tuesday", "Wednesday", "Thursday",
					       "Friday", "Saturday", "Sunday" };

static int64_t days_from_civil(int64_t year, int month, int day)
{
	year -= month <= 2;
	int64_t era = (year >= 0 ? year : year - 399) / 400;
	int64_t year_of_era = year - era * 400;
	int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * 146097 + day_of_era - 719468;
}

static void civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	int64_t day_of_era = days - era * 146097;
	int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
	int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	int64_t month_index = (5 * day_of_year + 2) / 153;
	*day = (int)(day_of_year - (153 * month_index + 2) / 5 + 1);
	*month = (int)(month_index < 10 ? month_index + 3 : month_index - 9);
	*year = year_of_era + era * 400 + (*month <= 2);
}

void http_date_format(int64_t seconds, char text[HTTP_DATE_LENGTH + 1])
{
	int64_t days = seconds >= 0 ? seconds / SECONDS_PER_DAY : (seconds - SECONDS_PER_DAY + 1) / SECONDS_PER_DAY;
	int64_t second_of_day = seconds - days * SECONDS_PER_DAY;
	int64_t year;
	int month, day;
	civil_from_days(days, &year, &month, &day);
	int weekday = (int)(((days % 7) + 7) % 7);
	snprintf(text, HTTP_DATE_LENGTH + 1, "%s, %02d %s %04d %02d:%02d:%02d GMT", day_names[weekday], day,
		 month_names[month - 1], (int)year, (int)(second_of_day / 3600), (int)(second_of_day / 60 % 60),
		 (int)(second_of_day % 60));
}

/* A cursor over the text; every step fails (returns false) at a mismatch. */
struct cursor {
	const char *at, *end;
};

static bool expect(struct cursor *c, const char *literal)
{
	size_t length = strlen(literal);
	if ((size_t)(c->end - c->at) < length || memcmp(c->at, literal, length) != 0)
		return false;
	c->at += length;
	return true;
}

/* Exactly `digits` digits; a leading space stands for a zero when
 * space_padded (asctime's day of month). */
static bool number(struct cursor *c, int digits, bool space_padded, int *value)
{
	if (c->end - c->at < digits)
		return false;
	*value = 0;
	for (int i = 0; i < digits; i++) {
		char ch = c->at[i];
		if (ch == ' ' && space_padded && i == 0)
			continue;
		if (ch < '0' || ch > '9')
			return false;
		*value = *value * 10 + (ch - '0');
	}
	c->at += digits;
	return true;
}

static bool month(struct cursor *c, int *value)
{
	for (int i = 0; i < 12; i++)
		if (expect(c, month_names[i])) {
			*value = i + 1;
			return true;
		}
	return false;
}

static bool short_day_name(struct cursor *c)
{
	for (int i = 0; i < 7; i++)
		if (expect(c, day_names[i]))
			return true;
	return false;
}

static bool long_day_name(struct cursor *c)
{
	for (int i = 0; i < 7; i++)
		if (expect(c, long_day_names[i]))
			return true;
	return false;
}

static bool time_of_day(struct cursor *c, int *hour, int *minute, int *second)
{
	return number(c, 2, false, hour) && expect(c, ":") && number(c, 2, false, minute) && expect(c, ":") &&
	       number(c, 2, false, second);
}

struct broken_down {
	int year, month, day, hour, minute, second;
};

static bool imf_fixdate(struct cursor c, struct broken_down *t)
{
	return short_day_name(&c) && expect(&c, ", ") && number(&c, 2, false, &t->day) && expect(&c, " ") &&
	       month(&c, &t->month) && expect(&c, " ") && number(&c, 4, false, &t->year) && expect(&c, " ") &&
	       time_of_day(&c, &t->hour, &t->minute, &t->second) && expect(&c, " GMT") && c.at == c.end;
}

static bool rfc850_date(struct cursor c, struct broken_down *t)
{
	return long_day_name(&c) && expect(&c, ", ") && number(&c, 2, false, &t->day) && expect(&c, "-") &&
	       month(&c, &t->month) && expect(&c, "-") && number(&c, 2, false, &t->year) && expect(&c, " ") &&
	       time_of_day(&c, &t->hour, &t->minute, &t->second) && expect(&c, " GMT") && c.at == c.end;
}

static bool asctime_date(struct cursor c, struct broken_down *t)
{
	return short_day_name(&c) && expect(&c, " ") && month(&c, &t->month) && expect(&c, " ") &&
	       number(&c, 2, true, &t->day) && expect(&c, " ") && time_of_day(&c, &t->hour, &t->minute, &t->second) &&
	       expect(&c, " ") && number(&c, 4, false, &t->year) && c.at == c.end;
}

/* RFC 9110 5.6.7: 50 years ahead or more means the previous century. */
static int full_year(int two_digits, int64_t now)
{
	int current_year = 1970;
	if (now >= 0) {
		int64_t year;
		int month_unused, day_unused;
		civil_from_days(now / SECONDS_PER_DAY, &year, &month_unused, &day_unused);
		current_year = (int)year;
	}
	int year = current_year - current_year % 100 + two_digits;
	return year > current_year + 50 ? year - 100 : year;
}

static bool valid(const struct broken_down *t)
{
	static const int days_in_month[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return t->month >= 1 && t->month <= 12 && t->day >= 1 && t->day <= days_in_month[t->month - 1] &&
	       t->hour <= 23 && t->minute <= 59 && t->second <= 60;
}

bool http_date_parse(const char *text, size_t length, int64_t now, int64_t *seconds)
{
	struct cursor c = { text, text + length };
	struct broken_down t = { 0 };
	if (rfc850_date(c, &t))
		t.year = full_year(t.year, now);
	else if (!imf_fixdate(c, &t) && !asctime_date(c, &t))
		return false;
	if (!valid(&t))
		return false;
	int second = t.second == 60 ? 59 : t.second; /* a leap second */
	*seconds = days_from_civil(t.year, t.month, t.day) * SECONDS_PER_DAY + t.hour * 3600 + t.minute * 60 + second;
	return true;
}
