/*
 * hot_reload_stress: a writer replaces the conf file by rename over and over, alternating two tables, while
 * readers call getCollInfo in a tight loop with CCL_TUNER_RELOAD_MS=0. Every answer must be one of the two
 * tables' answers for that size, and the final decision records must count every call exactly once.
 *
 * --bench: the hot path over a 1,000-row table and the time to reload such a table.
 */
#include "harness.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int scale(int n) {
  const char* s = getenv("HARNESS_SCALE"); /* sanitizer runs use fewer iterations */
  double f = s ? atof(s) : 1.0;
  int scaled = (int)(n * (f > 0 ? f : 1.0));
  return scaled > 0 ? scaled : 1;
}

/* ---- hot_reload_stress ---- */

/* Table A: ring/ll128 x4 up to 1000 bytes, ring/simple x2 above. Table B: tree/ll x8, tree/simple x16.
 * Filler rows (other collectives) make each parse take a while and give the tables different sizes. */
static char* stress_table(bool b) {
  size_t capacity = 1 << 16;
  char* text = malloc(capacity);
  int n = snprintf(text, capacity, "# ccl-agent: table_id=%s\n", b ? "B" : "A");
  for (int i = 0; i < (b ? 300 : 200); i++)
    n += snprintf(text + n, capacity - (size_t)n, "broadcast,%d,%d,ring,simple,-1,-1,-1\n", i * 10, i * 10 + 9);
  n += snprintf(text + n, capacity - (size_t)n, b ? "allreduce,0,1000,tree,ll,8,-1,-1\n"
                                                   "allreduce,1001,1048576,tree,simple,16,-1,-1\n"
                                                 : "allreduce,0,1000,ring,ll128,4,-1,-1\n"
                                                   "allreduce,1001,1048576,ring,simple,2,-1,-1\n");
  return text;
}

static const size_t stress_sizes[] = {0, 1, 512, 1000, 1001, 4096, 65536, 1048576};
#define STRESS_SIZES (sizeof stress_sizes / sizeof stress_sizes[0])

typedef struct {
  void* ctx;
  atomic_bool* stop;
  unsigned seed;
  long calls, bad, saw_a, saw_b;
} reader_state;

static void* reader(void* arg) {
  reader_state* r = arg;
  while (!atomic_load(r->stop)) {
    size_t bytes = stress_sizes[rand_r(&r->seed) % STRESS_SIZES];
    float table[NA][NP];
    cost_fill(table);
    int channels = 0;
    ncclResult_t rc = plugin.v5->getCollInfo(r->ctx, ncclFuncAllReduce, bytes, 1, (float**)table, NA, NP, 0, &channels);
    int cell = cost_zero_cell(table);
    bool small = bytes <= 1000;
    bool is_a = cell == (small ? CELL(NCCL_ALGO_RING, NCCL_PROTO_LL128) : CELL(NCCL_ALGO_RING, NCCL_PROTO_SIMPLE)) &&
                channels == (small ? 4 : 2);
    bool is_b = cell == (small ? CELL(NCCL_ALGO_TREE, NCCL_PROTO_LL) : CELL(NCCL_ALGO_TREE, NCCL_PROTO_SIMPLE)) &&
                channels == (small ? 8 : 16);
    r->calls++;
    if (rc != ncclSuccess || !(is_a || is_b)) r->bad++;
    r->saw_a += is_a;
    r->saw_b += is_b;
  }
  return NULL;
}

void case_reload_stress(void) {
  char path[512], log_path[512];
  path_in_tmp(path, sizeof path, "stress.conf");
  path_in_tmp(log_path, sizeof log_path, "stress.jsonl");
  char* tables[2] = {stress_table(false), stress_table(true)};
  write_file_atomic(path, tables[0]);
  env_reset(path, "0", log_path);
  setenv("CCL_TUNER_DECISIONS_FLUSH_MS", "5", 1);
  void* ctx = NULL;
  EXPECT(plugin.v5->init(&ctx, 1, 8, 1, test_logger, NULL, NULL) == ncclSuccess, "init");

  enum { READERS = 3 };
  atomic_bool stop = false;
  reader_state readers[READERS];
  pthread_t threads[READERS];
  for (int i = 0; i < READERS; i++) {
    readers[i] = (reader_state){.ctx = ctx, .stop = &stop, .seed = (unsigned)(i + 1) * 7919u};
    pthread_create(&threads[i], NULL, reader, &readers[i]);
  }
  int rewrites = scale(300);
  for (int i = 1; i <= rewrites; i++) {
    write_file_atomic(path, tables[i % 2]);
    usleep(500);
  }
  atomic_store(&stop, true);
  long calls = 0, bad = 0, saw_a = 0, saw_b = 0;
  for (int i = 0; i < READERS; i++) {
    pthread_join(threads[i], NULL);
    calls += readers[i].calls;
    bad += readers[i].bad;
    saw_a += readers[i].saw_a;
    saw_b += readers[i].saw_b;
  }
  EXPECT(plugin.v5->finalize(ctx) == ncclSuccess, "finalize");
  unsetenv("CCL_TUNER_DECISIONS_FLUSH_MS");

  char* log = read_text(log_path);
  const char* loads[] = {"\"event\":\"load\"", NULL};
  int loaded = jsonl_count(log, loads);
  long long counted = 0;
  const char* finals[] = {"\"event\":\"decisions\"", "\"final\":true", NULL};
  for (const char* line = log; line && *line;) {
    const char* end = strchr(line, '\n');
    char one[2048];
    snprintf(one, sizeof one, "%.*s", (int)(end ? end - line : (long)strlen(line)), line);
    if (jsonl_count(one, finals) == 1) counted += json_int(one, "calls");
    line = end ? end + 1 : line + strlen(line);
  }
  const char* overflow[] = {"\"event\":\"overflow\"", NULL};
  printf("    %d rewrites, %d loads, %ld calls by %d readers (%ld table A, %ld table B), %ld wrong\n", rewrites,
         loaded, calls, READERS, saw_a, saw_b, bad);
  EXPECT(bad == 0, "%ld answers were neither table's", bad);
  EXPECT(saw_a > 0 && saw_b > 0, "readers never saw one of the tables");
  EXPECT(loaded >= 3, "only %d loads for %d rewrites", loaded, rewrites);
  EXPECT(jsonl_count(log, overflow) == 0, "the counters overflowed");
  EXPECT(counted == calls, "final decision records count %lld calls, the readers made %ld", counted, calls);
  EXPECT(log_count(NCCL_LOG_WARN, "") == 0, "warnings during the stress run");
  free(log);
  free(tables[0]);
  free(tables[1]);
}

/* ---- --bench ---- */

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int compare_i64(const void* a, const void* b) {
  int64_t x = *(const int64_t*)a, y = *(const int64_t*)b;
  return (x > y) - (x < y);
}

/* 5 collectives x 200 consecutive 1 MiB ranges, algorithms and protocols varied; variant changes the channels. */
static char* bench_table(int variant) {
  size_t capacity = 1 << 17;
  char* text = malloc(capacity);
  int n = snprintf(text, capacity, "# ccl-agent: table_id=bench-%d\n", variant);
  static const char* colls[] = {"broadcast", "reduce", "allgather", "reducescatter", "allreduce"};
  static const char* algos[] = {"tree", "ring", "pat"};
  static const char* protos[] = {"ll", "ll128", "simple"};
  for (int c = 0; c < 5; c++)
    for (int k = 0; k < 200; k++)
      n += snprintf(text + n, capacity - (size_t)n, "%s,%lld,%lld,%s,%s,%d,-1,-1,-1,-1\n", colls[c],
                    (long long)k << 20, (((long long)k + 1) << 20) - 1, algos[k % 3], protos[(k / 3) % 3],
                    (k + variant) % 2 ? 8 : -1);
  return text;
}

#define BENCH_KEYS 256
static void bench_hot_path(const char* label, const char* decisions) {
  char path[512];
  path_in_tmp(path, sizeof path, "bench.conf");
  char* text = bench_table(0);
  write_file_atomic(path, text);
  free(text);
  env_reset(path, NULL, decisions); /* default reload period: 1000 ms */
  void* ctx = NULL;
  plugin.v5->init(&ctx, 1, 8, 1, test_logger, NULL, NULL);

  /* 256 fixed calls over all five collectives and the whole size range, so each scans ~100 rows on average. */
  struct { int coll; size_t bytes; } keys[BENCH_KEYS];
  unsigned seed = 12345;
  for (int i = 0; i < BENCH_KEYS; i++) {
    keys[i].coll = rand_r(&seed) % 5;
    keys[i].bytes = ((size_t)rand_r(&seed) << 8) % ((size_t)200 << 20);
  }
  int calls = scale(1000000);
  int64_t* samples = malloc((size_t)calls * sizeof *samples);
  float fresh[NA][NP], table[NA][NP];
  cost_fill(fresh);
  for (int i = 0; i < 20000; i++) {
    memcpy(table, fresh, sizeof table);
    int channels = 0;
    plugin.v5->getCollInfo(ctx, keys[i % BENCH_KEYS].coll, keys[i % BENCH_KEYS].bytes, 1, (float**)table, NA, NP, 0, &channels);
  }
  for (int i = 0; i < calls; i++) {
    memcpy(table, fresh, sizeof table);
    int channels = 0;
    int64_t start = now_ns();
    plugin.v5->getCollInfo(ctx, keys[i % BENCH_KEYS].coll, keys[i % BENCH_KEYS].bytes, 1, (float**)table, NA, NP, 0, &channels);
    samples[i] = now_ns() - start;
  }
  plugin.v5->finalize(ctx);
  qsort(samples, (size_t)calls, sizeof *samples, compare_i64);
  printf("getCollInfo (%s): median %lld ns, p99 %lld ns, max %lld ns over %d calls, 1000-row table\n", label,
         (long long)samples[calls / 2], (long long)samples[(size_t)((double)calls * 0.99)],
         (long long)samples[calls - 1], calls);
  free(samples);
}

static void bench_reload(void) {
  char path[512], log_path[512];
  path_in_tmp(path, sizeof path, "bench-reload.conf");
  path_in_tmp(log_path, sizeof log_path, "bench-reload.jsonl");
  char* tables[2] = {bench_table(0), bench_table(1)};
  write_file_atomic(path, tables[0]);
  env_reset(path, "0", log_path);
  void* ctx = NULL;
  plugin.v5->init(&ctx, 1, 8, 1, test_logger, NULL, NULL);
  enum { RELOADS = 41 };
  int64_t samples[RELOADS];
  float table[NA][NP];
  int channels;
  for (int i = 0; i < RELOADS; i++) {
    write_file_atomic(path, tables[(i + 1) % 2]);
    cost_fill(table);
    /* This call finds the new file: stat, read, parse, publish, final records of the old table, load record. */
    int64_t start = now_ns();
    plugin.v5->getCollInfo(ctx, ncclFuncAllReduce, 4096, 1, (float**)table, NA, NP, 0, &channels);
    samples[i] = now_ns() - start;
  }
  plugin.v5->finalize(ctx);
  char* log = read_text(log_path);
  const char* loads[] = {"\"event\":\"load\"", "\"rows\":1000,", NULL};
  int loaded = jsonl_count(log, loads);
  free(log);
  qsort(samples, RELOADS, sizeof *samples, compare_i64);
  printf("reload of a 1000-row table (in the getCollInfo call that sees the change): median %.3f ms, max %.3f ms "
         "over %d reloads (%d load records)\n", (double)samples[RELOADS / 2] / 1e6, (double)samples[RELOADS - 1] / 1e6,
         RELOADS, loaded - 1);
  free(tables[0]);
  free(tables[1]);
}

int run_bench(void) {
  int64_t overhead[1001];
  for (int i = 0; i < 1001; i++) {
    int64_t start = now_ns();
    overhead[i] = now_ns() - start;
  }
  qsort(overhead, 1001, sizeof *overhead, compare_i64);
  printf("timer overhead (clock_gettime pair, included below): median %lld ns\n", (long long)overhead[500]);
  char log_path[512];
  path_in_tmp(log_path, sizeof log_path, "bench.jsonl");
  bench_hot_path("decision log off", NULL);
  bench_hot_path("decision log on", log_path);
  bench_reload();
  char command[600];
  snprintf(command, sizeof command, "rm -rf '%s'", tmp_dir);
  if (system(command) != 0) fprintf(stderr, "could not remove %s\n", tmp_dir);
  return 0;
}
