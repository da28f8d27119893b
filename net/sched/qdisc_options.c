/* qdisc_options.c - a qdisc built from tc's words "<kind> [option value
 * ...]", for keel.qdisc= and the console's `tc qdisc replace` (contract in
 * net/sched/sched.h). What tc-fq_codel(8) and tc-pfifo(8) accept:
 *   fq_codel [limit PACKETS] [flows N] [quantum BYTES] [target TIME]
 *            [interval TIME] [memory_limit BYTES] [drop_batch N] [ecn|noecn]
 *   pfifo [limit PACKETS]
 *   pfifo_fast                       (no options, as Linux)
 * A malformed word refuses the whole line with tc's message: `What is
 * "x"?` for an unknown option, `Illegal "limit"` for a bad value. */
#include <stdio.h>
#include <string.h>

#include "net/core/pkt.h"
#include "net/sched/fq_codel.h"
#include "net/sched/pfifo_fast.h"
#include "net/sched/sched.h"
#include "net/sched/tc_parse.h"

#define FQ_CODEL_FLOWS_MAX 65536
#define FQ_CODEL_QUANTUM_MIN 256         /* sch_fq_codel.c: max(256U, quantum) */
#define FQ_CODEL_QUANTUM_MAX (1u << 20)  /* sch_fq_codel.c refuses more */

static bool refuse(char *error, size_t size, const char *format, const char *word)
{
	snprintf(error, size, format, word);
	return false;
}

/* One "name value" or flag of fq_codel at argv[*index]; advances *index. */
static bool fq_codel_option(struct fq_codel_parameters *p, int argc, char **argv, int *index, char *error,
			    size_t size)
{
	const char *name = argv[*index];
	if (strcmp(name, "ecn") == 0 || strcmp(name, "noecn") == 0) {
		p->codel.ecn = strcmp(name, "ecn") == 0;
		return true;
	}
	const char *value = *index + 1 < argc ? argv[++*index] : "";
	uint32_t count = 0;
	uint64_t time = 0;
	bool counted = tc_parse_count(value, &count) == 0;
	bool timed = tc_parse_time(value, &time) == 0;
	if (strcmp(name, "limit") == 0 && counted && count > 0)
		p->limit = count;
	else if (strcmp(name, "flows") == 0 && counted && count > 0 && count <= FQ_CODEL_FLOWS_MAX)
		p->flows = count;
	else if (strcmp(name, "quantum") == 0 && counted && count > 0 && count <= FQ_CODEL_QUANTUM_MAX)
		p->quantum = count < FQ_CODEL_QUANTUM_MIN ? FQ_CODEL_QUANTUM_MIN : count;   /* Linux raises it so */
	else if (strcmp(name, "memory_limit") == 0 && counted && count >= PKT_BUFFER_SIZE)
		p->memory_limit = count;
	else if (strcmp(name, "drop_batch") == 0 && counted && count > 0)
		p->drop_batch = count;
	else if (strcmp(name, "target") == 0 && timed && time > 0)
		p->codel.target_ns = time;
	else if (strcmp(name, "interval") == 0 && timed && time > 0)
		p->codel.interval_ns = time;
	else if (strcmp(name, "limit") == 0 || strcmp(name, "flows") == 0 || strcmp(name, "quantum") == 0 ||
		 strcmp(name, "memory_limit") == 0 || strcmp(name, "drop_batch") == 0 || strcmp(name, "target") == 0 ||
		 strcmp(name, "interval") == 0)
		return refuse(error, size, "Illegal \"%s\"", name);
	else
		return refuse(error, size, "What is \"%s\"?", name);
	return true;
}

static struct qdisc *fq_codel_from_words(int argc, char **argv, char *error, size_t size)
{
	struct fq_codel_parameters parameters;
	fq_codel_default_parameters(&parameters, pkt_pool_get_stats().total);
	for (int index = 1; index < argc; index++)
		if (!fq_codel_option(&parameters, argc, argv, &index, error, size))
			return NULL;
	struct qdisc *qdisc = fq_codel_create(&parameters);
	if (qdisc == NULL)
		snprintf(error, size, "no memory for fq_codel with %u flows", parameters.flows);
	return qdisc;
}

static struct qdisc *pfifo_from_words(int argc, char **argv, char *error, size_t size)
{
	uint32_t limit = PFIFO_FAST_LIMIT_DEFAULT;
	for (int index = 1; index < argc; index++) {
		if (strcmp(argv[index], "limit") != 0) {
			refuse(error, size, "What is \"%s\"?", argv[index]);
			return NULL;
		}
		if (index + 1 >= argc || tc_parse_count(argv[++index], &limit) != 0 || limit == 0) {
			refuse(error, size, "Illegal \"%s\"", "limit");
			return NULL;
		}
	}
	struct qdisc *qdisc = pfifo_create(limit);
	if (qdisc == NULL)
		snprintf(error, size, "no memory for pfifo");
	return qdisc;
}

struct qdisc *qdisc_create_from_words(int argc, char **argv, char *error, size_t size)
{
	error[0] = '\0';
	if (argc < 1) {
		snprintf(error, size, "no qdisc kind given");
		return NULL;
	}
	if (strcmp(argv[0], fq_codel_ops.id) == 0)
		return fq_codel_from_words(argc, argv, error, size);
	if (strcmp(argv[0], pfifo_ops.id) == 0)
		return pfifo_from_words(argc, argv, error, size);
	if (strcmp(argv[0], pfifo_fast_ops.id) == 0) {
		if (argc > 1) {
			refuse(error, size, "What is \"%s\"?", argv[1]);
			return NULL;
		}
		return qdisc_create(argv[0]);
	}
	snprintf(error, size, "Specified qdisc kind is unknown.");
	return NULL;
}
