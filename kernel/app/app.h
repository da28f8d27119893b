/* app.h - the in-image application (apps/<APP>/, chosen with `make APP=`):
 * after the network is up, kmain (kernel/core/main.c) calls its main() as a
 * program's; its blocking calls run the kernel loop (kernel/core/loop.h).
 *
 * argv[0] is the app's name; then come the words of `keel.app.args=`
 * (split on commas), then one `--name=value` per `keel.<app>.<name>=value`
 * on the command line (e.g. keel.httpd.maxconn=64 -> --maxconn=64), so the
 * same source reads its options from argv on keel and on Linux. When main
 * returns, its status is printed and the machine shuts down. */
#ifndef KEEL_APP_H
#define KEEL_APP_H

#include <stdbool.h>

/* False for `make APP=none`: the kernel loop then just serves the network. */
bool app_present(void);
__attribute__((noreturn)) void app_run(void);

#endif
