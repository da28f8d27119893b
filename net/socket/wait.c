/* wait.c - how a socket call waits: deadlines on the monotonic
 * clock, one network step per wait (net_wait_once), the wake list that
 * lets poll() look only at the sockets that changed, and the one-time
 * "keel: ready" line. */
#include "net/socket/socket.h"

#include "kernel/console/printk.h"
#include "kernel/console/shell.h"
#include "kernel/time/clock.h"

/* Enough for a burst of wake-ups in one network step; more makes poll()
 * look at every descriptor again, which is merely slower. */
#define WAKE_LIST_CAPACITY 128

static bool app_has_bound_socket;
static bool ready_announced;

static int woken_fds[WAKE_LIST_CAPACITY];
static int woken_count;
static bool wake_list_overflowed;
static bool wake_list_active;

uint64_t socket_deadline(uint64_t timeout_ns)
{
	return timeout_ns ? clock_monotonic_ns() + timeout_ns : 0;
}

bool socket_deadline_passed(uint64_t deadline_ns)
{
	return deadline_ns != 0 && clock_monotonic_ns() >= deadline_ns;
}

void socket_note_bound(void)
{
	app_has_bound_socket = true;
}

void socket_announce_ready(const char *detail)
{
	if (ready_announced)
		return;
	ready_announced = true;
	printk(LOG_ALWAYS, "keel: ready%s\n", detail);
	console_shell_start();
}

void socket_wait(uint64_t deadline_ns, bool serving)
{
	if (serving && app_has_bound_socket)
		socket_announce_ready("");
	net_wait_once(deadline_ns);
}

/* A deadline already passed makes net_wait_once do its work without
 * sleeping (see its contract in net/socket/sock.h). */
void socket_run_network(void)
{
	net_wait_once(1);
}

void sock_wake(struct sock *sk)
{
	sk->wake_count++;
	if (!wake_list_active || sk->fd < 0)
		return;
	if (woken_count < WAKE_LIST_CAPACITY)
		woken_fds[woken_count++] = sk->fd;
	else
		wake_list_overflowed = true;
}

void socket_wake_list_start(void)
{
	woken_count = 0;
	wake_list_overflowed = false;
	wake_list_active = true;
}

int socket_wake_list_take(int *fds, int capacity)
{
	int taken = wake_list_overflowed || woken_count > capacity ? -1 : woken_count;
	for (int i = 0; i < taken; i++)
		fds[i] = woken_fds[i];
	woken_count = 0;
	wake_list_overflowed = false;
	return taken;
}

void socket_wake_list_stop(void)
{
	wake_list_active = false;
}
