/* Messages go through NCCL's logger so they appear with NCCL_DEBUG=WARN/INFO and NCCL_DEBUG_SUBSYS=TUNING. */
#include "tuner.h"

#include <stdarg.h>
#include <stdio.h>

void ccl_log_at(const ccl_log_sink* sink, ncclDebugLogLevel level, const char* file, int line, const char* fmt, ...) {
  if (sink == NULL || (sink->fn == NULL && !sink->to_stderr)) return;

  char message[1024];
  va_list args;
  va_start(args, fmt);
  vsnprintf(message, sizeof message, fmt, args);
  va_end(args);

  /* Always "%s" plus a finished message: a host that cannot implement C varargs (the .NET side) only has to
   * read one string argument. */
  if (sink->fn != NULL) {
    sink->fn(level, NCCL_TUNING, file, line, "%s", message);
  } else {
    fprintf(stderr, "ccl-agent tuner %s: %s\n", level == NCCL_LOG_WARN ? "WARN" : "INFO", message);
  }
}
