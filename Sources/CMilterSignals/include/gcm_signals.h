#ifndef GCM_SIGNALS_H
#define GCM_SIGNALS_H

/* libmilter's smfi_main starts a thread that sigwaits SIGHUP, SIGTERM and SIGINT and stops the milter
   on the first of them: SIGHUP would stop the daemon, and its stop leaves the sessions in flight to be
   cut when the process exits. The daemon has its own signal owner instead (Milter/SignalOwner.swift).
   After gcm_signals_take_over(), libmilter's wait is parked for good: this executable's sigwait
   interposes libc's for libmilter.so, and a wait for libmilter's exact set never returns. Any other
   caller, and every caller before the take-over, gets libc's sigwait. */
void gcm_signals_take_over(void);

#endif
