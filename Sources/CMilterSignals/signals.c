#define _GNU_SOURCE
#include "gcm_signals.h"

#include <dlfcn.h>
#include <pthread.h>
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

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGQUIT};
static struct sigaction reporting[NSIG];

/* Runs the reporting handler, then the default action (see gcm_signals.h). Only async-signal-safe calls. */
static void report_then_end(int sig, siginfo_t *info, void *context) {
    const struct sigaction *report = &reporting[sig];
    if (report->sa_flags & SA_SIGINFO) {
        if (report->sa_sigaction) report->sa_sigaction(sig, info, context);
    } else if (report->sa_handler != SIG_DFL && report->sa_handler != SIG_IGN) {
        report->sa_handler(sig);
    }
    struct sigaction fallback = {0};
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(sig, &fallback, NULL);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, sig);
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    raise(sig);
    _exit(128 + sig); /* only if the default action were to ignore it */
}

void gcm_crash_signals_end_the_process(void) {
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++) {
        int sig = crash_signals[i];
        struct sigaction current;
        if (sigaction(sig, NULL, &current) != 0) continue;
        int handled = (current.sa_flags & SA_SIGINFO) ? current.sa_sigaction != NULL
                                                       : (current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN);
        if (!handled || (current.sa_flags & SA_SIGINFO && current.sa_sigaction == report_then_end)) continue;
        reporting[sig] = current;
        struct sigaction wrapped = current;
        wrapped.sa_sigaction = report_then_end;
        wrapped.sa_flags = current.sa_flags | SA_SIGINFO;
        sigaction(sig, &wrapped, NULL);
    }
}
