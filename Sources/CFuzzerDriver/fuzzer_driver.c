// Only the declaration in include/fuzzer_driver.h; libFuzzer provides the function.
#include "fuzzer_driver.h"
