/* The C test harness of ccl-agent's tuner plugin: it loads the .so with dlopen and calls it as NCCL does. */
#ifndef CCL_TUNER_HARNESS_H
#define CCL_TUNER_HARNESS_H

#include "../../native/nccl-tuner/ccl_tuner_abi.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  const ncclTuner_v2_t* v2;
  const ncclTuner_v3_t* v3;
  const ncclTuner_v4_t* v4;
  const ncclTuner_v5_t* v5;
} plugin_t;

extern plugin_t plugin;
extern char tmp_dir[];

/* ---- checks ---- */

void expect_at(bool ok, const char* file, int line, const char* fmt, ...) __attribute__((format(printf, 4, 5)));
#define EXPECT(cond, ...) expect_at((cond), __FILE__, __LINE__, __VA_ARGS__)

/* ---- the logger handed to the plugin: records every message ---- */

void test_logger(ncclDebugLogLevel level, unsigned long flags, const char* file, int line, const char* fmt, ...);
void log_clear(void);
int log_count(ncclDebugLogLevel level, const char* substring); /* messages of that level containing substring */
int log_format_violations(void); /* calls whose format was not exactly "%s" */
void log_dump(void);

/* ---- files and environment ---- */

void path_in_tmp(char* out, size_t size, const char* name);
void write_file_atomic(const char* path, const char* text); /* temp file + rename, as ccl-agent does */
void env_reset(const char* conf_path, const char* reload_ms, const char* decisions_path);
char* read_text(const char* path); /* malloc'd, NULL when missing */

/* ---- cost tables ---- */

#define NA NCCL_NUM_ALGORITHMS
#define NP NCCL_NUM_PROTOCOLS
void cost_fill(float table[NA][NP]);           /* every cell a distinct positive cost */
int cost_zero_cell(float table[NA][NP]);       /* algo*NP+proto of the single 0.0 cell; -1 none; -2 several */
#define CELL(algo, proto) ((algo) * NP + (proto))

/* ---- the decision log ---- */

int jsonl_count(const char* text, const char* const* must_contain); /* lines containing every string */
const char* jsonl_find(const char* text, const char* const* must_contain, char* line, size_t size);
bool json_field(const char* line, const char* key, char* value, size_t size); /* raw value, quotes removed */
long long json_int(const char* line, const char* key);

/* ---- suites ---- */

typedef struct {
  const char* name;
  void (*run)(void);
} test_case;

extern const test_case functional_cases[];
extern const int functional_case_count;
void case_reload_stress(void);
int run_bench(void);

#endif
