#ifndef GIFTCARD_MILTER_CPSL_SHIM_H
#define GIFTCARD_MILTER_CPSL_SHIM_H
#include <libpsl.h>
#endif
