#ifndef PM_LIBFUZZER_DRIVER_H
#define PM_LIBFUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by `-sanitize=fuzzer`): `pm-fuzz` calls it from
/// its own entry point, since SwiftPM names an executable's `main` after the module.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
