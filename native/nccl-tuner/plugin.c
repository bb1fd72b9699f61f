/*
 * The exported tuner structs and what every version shares: one context per communicator (its own table,
 * reload state, counters and decision log descriptor), configured from the environment at init.
 */
#include "tuner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CCL_EXPORT __attribute__((visibility("default")))
#define PLUGIN_NAME "ccl-agent"

static _Atomic uint64_t next_context_seq = 1;

/* ---- environment ---- */

/* An integer in [-1, max] from name, or fallback (with a warning when the value is not one). */
static int64_t env_ms(const ccl_log_sink* log, const char* name, int64_t fallback) {
  const char* text = getenv(name);
  if (text == NULL || *text == '\0') return fallback;
  const int64_t max = 24LL * 3600 * 1000;
  char* end;
  errno = 0;
  long long value = strtoll(text, &end, 10);
  if (errno != 0 || *end != '\0' || value < -1 || value > max) {
    CCL_WARN(log, "ccl-agent tuner: %s='%s' is not an integer from -1 to %lld; using %lld", name, text,
             (long long)max, (long long)fallback);
    return fallback;
  }
  return value;
}

static bool env_flag(const char* name) {
  const char* text = getenv(name);
  return text != NULL && *text != '\0' && strcmp(text, "0") != 0;
}

/* The conf path, made absolute so a later chdir in the application does not change which file is watched. */
static bool config_path(ccl_ctx* ctx) {
  const char* configured = getenv("NCCL_TUNER_CONFIG_FILE");
  ctx->path_from_env = configured != NULL && *configured != '\0';
  const char* path = ctx->path_from_env ? configured : "nccl_tuner.conf";
  char cwd[PATH_MAX];
  int n;
  if (path[0] != '/' && getcwd(cwd, sizeof cwd) != NULL)
    n = snprintf(ctx->path, sizeof ctx->path, "%s/%s", cwd, path);
  else
    n = snprintf(ctx->path, sizeof ctx->path, "%s", path);
  if (n < 0 || (size_t)n >= sizeof ctx->path) {
    CCL_WARN(&ctx->log, "ccl-agent tuner: NCCL_TUNER_CONFIG_FILE is longer than %d characters", PATH_MAX - 1);
    return false;
  }
  return true;
}

static int64_t min_period(int64_t a, int64_t b) {
  if (a < 0) return b;
  if (b < 0) return a;
  return a < b ? a : b;
}

/* ---- contexts ---- */

static ncclResult_t context_init(void** out, int abi_version, bool has_comm_id, uint64_t comm_id, size_t nranks,
                                 size_t nnodes, ncclDebugLogger_t logger) {
  if (out == NULL) return ncclInvalidArgument;
  *out = NULL;
  size_t size = (sizeof(ccl_ctx) + 63) / 64 * 64;
  ccl_ctx* ctx = aligned_alloc(64, size);
  if (ctx == NULL) return ncclSystemError;
  memset(ctx, 0, size);
  atomic_flag_clear(&ctx->busy);
  ctx->abi_version = abi_version;
  ctx->seq = atomic_fetch_add(&next_context_seq, 1);
  ctx->has_comm_id = has_comm_id;
  ctx->comm_id = comm_id;
  ctx->nranks = nranks;
  ctx->nnodes = nnodes;
  ctx->log.fn = logger;
  ctx->log.to_stderr = env_flag("CCL_TUNER_DEBUG");
  ctx->decisions_fd = -1;
  if (!config_path(ctx)) {
    free(ctx);
    return ncclInvalidUsage;
  }

  ctx->reload_ms = env_ms(&ctx->log, "CCL_TUNER_RELOAD_MS", 1000);
  ctx->flush_ms = env_ms(&ctx->log, "CCL_TUNER_DECISIONS_FLUSH_MS", 1000);
  const char* decisions = getenv("CCL_TUNER_DECISIONS");
  if (decisions != NULL && *decisions != '\0') ctx->decisions_fd = ccl_decisions_open(decisions, &ctx->log);
  int64_t period_ms = min_period(ctx->reload_ms, ctx->decisions_fd >= 0 ? ctx->flush_ms : -1);
  ctx->check_period_ns = period_ms < 0 ? -1 : period_ms * 1000000LL;
  int64_t now = ccl_coarse_now_ns();
  atomic_store(&ctx->next_check_ns, now + (ctx->check_period_ns > 0 ? ctx->check_period_ns : 0));
  ctx->next_flush_ns = now + ctx->flush_ms * 1000000LL;

  ccl_table* table = ccl_table_load(ctx->path, nranks, nnodes, ctx->decisions_fd >= 0, ctx->path_from_env, &ctx->log);
  if (table == NULL) {
    if (ctx->decisions_fd >= 0) close(ctx->decisions_fd);
    free(ctx);
    return ncclSystemError;
  }
  ccl_publish_first(ctx, table);
  CCL_INFO(&ctx->log, "ccl-agent tuner: context %llu (%zu ranks, %zu nodes, ABI v%d) reading %s, reload %s",
           (unsigned long long)ctx->seq, nranks, nnodes, abi_version, ctx->path,
           ctx->reload_ms < 0 ? "off" : "on");
  *out = ctx;
  return ncclSuccess;
}

static ncclResult_t context_finalize(void* context) {
  ccl_ctx* ctx = context;
  if (ctx == NULL) return ncclSuccess;
  ccl_retire_all(ctx);
  if (ctx->decisions_fd >= 0) close(ctx->decisions_fd);
  free(ctx);
  return ncclSuccess;
}

/* ---- getCollInfo, common to every version ---- */

static void apply(const ccl_row* row, const ccl_query* q, int* algorithm, int* protocol, int* nChannels) {
  if (q->v2) {
    if (algorithm != NULL) *algorithm = row->algo;
    if (protocol != NULL) *protocol = row->proto;
  } else {
    /* NCCL takes the cheapest usable cell, and real costs are positive. */
    q->cost[row->algo * q->num_proto + row->proto] = 0.0f;
  }
  if (row->channels > 0 && nChannels != NULL) *nChannels = row->channels;
}

static ncclResult_t get_coll_info(void* context, const ccl_query* q, int* algorithm, int* protocol, int* nChannels) {
  ccl_ctx* ctx = context;
  if (ctx == NULL) return ncclInternalError;
  if (q->coll < 0 || q->coll >= NCCL_NUM_FUNCTIONS_TUNED) return ncclSuccess; /* not ours to tune */

  ccl_maybe_check(ctx); /* outside the read section: a reload waits for readers to leave */
  ccl_reader reader;
  ccl_table* table = ccl_read_begin(ctx, &reader);
  ccl_choice choice = ccl_resolve(table, q);
  if (choice.row >= 0) apply(&table->rows[choice.row], q, algorithm, protocol, nChannels);
  ccl_stats_count(table, q, choice);
  ccl_read_end(ctx, &reader);
  return ncclSuccess;
}

/* ---- version shims ---- */

static ncclResult_t init_v2(size_t nRanks, size_t nNodes, ncclDebugLogger_t logFunction, void** context) {
  return context_init(context, 2, false, 0, nRanks, nNodes, logFunction);
}
static ncclResult_t init_v3(size_t nRanks, size_t nNodes, ncclDebugLogger_t logFunction, void** context) {
  return context_init(context, 3, false, 0, nRanks, nNodes, logFunction);
}
static ncclResult_t init_v4(size_t nRanks, size_t nNodes, ncclDebugLogger_t logFunction, void** context) {
  return context_init(context, 4, false, 0, nRanks, nNodes, logFunction);
}

/* The NVLink domain info and NCCL's model constants are left as NCCL made them (either may be NULL). */
static ncclResult_t init_v5(void** context, uint64_t commId, size_t nRanks, size_t nNodes,
                            ncclDebugLogger_t logFunction, ncclNvlDomainInfo_v5_t* nvlDomainInfo,
                            ncclTunerConstants_v5_t* constants) {
  (void)nvlDomainInfo;
  (void)constants;
  return context_init(context, 5, true, commId, nRanks, nNodes, logFunction);
}

static ncclResult_t get_coll_info_v2(void* context, ncclFunc_t collType, size_t nBytes, int collNetSupport,
                                     int nvlsSupport, int numPipeOps, int* algorithm, int* protocol, int* nChannels) {
  ccl_query q = {.coll = (int)collType, .bytes = nBytes, .pipe_ops = numPipeOps, .reg_buff = -1, .v2 = true,
                 .coll_net = collNetSupport, .nvls = nvlsSupport};
  return get_coll_info(context, &q, algorithm, protocol, nChannels);
}

static ncclResult_t get_coll_info_v3(void* context, ncclFunc_t collType, size_t nBytes, int numPipeOps,
                                     float** collCostTable, int numAlgo, int numProto, int* nChannels) {
  ccl_query q = {.coll = (int)collType, .bytes = nBytes, .pipe_ops = numPipeOps, .reg_buff = -1,
                 .cost = (float*)collCostTable, .num_algo = numAlgo, .num_proto = numProto};
  return get_coll_info(context, &q, NULL, NULL, nChannels);
}

static ncclResult_t get_coll_info_v4(void* context, ncclFunc_t collType, size_t nBytes, int numPipeOps,
                                     float** collCostTable, int numAlgo, int numProto, int regBuff, int* nChannels) {
  ccl_query q = {.coll = (int)collType, .bytes = nBytes, .pipe_ops = numPipeOps, .reg_buff = regBuff,
                 .cost = (float*)collCostTable, .num_algo = numAlgo, .num_proto = numProto};
  return get_coll_info(context, &q, NULL, NULL, nChannels);
}

CCL_EXPORT const ncclTuner_v2_t ncclTunerPlugin_v2 = {PLUGIN_NAME, init_v2, get_coll_info_v2, context_finalize};
CCL_EXPORT const ncclTuner_v3_t ncclTunerPlugin_v3 = {PLUGIN_NAME, init_v3, get_coll_info_v3, context_finalize};
CCL_EXPORT const ncclTuner_v4_t ncclTunerPlugin_v4 = {PLUGIN_NAME, init_v4, get_coll_info_v4, context_finalize};
/* v4's getCollInfo is v5's: the cost table, regBuff and nChannels did not change. */
CCL_EXPORT const ncclTuner_v5_t ncclTunerPlugin_v5 = {PLUGIN_NAME, init_v5, get_coll_info_v4, context_finalize};
