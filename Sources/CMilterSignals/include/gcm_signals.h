#ifndef GCM_SIGNALS_H
#define GCM_SIGNALS_H

/* libmilter's smfi_main starts a thread that sigwaits SIGHUP, SIGTERM and SIGINT and stops the milter
   on the first of them: SIGHUP would stop the daemon, and its stop leaves the sessions in flight to be
   cut when the process exits. The daemon has its own signal owner instead (Milter/SignalOwner.swift).
   After gcm_signals_take_over(), libmilter's wait is parked for good: this executable's sigwait
   interposes libc's for libmilter.so, and a wait for libmilter's exact set never returns. Any other
   caller, and every caller before the take-over, gets libc's sigwait. */
void gcm_signals_take_over(void);

/* With SWIFT_BACKTRACE enabled, the Swift runtime's handler for crash signals (SIGSEGV, SIGBUS, SIGILL,
   SIGFPE, SIGABRT, SIGTRAP, SIGQUIT) prints the backtrace and returns. For a fault that is enough (the
   instruction runs again and the default action ends the process), but for a signal sent with kill(2)
   nothing happens again and the process, its threads disturbed, lives on. After this call each such
   handler is wrapped: when it returns, the signal's default action is taken at once, so the process
   ends with that signal and the service manager restarts it. Signals without a handler are left alone. */
void gcm_crash_signals_end_the_process(void);

#endif
