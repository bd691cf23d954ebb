#ifndef PARLEY_FUZZER_DRIVER_H
#define PARLEY_FUZZER_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry for programs that have their own main (linked in by
   `-sanitize=fuzzer`): it parses libFuzzer's flags and runs `callback` on each input. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
