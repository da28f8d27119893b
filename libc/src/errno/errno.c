/* errno - the single error number of this single-CPU kernel (see errno.h). */
#include <errno.h>

int errno;
