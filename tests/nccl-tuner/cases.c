/* The functional checks: one conf file and a few calls each, through the ABI version that shows the behaviour. */
#include "harness.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- driving the plugin as NCCL does ---- */

static void* open_ctx(int version, size_t nranks, size_t nnodes) {
  void* ctx = NULL;
  ncclResult_t rc = ncclInternalError;
  switch (version) {
    case 2: rc = plugin.v2->init(nranks, nnodes, test_logger, &ctx); break;
    case 3: rc = plugin.v3->init(nranks, nnodes, test_logger, &ctx); break;
    case 4: rc = plugin.v4->init(nranks, nnodes, test_logger, &ctx); break;
    case 5: rc = plugin.v5->init(&ctx, 0xabc123ULL, nranks, nnodes, test_logger, NULL, NULL); break;
  }
  EXPECT(rc == ncclSuccess && ctx != NULL, "v%d init returned %d", version, rc);
  return ctx;
}

static void close_ctx(int version, void* ctx) {
  ncclResult_t rc = version == 2 ? plugin.v2->destroy(ctx) : version == 3 ? plugin.v3->destroy(ctx)
                  : version == 4 ? plugin.v4->destroy(ctx) : plugin.v5->finalize(ctx);
  EXPECT(rc == ncclSuccess, "v%d finalize/destroy returned %d", version, rc);
}

typedef struct {
  ncclResult_t rc;
  int cell;     /* CELL(algo, proto) set to 0.0, -1 none, -2 several */
  int channels; /* nChannels after the call; 0 = untouched */
  bool ignored_intact;
} answer;

/* v3-v5 getCollInfo with a full cost table in which the cells listed in ignored (ending -1) are IGNORE. */
static answer ask_n(int version, void* ctx, ncclFunc_t coll, size_t bytes, int pipe_ops, int reg_buff,
                    const int* ignored, int num_algo) {
  float table[NA][NP];
  cost_fill(table);
  for (const int* c = ignored; c && *c >= 0; c++) table[*c / NP][*c % NP] = NCCL_ALGO_PROTO_IGNORE;
  answer a = {.channels = 0};
  float** cost = (float**)table; /* NCCL passes the contiguous 2-D table this way */
  if (version == 3) a.rc = plugin.v3->getCollInfo(ctx, coll, bytes, pipe_ops, cost, num_algo, NP, &a.channels);
  else if (version == 4) a.rc = plugin.v4->getCollInfo(ctx, coll, bytes, pipe_ops, cost, num_algo, NP, reg_buff, &a.channels);
  else a.rc = plugin.v5->getCollInfo(ctx, coll, bytes, pipe_ops, cost, num_algo, NP, reg_buff, &a.channels);
  a.cell = cost_zero_cell(table);
  a.ignored_intact = true;
  for (const int* c = ignored; c && *c >= 0; c++)
    if (table[*c / NP][*c % NP] != NCCL_ALGO_PROTO_IGNORE) a.ignored_intact = false;
  return a;
}

static answer ask(int version, void* ctx, ncclFunc_t coll, size_t bytes) {
  return ask_n(version, ctx, coll, bytes, 1, 0, NULL, NA);
}

typedef struct {
  ncclResult_t rc;
  int algo, proto, channels;
} answer_v2;

static answer_v2 ask_v2(void* ctx, ncclFunc_t coll, size_t bytes, int coll_net, int nvls) {
  answer_v2 a = {.algo = -1, .proto = -1, .channels = 0}; /* NCCL's "undecided" */
  a.rc = plugin.v2->getCollInfo(ctx, coll, bytes, coll_net, nvls, 1, &a.algo, &a.proto, &a.channels);
  return a;
}

static void conf(const char* name, const char* text, char* path, size_t size) {
  path_in_tmp(path, size, name);
  write_file_atomic(path, text);
}

#define T NCCL_ALGO_TREE
#define R NCCL_ALGO_RING
#define CD NCCL_ALGO_COLLNET_DIRECT
#define NV NCCL_ALGO_NVLS
#define PAT NCCL_ALGO_PAT
#define LL NCCL_PROTO_LL
#define LL128 NCCL_PROTO_LL128
#define SIMPLE NCCL_PROTO_SIMPLE

/* ---- cases ---- */

static void case_exports(void) {
  const char* names[] = {plugin.v2->name, plugin.v3->name, plugin.v4->name, plugin.v5->name};
  for (int i = 0; i < 4; i++) EXPECT(names[i] && strcmp(names[i], "ccl-agent") == 0, "v%d name '%s'", i + 2, names[i]);
  EXPECT(plugin.v2->init && plugin.v2->getCollInfo && plugin.v2->destroy, "v2 has a NULL function");
  EXPECT(plugin.v3->init && plugin.v3->getCollInfo && plugin.v3->destroy, "v3 has a NULL function");
  EXPECT(plugin.v4->init && plugin.v4->getCollInfo && plugin.v4->destroy, "v4 has a NULL function");
  EXPECT(plugin.v5->init && plugin.v5->getCollInfo && plugin.v5->finalize, "v5 has a NULL function");
}

static void case_wildcards(void) {
  char path[512];
  conf("wild.conf",
       "allreduce,0,1000,tree,simple,-1,2,16\n"       /* line 1: 2 nodes x 16 ranks only */
       "allreduce,0,1000,ring,ll,-1,-1,8\n"           /* line 2: any nodes, 8 ranks */
       "allreduce,0,1000,ring,ll128,-1,-1,-1,4\n"     /* line 3: numPipeOps 4 */
       "allreduce,0,1000,nvls,simple,-1,-1,-1,-1,1\n" /* line 4: registered buffers */
       "allreduce,0,1000,pat,simple,-1,-1,-1\n",      /* line 5: the rest */
       path, sizeof path);
  env_reset(path, "-1", NULL);
  for (int v = 3; v <= 5; v++) {
    void* a = open_ctx(v, 16, 2);
    void* b = open_ctx(v, 8, 1);
    void* c = open_ctx(v, 4, 1);
    EXPECT(ask(v, a, ncclFuncAllReduce, 10).cell == CELL(T, SIMPLE), "v%d: nNodes=2,nRanks=16 row", v);
    EXPECT(ask(v, b, ncclFuncAllReduce, 10).cell == CELL(R, LL), "v%d: nRanks=8 row with wildcard nNodes", v);
    EXPECT(ask_n(v, c, ncclFuncAllReduce, 10, 4, 0, NULL, NA).cell == CELL(R, LL128), "v%d: numPipeOps=4 row", v);
    int want_reg = v == 3 ? CELL(PAT, SIMPLE) : CELL(NV, SIMPLE); /* v3 does not say whether buffers are registered */
    EXPECT(ask_n(v, c, ncclFuncAllReduce, 10, 1, 1, NULL, NA).cell == want_reg, "v%d: regBuff=1 row", v);
    EXPECT(ask_n(v, c, ncclFuncAllReduce, 10, 1, 0, NULL, NA).cell == CELL(PAT, SIMPLE), "v%d: all-wildcard row", v);
    EXPECT(ask(v, c, ncclFuncAllGather, 10).cell == -1, "v%d: another collective matched", v);
    close_ctx(v, a);
    close_ctx(v, b);
    close_ctx(v, c);
  }
}

static void case_size_ranges(void) {
  char path[512];
  conf("sizes.conf",
       "allgather,100,199,ring,ll,-1,-1,-1\n"
       "allgather,200,299,tree,ll128,-1,-1,-1\n"
       "broadcast,18446744073709551615,18446744073709551615,ring,simple,-1,-1,-1\n"
       "reduce,0,0,tree,ll,-1,-1,-1\n",
       path, sizeof path);
  env_reset(path, "-1", NULL);
  void* ctx = open_ctx(4, 8, 1);
  struct { size_t bytes; int cell; } cases[] = {
      {99, -1}, {100, CELL(R, LL)}, {199, CELL(R, LL)}, {200, CELL(T, LL128)}, {299, CELL(T, LL128)}, {300, -1}, {0, -1}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    answer a = ask(4, ctx, ncclFuncAllGather, cases[i].bytes);
    EXPECT(a.rc == ncclSuccess && a.cell == cases[i].cell, "allgather %zu bytes: cell %d, want %d", cases[i].bytes,
           a.cell, cases[i].cell);
  }
  EXPECT(ask(4, ctx, ncclFuncBroadcast, SIZE_MAX).cell == CELL(R, SIMPLE), "max_bytes = 2^64-1 is inclusive");
  EXPECT(ask(4, ctx, ncclFuncBroadcast, SIZE_MAX - 1).cell == -1, "min_bytes = 2^64-1 is inclusive");
  EXPECT(ask(4, ctx, ncclFuncReduce, 0).cell == CELL(T, LL), "a 0..0 row matches 0 bytes");
  EXPECT(ask(4, ctx, ncclFuncReduce, 1).cell == -1, "a 0..0 row matches only 0 bytes");
  close_ctx(4, ctx);
}

static void case_first_match(void) {
  char path[512];
  conf("first.conf",
       "reducescatter,0,1000,ring,simple,-1,-1,-1\n"
       "reducescatter,500,600,tree,simple,-1,-1,-1\n"
       "reducescatter,2000,3000,tree,ll,-1,-1,-1\n"
       "reducescatter,0,5000,ring,ll128,-1,-1,-1\n",
       path, sizeof path);
  env_reset(path, "-1", NULL);
  void* ctx = open_ctx(5, 8, 1);
  EXPECT(ask(5, ctx, ncclFuncReduceScatter, 550).cell == CELL(R, SIMPLE), "an earlier, wider row wins");
  EXPECT(ask(5, ctx, ncclFuncReduceScatter, 2500).cell == CELL(T, LL), "the first matching row wins");
  EXPECT(ask(5, ctx, ncclFuncReduceScatter, 4000).cell == CELL(R, LL128), "a later row applies where none before does");
  close_ctx(5, ctx);
}

static void case_ignored_cells(void) {
  char path[512], log_path[512];
  conf("ignored.conf",
       "allreduce,0,1000,nvls,simple,-1,-1,-1\n"
       "allreduce,0,1000,pat,ll,-1,-1,-1\n"
       "allreduce,0,1000,ring,ll128,4,-1,-1\n"
       "allreduce,0,1000,tree,simple,-1,-1,-1\n",
       path, sizeof path);
  path_in_tmp(log_path, sizeof log_path, "ignored.jsonl");
  env_reset(path, "-1", log_path);
  void* ctx = open_ctx(5, 8, 1);
  int nvls_off[] = {CELL(NV, SIMPLE), -1};
  /* numAlgo 6: the pat row is outside the table, as with an NCCL that knows six algorithms. */
  answer a = ask_n(5, ctx, ncclFuncAllReduce, 100, 1, 0, nvls_off, 6);
  EXPECT(a.cell == CELL(R, LL128) && a.channels == 4, "the next available row applies (cell %d)", a.cell);
  EXPECT(a.ignored_intact, "an ignored cell was changed");
  int all_off[] = {CELL(NV, SIMPLE), CELL(PAT, LL), CELL(R, LL128), CELL(T, SIMPLE), -1};
  answer b = ask_n(5, ctx, ncclFuncAllReduce, 200, 1, 0, all_off, NA);
  EXPECT(b.rc == ncclSuccess && b.cell == -1 && b.channels == 0, "every matching row unavailable: nothing set");
  EXPECT(b.ignored_intact, "an ignored cell was changed");
  close_ctx(5, ctx);

  char* log = read_text(log_path);
  const char* first[] = {"\"event\":\"decisions\"", "\"bytes\":100,", NULL};
  const char* second[] = {"\"event\":\"decisions\"", "\"bytes\":200,", NULL};
  char line[2048] = "";
  EXPECT(jsonl_find(log, first, line, sizeof line) != NULL, "no decisions record for 100 bytes");
  EXPECT(json_int(line, "skipped_rows") == 2 && json_int(line, "line") == 3 && strstr(line, "\"result\":\"matched\""),
         "100 bytes: %s", line);
  EXPECT(jsonl_find(log, second, line, sizeof line) != NULL, "no decisions record for 200 bytes");
  EXPECT(json_int(line, "skipped_rows") == 4 && json_int(line, "line") == 0 &&
             strstr(line, "\"result\":\"skipped_unavailable\"") && strstr(line, "\"algo\":null"),
         "200 bytes: %s", line);
  free(log);
}

static void case_channels(void) {
  char path[512];
  conf("channels.conf",
       "allreduce,0,99,ring,simple,-1,-1,-1\n"
       "allreduce,100,199,ring,simple,0,-1,-1\n"
       "allreduce,200,299,ring,simple,12,-1,-1\n",
       path, sizeof path);
  env_reset(path, "-1", NULL);
  void* ctx = open_ctx(3, 8, 1);
  EXPECT(ask(3, ctx, ncclFuncAllReduce, 50).channels == 0, "channels -1 changed nChannels");
  EXPECT(ask(3, ctx, ncclFuncAllReduce, 150).channels == 0, "channels 0 changed nChannels");
  answer a = ask(3, ctx, ncclFuncAllReduce, 250);
  EXPECT(a.channels == 12 && a.cell == CELL(R, SIMPLE), "channels 12: got %d", a.channels);
  close_ctx(3, ctx);
  void* v2 = open_ctx(2, 8, 1);
  EXPECT(ask_v2(v2, ncclFuncAllReduce, 50, 0, 0).channels == 0, "v2: channels -1 changed nChannels");
  EXPECT(ask_v2(v2, ncclFuncAllReduce, 250, 0, 0).channels == 12, "v2: channels 12 not set");
  close_ctx(2, v2);
}

static void case_v2_gating(void) {
  char path[512];
  conf("v2.conf",
       "allreduce,0,1000,nvls,simple,-1,-1,-1\n"
       "allreduce,0,1000,collnet_direct,simple,-1,-1,-1\n"
       "allreduce,0,1000,ring,ll128,-1,-1,-1\n"
       "allgather,0,1000,pat,simple,-1,-1,-1\n"
       "allgather,0,1000,nvls_tree,ll,-1,-1,-1\n",
       path, sizeof path);
  env_reset(path, "-1", NULL);
  void* ctx = open_ctx(2, 8, 1);
  answer_v2 a = ask_v2(ctx, ncclFuncAllReduce, 10, 1, 1);
  EXPECT(a.rc == ncclSuccess && a.algo == NV && a.proto == SIMPLE, "nvlsSupport=1: %d/%d", a.algo, a.proto);
  a = ask_v2(ctx, ncclFuncAllReduce, 10, 1, 0);
  EXPECT(a.algo == CD && a.proto == SIMPLE, "collNetSupport=1 nvlsSupport=0: %d/%d", a.algo, a.proto);
  a = ask_v2(ctx, ncclFuncAllReduce, 10, 0, 0);
  EXPECT(a.algo == R && a.proto == LL128, "no NVLS, no CollNet: %d/%d", a.algo, a.proto);
  a = ask_v2(ctx, ncclFuncAllGather, 10, 0, 0);
  EXPECT(a.algo == -1 && a.proto == -1, "pat (unknown to NCCL 2.21) or nvls_tree applied without support: %d/%d",
         a.algo, a.proto);
  a = ask_v2(ctx, ncclFuncAllGather, 10, 0, 1);
  EXPECT(a.algo == NCCL_ALGO_NVLS_TREE && a.proto == LL, "nvls_tree with nvlsSupport: %d/%d", a.algo, a.proto);
  a = ask_v2(ctx, ncclFuncBroadcast, 10, 1, 1);
  EXPECT(a.rc == ncclSuccess && a.algo == -1 && a.proto == -1 && a.channels == 0, "no row: outputs changed");
  close_ctx(2, ctx);
}

static void case_malformed(void) {
  char path[512], log_path[512], long_line[1100], ok_long[1100], text[8192];
  /* 1024 characters: one too many. A good row padded to exactly 1023 characters is fine. */
  memset(long_line, 'x', 1024);
  long_line[1024] = '\0';
  const char* row = "allreduce,0,10,ring,simple,-1,-1,-1,-1,-1";
  snprintf(ok_long, sizeof ok_long, "%s%*s", row, (int)(1023 - strlen(row)), "");
  snprintf(text, sizeof text,
           "# a comment\n"
           "\n"
           "allreduce,0,10,rings,simple,-1,-1,-1\n"              /* 3: unknown algorithm */
           "allreduce,0,1O,ring,simple,-1,-1,-1\n"               /* 4: non-numeric */
           "allreduce,0,10,ring,simple,-1,-1\n"                  /* 5: 7 fields */
           "allreduce,20,10,ring,simple,-1,-1,-1\n"              /* 6: min > max */
           "%s\n"                                               /* 7: 1024 characters */
           "AllReduce,0,10,ring,simple,-1,-1,-1\n"               /* 8: names are lowercase */
           "collective_type,min_bytes,max_bytes,algorithm,protocol,channels,nNodes,nRanks\n" /* 9: header */
           "# ccl-agent: table_id=bad id\n"                      /* 10: bad token */
           "allreduce,0,10,ring,ll,-2,-1,-1\n"                   /* 11: below the wildcard */
           "allreduce,0,10,ring,simple,-1,-1,-1,-1,-1,7\n"       /* 12: 11 fields */
           "  allgather , 0 ,\t100 , tree , ll128 , 2 , -1 , -1 \n" /* 13: good, with spaces */
           "%s\r\n"                                             /* 14: good, 1023 characters, CRLF */
           "allreduce,0,100,tree,ll,-1,-1,-1\n",                 /* 15: good */
           long_line, ok_long);
  conf("malformed.conf", text, path, sizeof path);
  path_in_tmp(log_path, sizeof log_path, "malformed.jsonl");
  env_reset(path, "0", log_path);
  void* ctx = open_ctx(5, 8, 1);
  answer a = ask(5, ctx, ncclFuncAllGather, 50);
  EXPECT(a.cell == CELL(T, LL128) && a.channels == 2, "spaced row: cell %d channels %d", a.cell, a.channels);
  EXPECT(ask(5, ctx, ncclFuncAllReduce, 5).cell == CELL(R, SIMPLE), "the 1023-character row");
  EXPECT(ask(5, ctx, ncclFuncAllReduce, 50).cell == CELL(T, LL), "the good row after malformed ones");
  for (int i = 0; i < 200; i++) ask(5, ctx, ncclFuncAllReduce, (size_t)i);
  int bad_lines[] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  for (size_t i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
    char where[600];
    snprintf(where, sizeof where, "%s:%d:", path, bad_lines[i]);
    EXPECT(log_count(NCCL_LOG_WARN, where) == 1, "line %d: %d warnings naming '%s', want 1", bad_lines[i],
           log_count(NCCL_LOG_WARN, where), where);
  }
  EXPECT(log_count(NCCL_LOG_WARN, "line ignored") == 10, "%d malformed-line warnings, want 10",
         log_count(NCCL_LOG_WARN, "line ignored"));
  EXPECT(log_format_violations() == 0, "the logger was called without a plain \"%%s\" format");
  close_ctx(5, ctx);
  char* log = read_text(log_path);
  const char* load[] = {"\"event\":\"load\"", NULL};
  char line[2048] = "";
  jsonl_find(log, load, line, sizeof line);
  EXPECT(json_int(line, "malformed") == 10 && json_int(line, "rows") == 3, "load record: %s", line);
  EXPECT(jsonl_count(log, load) == 1, "the unchanged file was loaded %d times", jsonl_count(log, load));
  free(log);
}

static void case_missing_file(void) {
  char path[512], log_path[512];
  path_in_tmp(path, sizeof path, "does-not-exist.conf");
  path_in_tmp(log_path, sizeof log_path, "missing.jsonl");
  env_reset(path, "-1", log_path);
  for (int v = 3; v <= 5; v++) {
    void* ctx = open_ctx(v, 8, 1);
    float table[NA][NP], before[NA][NP];
    cost_fill(table);
    table[NV][SIMPLE] = NCCL_ALGO_PROTO_IGNORE;
    memcpy(before, table, sizeof table);
    int channels = 0;
    ncclResult_t rc = v == 3 ? plugin.v3->getCollInfo(ctx, ncclFuncAllReduce, 100, 1, (float**)table, NA, NP, &channels)
                    : plugin.v4->getCollInfo(ctx, ncclFuncAllReduce, 100, 1, (float**)table, NA, NP, 0, &channels);
    EXPECT(rc == ncclSuccess, "v%d: returned %d", v, rc);
    EXPECT(memcmp(table, before, sizeof table) == 0 && channels == 0, "v%d: the cost table or nChannels changed", v);
    close_ctx(v, ctx);
  }
  void* v2 = open_ctx(2, 8, 1);
  answer_v2 a = ask_v2(v2, ncclFuncAllReduce, 100, 1, 1);
  EXPECT(a.rc == ncclSuccess && a.algo == -1 && a.proto == -1 && a.channels == 0, "v2: outputs changed");
  close_ctx(2, v2);
  EXPECT(log_count(NCCL_LOG_WARN, "not found") == 4, "%d 'not found' warnings for 4 contexts, want 4",
         log_count(NCCL_LOG_WARN, "not found"));
  char* log = read_text(log_path);
  const char* missing[] = {"\"event\":\"load\"", "\"status\":\"missing\"", "\"table_id\":\"none\"", "\"rows\":0,", NULL};
  EXPECT(jsonl_count(log, missing) == 4, "%d missing-file load records, want 4", jsonl_count(log, missing));
  free(log);
}

static void case_unreadable_file(void) {
  char path[512], log_path[512];
  path_in_tmp(path, sizeof path, "a-directory.conf"); /* open() works on a directory, read() fails: unreadable */
  mkdir(path, 0755);
  path_in_tmp(log_path, sizeof log_path, "unreadable.jsonl");
  env_reset(path, "0", log_path);
  void* ctx = open_ctx(5, 8, 1);
  answer a = ask(5, ctx, ncclFuncAllReduce, 10);
  EXPECT(a.rc == ncclSuccess && a.cell == -1 && a.channels == 0, "an unreadable file changed NCCL's choice");
  ask(5, ctx, ncclFuncAllReduce, 10);
  EXPECT(log_count(NCCL_LOG_WARN, "cannot read") == 1, "%d 'cannot read' warnings, want 1",
         log_count(NCCL_LOG_WARN, "cannot read"));
  close_ctx(5, ctx);
  char* log = read_text(log_path);
  const char* load[] = {"\"event\":\"load\"", "\"status\":\"unreadable\"", "\"rows\":0,", NULL};
  EXPECT(jsonl_count(log, load) == 1, "unreadable load record:\n%s", log ? log : "");
  free(log);
}

static void case_table_id(void) {
  char named[512], unnamed[512], log_path[512];
  conf("named.conf", "# written by ccl-agent\n# ccl-agent: table_id=run-42.trial_3:v1\nreduce,0,10,ring,ll,-1,-1,-1\n",
       named, sizeof named);
  conf("unnamed.conf", "reduce,0,10,ring,ll,-1,-1,-1\n", unnamed, sizeof unnamed);
  path_in_tmp(log_path, sizeof log_path, "table_id.jsonl");
  env_reset(named, "-1", log_path);
  void* a = open_ctx(5, 8, 1);
  ask(5, a, ncclFuncReduce, 5);
  close_ctx(5, a);
  env_reset(unnamed, "-1", log_path);
  void* b = open_ctx(5, 8, 1);
  close_ctx(5, b);

  struct stat st;
  stat(unnamed, &st);
  char expected[128];
  snprintf(expected, sizeof expected, "\"table_id\":\"%lld-%lld\"",
           (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec, (long long)st.st_size);
  char* log = read_text(log_path);
  const char* with_id[] = {"\"event\":\"load\"", "\"table_id\":\"run-42.trial_3:v1\"", NULL};
  const char* decided[] = {"\"event\":\"decisions\"", "\"table_id\":\"run-42.trial_3:v1\"", NULL};
  const char* without_id[] = {"\"event\":\"load\"", expected, NULL};
  EXPECT(jsonl_count(log, with_id) == 1, "no load record with the comment's table_id");
  EXPECT(jsonl_count(log, decided) == 1, "no decisions record with the comment's table_id");
  EXPECT(jsonl_count(log, without_id) == 1, "no load record with %s", expected);
  free(log);
}

static void case_decision_log(void) {
  char path[512], pattern[512], log_path[512], host[256];
  conf("decisions.conf",
       "# ccl-agent: table_id=t1\n"
       "allreduce,0,1000,ring,ll128,8,-1,-1\n",
       path, sizeof path);
  path_in_tmp(pattern, sizeof pattern, "decisions-%h-%p.jsonl");
  gethostname(host, sizeof host);
  snprintf(log_path, sizeof log_path, "%s/decisions-%s-%d.jsonl", tmp_dir, host, (int)getpid());
  env_reset(path, "-1", pattern);
  void* ctx = open_ctx(5, 16, 2);
  for (int i = 0; i < 3; i++) ask(5, ctx, ncclFuncAllReduce, 100);
  for (int i = 0; i < 2; i++) ask(5, ctx, ncclFuncAllReduce, 5000);
  ask(5, ctx, 9 /* a function NCCL added later */, 100);
  close_ctx(5, ctx);

  char* log = read_text(log_path);
  EXPECT(log != NULL, "%%h/%%p were not expanded to %s", log_path);
  const char* load[] = {"\"event\":\"load\"", "\"comm_id\":\"0xabc123\"", "\"nranks\":16,", "\"nnodes\":2,",
                        "\"status\":\"loaded\"", "\"rows\":1,", "\"malformed\":0,", "\"time_ns\":", NULL};
  EXPECT(jsonl_count(log, load) == 1, "load record missing or wrong:\n%s", log ? log : "");
  const char* hit[] = {"\"event\":\"decisions\"", "\"table_id\":\"t1\"", "\"coll\":\"allreduce\"", "\"bytes\":100,",
                       "\"size_bucket_log2\":6,", "\"calls\":3,", "\"result\":\"matched\"", "\"line\":2,",
                       "\"algo\":\"ring\"", "\"proto\":\"ll128\"", "\"channels\":8,", "\"skipped_rows\":0,",
                       "\"final\":true", NULL};
  EXPECT(jsonl_count(log, hit) == 1, "matched record missing or wrong:\n%s", log ? log : "");
  const char* miss[] = {"\"event\":\"decisions\"", "\"bytes\":5000,", "\"calls\":2,", "\"result\":\"no_row\"",
                        "\"line\":0,", "\"algo\":null", "\"proto\":null", "\"channels\":-1,", "\"final\":true", NULL};
  EXPECT(jsonl_count(log, miss) == 1, "no_row record missing or wrong:\n%s", log ? log : "");
  const char* any[] = {"{", NULL};
  EXPECT(jsonl_count(log, any) == 3, "%d records, want 3 (the unknown function is not counted)", jsonl_count(log, any));
  free(log);
}

static void case_periodic_flush(void) {
  char path[512], log_path[512];
  conf("flush.conf", "allreduce,0,1000,ring,simple,-1,-1,-1\n", path, sizeof path);
  path_in_tmp(log_path, sizeof log_path, "flush.jsonl");
  env_reset(path, "-1", log_path);
  setenv("CCL_TUNER_DECISIONS_FLUSH_MS", "0", 1);
  void* ctx = open_ctx(4, 8, 1);
  for (int i = 0; i < 5; i++) ask(4, ctx, ncclFuncAllReduce, 10);
  char* log = read_text(log_path);
  const char* running[] = {"\"event\":\"decisions\"", "\"final\":false", NULL};
  const char* finals[] = {"\"event\":\"decisions\"", "\"final\":true", NULL};
  EXPECT(jsonl_count(log, running) >= 1, "no periodic (final:false) record before finalize");
  EXPECT(jsonl_count(log, finals) == 0, "a final record before finalize");
  free(log);
  close_ctx(4, ctx);
  log = read_text(log_path);
  const char* last[] = {"\"event\":\"decisions\"", "\"calls\":5,", "\"final\":true", NULL};
  EXPECT(jsonl_count(log, last) == 1, "the final record does not count all 5 calls:\n%s", log);
  free(log);
  unsetenv("CCL_TUNER_DECISIONS_FLUSH_MS");
}

static void case_reload(void) {
  char path[512], log_path[512];
  conf("reload.conf", "# ccl-agent: table_id=A\nallreduce,0,1000,ring,simple,-1,-1,-1\n", path, sizeof path);
  path_in_tmp(log_path, sizeof log_path, "reload.jsonl");
  env_reset(path, "0", log_path);
  void* ctx = open_ctx(5, 8, 1);
  EXPECT(ask(5, ctx, ncclFuncAllReduce, 10).cell == CELL(R, SIMPLE), "first table");
  ask(5, ctx, ncclFuncAllReduce, 10);
  write_file_atomic(path, "# ccl-agent: table_id=B\n\nallreduce,0,1000,tree,ll,-1,-1,-1\n");
  EXPECT(ask(5, ctx, ncclFuncAllReduce, 10).cell == CELL(T, LL), "the rewritten table was not picked up");
  unlink(path);
  EXPECT(ask(5, ctx, ncclFuncAllReduce, 10).cell == -1, "a deleted file should leave NCCL's choice");
  write_file_atomic(path, "allreduce,0,1000,ring,ll,-1,-1,-1\n");
  EXPECT(ask(5, ctx, ncclFuncAllReduce, 10).cell == CELL(R, LL), "a file that reappears is not picked up");
  close_ctx(5, ctx);

  char* log = read_text(log_path);
  const char* loads[] = {"\"event\":\"load\"", NULL};
  const char* a_final[] = {"\"event\":\"decisions\"", "\"table_id\":\"A\"", "\"calls\":2,", "\"final\":true", NULL};
  const char* b_final[] = {"\"event\":\"decisions\"", "\"table_id\":\"B\"", "\"calls\":1,", "\"final\":true", NULL};
  const char* gone[] = {"\"event\":\"load\"", "\"status\":\"missing\"", NULL};
  EXPECT(jsonl_count(log, loads) == 4, "%d load records, want 4", jsonl_count(log, loads));
  EXPECT(jsonl_count(log, a_final) == 1, "table A's final record");
  EXPECT(jsonl_count(log, b_final) == 1, "table B's final record");
  EXPECT(jsonl_count(log, gone) == 1, "the deleted file's load record");
  /* A's final record is written before B's load record. */
  const char* b_load[] = {"\"event\":\"load\"", "\"table_id\":\"B\"", NULL};
  EXPECT(jsonl_find(log, a_final, NULL, 0) < jsonl_find(log, b_load, NULL, 0), "A's final record after B's load");
  free(log);
}

static void case_reload_disabled(void) {
  const char* settings[] = {"-1", "600000"};
  for (int i = 0; i < 2; i++) {
    char path[512];
    conf("still.conf", "allreduce,0,1000,ring,simple,-1,-1,-1\n", path, sizeof path);
    env_reset(path, settings[i], NULL);
    void* ctx = open_ctx(5, 8, 1);
    ask(5, ctx, ncclFuncAllReduce, 10);
    write_file_atomic(path, "allreduce,0,1000,tree,ll,-1,-1,-1\n");
    for (int j = 0; j < 100; j++) ask(5, ctx, ncclFuncAllReduce, 10);
    EXPECT(ask(5, ctx, ncclFuncAllReduce, 10).cell == CELL(R, SIMPLE), "CCL_TUNER_RELOAD_MS=%s reloaded", settings[i]);
    close_ctx(5, ctx);
  }
}

static void case_contexts(void) {
  char one[512], two[512];
  conf("one.conf", "allreduce,0,1000,ring,simple,-1,-1,-1\n", one, sizeof one);
  conf("two.conf", "allreduce,0,1000,tree,ll,-1,-1,-1\n", two, sizeof two);
  env_reset(one, "0", NULL);
  void* a = open_ctx(5, 8, 1);
  env_reset(two, "0", NULL);
  void* b = open_ctx(4, 8, 1);
  EXPECT(ask(5, a, ncclFuncAllReduce, 10).cell == CELL(R, SIMPLE), "context one");
  EXPECT(ask(4, b, ncclFuncAllReduce, 10).cell == CELL(T, LL), "context two");
  write_file_atomic(one, "allreduce,0,1000,nvls,simple,-1,-1,-1\n");
  EXPECT(ask(5, a, ncclFuncAllReduce, 10).cell == CELL(NV, SIMPLE), "context one did not reload");
  EXPECT(ask(4, b, ncclFuncAllReduce, 10).cell == CELL(T, LL), "context two changed with context one's file");
  close_ctx(5, a);
  EXPECT(ask(4, b, ncclFuncAllReduce, 10).cell == CELL(T, LL), "context two after context one finalized");
  close_ctx(4, b);
}

static void case_v5_arguments(void) {
  char path[512];
  conf("v5.conf", "allreduce,0,1000,ring,simple,-1,-1,-1\n", path, sizeof path);
  env_reset(path, "-1", NULL);
  ncclNvlDomainInfo_v5_t domains = {1, 8, 8}, domains_before = domains;
  static ncclTunerConstants_v5_t constants, constants_before;
  for (size_t i = 0; i < sizeof constants / sizeof(double); i++) ((double*)&constants)[i] = 1.5 * (double)i;
  constants_before = constants;
  void* ctx = NULL;
  EXPECT(plugin.v5->init(&ctx, 7, 8, 1, test_logger, &domains, &constants) == ncclSuccess, "init with pointers");
  EXPECT(memcmp(&domains, &domains_before, sizeof domains) == 0, "nvlDomainInfo changed");
  EXPECT(memcmp(&constants, &constants_before, sizeof constants) == 0, "constants changed");
  EXPECT(plugin.v5->finalize(ctx) == ncclSuccess, "finalize");
  ctx = NULL;
  EXPECT(plugin.v5->init(&ctx, 7, 8, 1, NULL, NULL, NULL) == ncclSuccess, "init with NULL logger and pointers");
  EXPECT(ask(5, ctx, ncclFuncAllReduce, 10).cell == CELL(R, SIMPLE), "works without a logger");
  EXPECT(plugin.v5->finalize(ctx) == ncclSuccess, "finalize");
  EXPECT(plugin.v5->finalize(NULL) == ncclSuccess, "finalize(NULL)");
  float table[NA][NP];
  int channels = 0;
  EXPECT(plugin.v5->getCollInfo(NULL, ncclFuncAllReduce, 10, 1, (float**)table, NA, NP, 0, &channels) != ncclSuccess,
         "getCollInfo(NULL context) should fail so NCCL uses its defaults");
}

static void case_unknown_function(void) {
  char path[512];
  conf("unknown.conf", "allreduce,0,1000,ring,simple,4,-1,-1\n", path, sizeof path);
  env_reset(path, "-1", NULL);
  void* ctx = open_ctx(5, 8, 1);
  answer a = ask(5, ctx, (ncclFunc_t)5, 10);
  EXPECT(a.rc == ncclSuccess && a.cell == -1 && a.channels == 0, "function 5 was tuned");
  a = ask(5, ctx, (ncclFunc_t)-1, 10);
  EXPECT(a.rc == ncclSuccess && a.cell == -1 && a.channels == 0, "function -1 was tuned");
  close_ctx(5, ctx);
}

static void case_bad_environment(void) {
  char path[512];
  conf("env.conf", "allreduce,0,1000,ring,simple,-1,-1,-1\n", path, sizeof path);
  env_reset(path, "soon", NULL);
  setenv("CCL_TUNER_DECISIONS_FLUSH_MS", "-5", 1);
  void* ctx = open_ctx(5, 8, 1);
  EXPECT(log_count(NCCL_LOG_WARN, "CCL_TUNER_RELOAD_MS='soon'") == 1, "no warning about CCL_TUNER_RELOAD_MS");
  EXPECT(log_count(NCCL_LOG_WARN, "CCL_TUNER_DECISIONS_FLUSH_MS='-5'") == 1, "no warning about the flush period");
  EXPECT(ask(5, ctx, ncclFuncAllReduce, 10).cell == CELL(R, SIMPLE), "a bad setting broke the plugin");
  close_ctx(5, ctx);
  unsetenv("CCL_TUNER_DECISIONS_FLUSH_MS");
}

const test_case functional_cases[] = {
    {"exports", case_exports},
    {"wildcards", case_wildcards},
    {"size_ranges_inclusive", case_size_ranges},
    {"first_match_wins", case_first_match},
    {"ignored_cells_skipped_and_counted", case_ignored_cells},
    {"channels_only_when_positive", case_channels},
    {"v2_nvls_collnet_gating", case_v2_gating},
    {"malformed_lines_warned_once_and_ignored", case_malformed},
    {"missing_file_keeps_defaults", case_missing_file},
    {"unreadable_file_keeps_defaults", case_unreadable_file},
    {"table_id_comment", case_table_id},
    {"decision_log_content", case_decision_log},
    {"decision_log_periodic_flush", case_periodic_flush},
    {"reload_on_change", case_reload},
    {"reload_disabled_or_rate_limited", case_reload_disabled},
    {"contexts_independent", case_contexts},
    {"v5_arguments_and_null_pointers", case_v5_arguments},
    {"unknown_function_untouched", case_unknown_function},
    {"bad_environment_values", case_bad_environment},
};
const int functional_case_count = sizeof functional_cases / sizeof functional_cases[0];
