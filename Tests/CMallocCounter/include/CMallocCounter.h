#ifndef PARLEY_MALLOC_COUNTER_H
#define PARLEY_MALLOC_COUNTER_H

#include <stdint.h>

/// Heap allocations in this process so far: malloc, calloc, realloc and the aligned
/// family, counted by the interposed allocator of MallocCounter.c. Linked only into the
/// allocation-count tests.
int64_t parley_allocation_count(void);

/// free() calls with a non-null pointer so far.
int64_t parley_free_count(void);

#endif
