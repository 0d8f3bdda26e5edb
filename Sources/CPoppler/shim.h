#ifndef GIFTCARD_MILTER_CPOPPLER_SHIM_H
#define GIFTCARD_MILTER_CPOPPLER_SHIM_H
#include <poppler.h>
#endif
