/* qdisc_check_options.c - qdiscs from tc's words (net/sched/qdisc_options.c)
 * and the keys that use them, keel.qdisc= and keel.shape= (sched.c,
 * shape.c), read through qdisc_init from a fake command line. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "net/core/netdev.h"
#include "net/sched/sched.h"
#include "tests/host/qdisc_check.h"

#define HOST_CHECK_SHARED
#include "host_check.h"

#define WORDS_MAX 12

/* The qdisc of the space-separated words, its tc options line in out (or
 * the error when refused); whether one was made. */
static bool build(const char *line, char *out, size_t size)
{
	char text[160], *words[WORDS_MAX];
	int count = 0;
	snprintf(text, sizeof(text), "%s", line);
	for (char *cursor = NULL, *word = strtok_r(text, " ", &cursor); word && count < WORDS_MAX;
	     word = strtok_r(NULL, " ", &cursor))
		words[count++] = word;
	struct qdisc *qdisc = qdisc_create_from_words(count, words, out, size);
	if (qdisc == NULL)
		return false;
	qdisc->ops->format_options(qdisc, out, size);
	qdisc->ops->destroy(qdisc);
	return true;
}

static bool makes(const char *line, const char *expected_part)
{
	char out[256];
	bool made = build(line, out, sizeof(out));
	if (!made || strstr(out, expected_part) == NULL)
		printf("  %s -> %s\n", line, out);
	return made && strstr(out, expected_part) != NULL;
}

static bool refuses(const char *line, const char *expected_error)
{
	char out[256];
	bool made = build(line, out, sizeof(out));
	if (made || strcmp(out, expected_error) != 0)
		printf("  %s -> %s\n", line, out);
	return !made && strcmp(out, expected_error) == 0;
}

void check_qdisc_options(void)
{
	CHECK(makes("fq_codel target 10ms interval 200ms limit 500 quantum 300 noecn",
		    "limit 500p flows 1024 quantum 300 target 10ms interval 200ms memory_limit "));
	CHECK(!makes("fq_codel noecn", " ecn ") && makes("fq_codel noecn ecn", " ecn drop_batch 64 "));
	CHECK(makes("fq_codel flows 16 drop_batch 8 memory_limit 1048576", "flows 16 quantum 1514 "));
	CHECK(makes("fq_codel memory_limit 1048576", "memory_limit 1Mb "));
	CHECK(makes("fq_codel quantum 100", "quantum 256 "));              /* Linux raises it to 256 */
	CHECK(makes("fq_codel", "limit 10240p flows 1024 quantum 1514 target 5ms interval 100ms "));
	CHECK(makes("pfifo limit 100", "limit 100p") && makes("pfifo", "limit 1000p"));
	CHECK(makes("pfifo_fast", "bands 3 priomap "));
	CHECK(refuses("fq_codel target", "Illegal \"target\""));
	CHECK(refuses("fq_codel target 5 ms", "What is \"ms\"?"));
	CHECK(refuses("fq_codel target 0ms", "Illegal \"target\""));
	CHECK(refuses("fq_codel interval soon", "Illegal \"interval\""));
	CHECK(refuses("fq_codel limit 0", "Illegal \"limit\""));
	CHECK(refuses("fq_codel limit -1", "Illegal \"limit\""));
	CHECK(refuses("fq_codel flows 70000", "Illegal \"flows\""));
	CHECK(refuses("fq_codel quantum 2000000", "Illegal \"quantum\""));
	CHECK(refuses("fq_codel drop_batch 0", "Illegal \"drop_batch\""));
	CHECK(refuses("fq_codel memory_limit 10", "Illegal \"memory_limit\""));
	CHECK(refuses("fq_codel bogus 1", "What is \"bogus\"?"));
	CHECK(refuses("pfifo limit", "Illegal \"limit\"") && refuses("pfifo limit 0", "Illegal \"limit\""));
	CHECK(refuses("pfifo limt 5", "What is \"limt\"?"));
	CHECK(refuses("pfifo_fast limit 5", "What is \"limit\"?"));
	CHECK(refuses("sfq", "Specified qdisc kind is unknown."));
	char out[64];
	CHECK(qdisc_create_from_words(0, NULL, out, sizeof(out)) == NULL && out[0]);
}

static void print_text(void *context, const char *text) { fputs(text, stdout); }

/* qdisc_init with the command line qdisc_check.c was given (QDISC_CHECK_CMDLINE_*). */
void show_tc_after_init(void)
{
	qdisc_init();
	tc_qdisc_show(NULL, false, print_text, NULL);
	netdev_qdisc_attach(qdisc_check_device(0), NULL);
	netdev_qdisc_attach(qdisc_check_device(1), NULL);
}
