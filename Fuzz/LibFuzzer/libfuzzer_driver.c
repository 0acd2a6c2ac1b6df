// Declarations only: LLVMFuzzerRunDriver comes from libFuzzer at link time (scripts/fuzz).
#include "libfuzzer_driver.h"
