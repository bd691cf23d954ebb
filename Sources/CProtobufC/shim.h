#ifndef PARLEY_CPROTOBUFC_SHIM_H
#define PARLEY_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#endif
