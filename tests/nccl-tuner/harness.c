/*
 * Usage: tuner-harness [--bench] [path/to/libnccl-tuner-ccl-agent.so]
 * (or CCL_TUNER_PLUGIN_SO). Runs every named check, prints PASS/FAIL per check, exits non-zero on a failure.
 */
#include "harness.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

plugin_t plugin;
char tmp_dir[512];

/* ---- checks ---- */

static int case_failures;

void expect_at(bool ok, const char* file, int line, const char* fmt, ...) {
  if (ok) return;
  case_failures++;
  if (case_failures > 10) return;
  va_list args;
  va_start(args, fmt);
  fprintf(stdout, "    %s:%d: ", file, line);
  vfprintf(stdout, fmt, args);
  fputc('\n', stdout);
  va_end(args);
}

/* ---- logger ---- */

#define LOG_CAPACITY 4096
static struct {
  ncclDebugLogLevel level;
  char text[1024];
} log_entries[LOG_CAPACITY];
static int log_used, log_violations;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void test_logger(ncclDebugLogLevel level, unsigned long flags, const char* file, int line, const char* fmt, ...) {
  (void)file;
  (void)line;
  pthread_mutex_lock(&log_lock);
  if (strcmp(fmt, "%s") != 0 || flags != NCCL_TUNING) log_violations++;
  if (log_used < LOG_CAPACITY) {
    va_list args;
    va_start(args, fmt);
    log_entries[log_used].level = level;
    vsnprintf(log_entries[log_used].text, sizeof log_entries[log_used].text, fmt, args);
    va_end(args);
    if (getenv("HARNESS_VERBOSE")) printf("      [log %d] %s\n", level, log_entries[log_used].text);
    log_used++;
  }
  pthread_mutex_unlock(&log_lock);
}

void log_clear(void) {
  pthread_mutex_lock(&log_lock);
  log_used = 0;
  log_violations = 0;
  pthread_mutex_unlock(&log_lock);
}

int log_count(ncclDebugLogLevel level, const char* substring) {
  pthread_mutex_lock(&log_lock);
  int n = 0;
  for (int i = 0; i < log_used; i++)
    if (log_entries[i].level == level && strstr(log_entries[i].text, substring) != NULL) n++;
  pthread_mutex_unlock(&log_lock);
  return n;
}

int log_format_violations(void) { return log_violations; }

void log_dump(void) {
  for (int i = 0; i < log_used; i++) printf("      log[%d] level %d: %s\n", i, log_entries[i].level, log_entries[i].text);
}

/* ---- files and environment ---- */

void path_in_tmp(char* out, size_t size, const char* name) { snprintf(out, size, "%s/%s", tmp_dir, name); }

void write_file_atomic(const char* path, const char* text) {
  char temp[1024];
  snprintf(temp, sizeof temp, "%s.tmp.%lx", path, (unsigned long)pthread_self());
  FILE* f = fopen(temp, "w");
  if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0 || rename(temp, path) != 0) {
    perror(temp);
    exit(2);
  }
}

char* read_text(const char* path) {
  FILE* f = fopen(path, "r");
  if (f == NULL) return NULL;
  size_t capacity = 1 << 16, used = 0;
  char* text = malloc(capacity);
  size_t got;
  while ((got = fread(text + used, 1, capacity - used - 1, f)) > 0) {
    used += got;
    if (capacity - used < 2) text = realloc(text, capacity *= 2);
  }
  text[used] = '\0';
  fclose(f);
  return text;
}

void env_reset(const char* conf_path, const char* reload_ms, const char* decisions_path) {
  unsetenv("CCL_TUNER_DECISIONS_FLUSH_MS");
  if (conf_path) setenv("NCCL_TUNER_CONFIG_FILE", conf_path, 1); else unsetenv("NCCL_TUNER_CONFIG_FILE");
  if (reload_ms) setenv("CCL_TUNER_RELOAD_MS", reload_ms, 1); else unsetenv("CCL_TUNER_RELOAD_MS");
  if (decisions_path) setenv("CCL_TUNER_DECISIONS", decisions_path, 1); else unsetenv("CCL_TUNER_DECISIONS");
}

/* ---- cost tables ---- */

void cost_fill(float table[NA][NP]) {
  for (int a = 0; a < NA; a++)
    for (int p = 0; p < NP; p++) table[a][p] = 10.0f + (float)(a * NP + p);
}

int cost_zero_cell(float table[NA][NP]) {
  int found = -1;
  for (int a = 0; a < NA; a++)
    for (int p = 0; p < NP; p++)
      if (table[a][p] == 0.0f) found = found == -1 ? CELL(a, p) : -2;
  return found;
}

/* ---- decision log ---- */

static bool line_has_all(const char* line, size_t length, const char* const* must) {
  for (; *must; must++) {
    size_t n = strlen(*must);
    bool found = false;
    for (size_t i = 0; i + n <= length && !found; i++) found = memcmp(line + i, *must, n) == 0;
    if (!found) return false;
  }
  return true;
}

const char* jsonl_find(const char* text, const char* const* must, char* out, size_t size) {
  for (const char* line = text; text && *line;) {
    const char* end = strchr(line, '\n');
    size_t length = end ? (size_t)(end - line) : strlen(line);
    if (line_has_all(line, length, must)) {
      if (out) snprintf(out, size, "%.*s", (int)length, line);
      return line;
    }
    line += length + (end ? 1 : 0);
  }
  return NULL;
}

int jsonl_count(const char* text, const char* const* must) {
  int n = 0;
  for (const char* line = text; text && *line;) {
    const char* end = strchr(line, '\n');
    size_t length = end ? (size_t)(end - line) : strlen(line);
    if (line_has_all(line, length, must)) n++;
    line += length + (end ? 1 : 0);
  }
  return n;
}

bool json_field(const char* line, const char* key, char* value, size_t size) {
  char pattern[128];
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  const char* at = strstr(line, pattern);
  if (at == NULL) return false;
  at += strlen(pattern);
  size_t n = 0;
  if (*at == '"') {
    at++;
    while (at[n] && at[n] != '"') n++;
  } else {
    while (at[n] && at[n] != ',' && at[n] != '}') n++;
  }
  snprintf(value, size, "%.*s", (int)n, at);
  return true;
}

long long json_int(const char* line, const char* key) {
  char value[64];
  return json_field(line, key, value, sizeof value) ? strtoll(value, NULL, 10) : -999999;
}

/* ---- main ---- */

static void load_plugin(const char* so_path) {
  void* handle = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    fprintf(stderr, "cannot dlopen %s: %s\n", so_path, dlerror());
    exit(2);
  }
  /* NCCL looks the structs up by name, newest first. */
  plugin.v5 = dlsym(handle, "ncclTunerPlugin_v5");
  plugin.v4 = dlsym(handle, "ncclTunerPlugin_v4");
  plugin.v3 = dlsym(handle, "ncclTunerPlugin_v3");
  plugin.v2 = dlsym(handle, "ncclTunerPlugin_v2");
  if (!plugin.v5 || !plugin.v4 || !plugin.v3 || !plugin.v2) {
    fprintf(stderr, "%s lacks a ncclTunerPlugin_v2..v5 symbol\n", so_path);
    exit(2);
  }
}

static void make_tmp_dir(void) {
  const char* base = getenv("TMPDIR");
  snprintf(tmp_dir, sizeof tmp_dir, "%s/ccl-tuner-test.XXXXXX", base && *base ? base : "/tmp");
  if (mkdtemp(tmp_dir) == NULL) {
    perror("mkdtemp");
    exit(2);
  }
}

static bool run_case(const char* name, void (*run)(void)) {
  case_failures = 0;
  log_clear();
  run();
  printf("%s %s\n", case_failures == 0 ? "PASS" : "FAIL", name);
  if (case_failures != 0 && getenv("HARNESS_VERBOSE") == NULL) log_dump();
  fflush(stdout);
  return case_failures == 0;
}

int main(int argc, char** argv) {
  bool bench = false;
  const char* so_path = getenv("CCL_TUNER_PLUGIN_SO");
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--bench") == 0) bench = true;
    else so_path = argv[i];
  }
  if (so_path == NULL) {
    fprintf(stderr, "usage: %s [--bench] path/to/libnccl-tuner-ccl-agent.so\n", argv[0]);
    return 2;
  }
  load_plugin(so_path);
  make_tmp_dir();
  unsetenv("CCL_TUNER_DEBUG");
  if (bench) return run_bench();

  int failed = 0;
  for (int i = 0; i < functional_case_count; i++)
    if (!run_case(functional_cases[i].name, functional_cases[i].run)) failed++;
  if (!run_case("hot_reload_stress", case_reload_stress)) failed++;
  printf("%d checks, %d failed\n", functional_case_count + 1, failed);

  char command[600];
  snprintf(command, sizeof command, "rm -rf '%s'", tmp_dir);
  if (failed == 0 && system(command) != 0) fprintf(stderr, "could not remove %s\n", tmp_dir);
  return failed == 0 ? 0 : 1;
}
