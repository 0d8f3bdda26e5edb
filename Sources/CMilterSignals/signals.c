#define _GNU_SOURCE
#include "gcm_signals.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

static atomic_int taken_over;

void gcm_signals_take_over(void) { atomic_store(&taken_over, 1); }

/* Interposes libc's sigwait (see gcm_signals.h). */
int sigwait(const sigset_t *set, int *sig) {
    if (atomic_load(&taken_over) && sigismember(set, SIGHUP) == 1 && sigismember(set, SIGTERM) == 1
        && sigismember(set, SIGINT) == 1) {
        /* The three signals stay blocked in this thread, so nothing ever wakes it. */
        for (;;) pause();
    }
    int (*real)(const sigset_t *, int *) = (int (*)(const sigset_t *, int *))dlsym(RTLD_NEXT, "sigwait");
    return real ? real(set, sig) : ENOSYS;
}
