/*
 * What the plugin decided, for ccl-agent to read back: CCL_TUNER_DECISIONS names a JSON-lines file. Each
 * table counts its calls per (collective, exact size, numPipeOps, regBuff, outcome) in a fixed open-addressing
 * table of atomic counters, so counting takes no lock and no allocation. Records are written one write(2) per
 * line on an O_APPEND descriptor, so ranks sharing a file never interleave inside a line.
 */
#include "tuner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- counting (hot path) ---- */

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

static uint64_t key_hash(const ccl_query* q, ccl_choice choice) {
  uint64_t h = mix(0, q->bytes);
  h = mix(h, ((uint64_t)(uint32_t)q->coll << 32) | (uint32_t)q->pipe_ops);
  h = mix(h, ((uint64_t)(uint32_t)q->reg_buff << 32) | (uint32_t)choice.row);
  h = mix(h, choice.skipped);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

static bool same_key(const ccl_slot* slot, const ccl_query* q, ccl_choice choice) {
  return slot->bytes == q->bytes && slot->coll == q->coll && slot->pipe_ops == q->pipe_ops &&
         slot->reg_buff == q->reg_buff && slot->row == choice.row && slot->skipped == choice.skipped;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

void ccl_stats_count(ccl_table* table, const ccl_query* q, ccl_choice choice) {
  if (table->slots == NULL) return;
  uint64_t h = key_hash(q, choice);
  for (uint32_t probe = 0; probe < CCL_STATS_PROBES; probe++) {
    ccl_slot* slot = &table->slots[(h + probe) & (CCL_STATS_SLOTS - 1)];
    uint32_t state = atomic_load_explicit(&slot->state, memory_order_acquire);
    if (state == CCL_SLOT_EMPTY) {
      if (atomic_compare_exchange_strong_explicit(&slot->state, &state, CCL_SLOT_CLAIMED, memory_order_acquire,
                                                  memory_order_acquire)) {
        slot->coll = (int8_t)q->coll;
        slot->bytes = q->bytes;
        slot->pipe_ops = q->pipe_ops;
        slot->reg_buff = q->reg_buff;
        slot->row = choice.row;
        slot->skipped = choice.skipped;
        atomic_store_explicit(&slot->calls, 1, memory_order_relaxed);
        atomic_store_explicit(&slot->state, CCL_SLOT_READY, memory_order_release);
        return;
      }
    }
    /* Another thread is writing this slot's key: a handful of stores, so wait for it. */
    while (state == CCL_SLOT_CLAIMED) {
      cpu_relax();
      state = atomic_load_explicit(&slot->state, memory_order_acquire);
    }
    if (same_key(slot, q, choice)) {
      atomic_fetch_add_explicit(&slot->calls, 1, memory_order_relaxed);
      return;
    }
  }
  atomic_fetch_add_explicit(&table->overflow_calls, 1, memory_order_relaxed);
}

/* ---- the log file ---- */

/* pattern with %p -> pid, %h -> hostname, %% -> %. */
static bool expand_path(const char* pattern, char* out, size_t size) {
  size_t used = 0;
  for (const char* p = pattern; *p; p++) {
    char piece[256];
    const char* add = piece;
    if (p[0] == '%' && p[1] == 'p') {
      snprintf(piece, sizeof piece, "%d", (int)getpid());
      p++;
    } else if (p[0] == '%' && p[1] == 'h') {
      if (gethostname(piece, sizeof piece) != 0) snprintf(piece, sizeof piece, "unknown-host");
      piece[sizeof piece - 1] = '\0';
      p++;
    } else if (p[0] == '%' && p[1] == '%') {
      add = "%";
      p++;
    } else {
      piece[0] = *p;
      piece[1] = '\0';
    }
    size_t length = strlen(add);
    if (used + length >= size) return false;
    memcpy(out + used, add, length);
    used += length;
  }
  out[used] = '\0';
  return true;
}

int ccl_decisions_open(const char* pattern, const ccl_log_sink* log) {
  char path[PATH_MAX];
  if (!expand_path(pattern, path, sizeof path)) {
    CCL_WARN(log, "ccl-agent tuner: CCL_TUNER_DECISIONS path is too long; no decision log");
    return -1;
  }
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) CCL_WARN(log, "ccl-agent tuner: cannot open decision log %s: %s; no decision log", path, strerror(errno));
  return fd;
}

/* ---- records ---- */

typedef struct {
  char text[8192];
  size_t used;
  bool full;
} line_buf;

__attribute__((format(printf, 2, 3))) static void put(line_buf* b, const char* fmt, ...) {
  if (b->full) return;
  va_list args;
  va_start(args, fmt);
  int n = vsnprintf(b->text + b->used, sizeof b->text - b->used, fmt, args);
  va_end(args);
  if (n < 0 || (size_t)n >= sizeof b->text - b->used) b->full = true;
  else b->used += (size_t)n;
}

static void put_json_string(line_buf* b, const char* s) {
  put(b, "\"");
  for (const unsigned char* p = (const unsigned char*)s; *p; p++) {
    if (*p == '"' || *p == '\\') put(b, "\\%c", *p);
    else if (*p < 0x20) put(b, "\\u%04x", *p);
    else put(b, "%c", *p);
  }
  put(b, "\"");
}

static void put_header(line_buf* b, const ccl_ctx* ctx, const char* event, const ccl_table* table) {
  put(b, "{\"event\":\"%s\",\"pid\":%d,\"context\":%llu,\"table_id\":", event, (int)getpid(),
      (unsigned long long)ctx->seq);
  put_json_string(b, table->table_id);
}

static void emit(ccl_ctx* ctx, line_buf* b) {
  put(b, "}\n");
  if (b->full) return; /* cannot happen with the fields above; never write half a record */
  ssize_t written = write(ctx->decisions_fd, b->text, b->used);
  if (written != (ssize_t)b->used && !atomic_exchange(&ctx->write_warned, true))
    CCL_WARN(&ctx->log, "ccl-agent tuner: writing the decision log failed (%s); later failures are not reported",
             written < 0 ? strerror(errno) : "short write");
}

static const char* load_status_name(ccl_load_status status) {
  switch (status) {
    case CCL_LOAD_LOADED: return "loaded";
    case CCL_LOAD_MISSING: return "missing";
    default: return "unreadable";
  }
}

void ccl_decisions_load(ccl_ctx* ctx, const ccl_table* table) {
  if (ctx->decisions_fd < 0) return;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  line_buf b = {.used = 0};
  put(&b, "{\"event\":\"load\",\"pid\":%d,\"context\":%llu,\"abi\":%d,\"comm_id\":", (int)getpid(),
      (unsigned long long)ctx->seq, ctx->abi_version);
  if (ctx->has_comm_id) put(&b, "\"0x%llx\"", (unsigned long long)ctx->comm_id);
  else put(&b, "null");
  put(&b, ",\"nranks\":%zu,\"nnodes\":%zu,\"table_id\":", ctx->nranks, ctx->nnodes);
  put_json_string(&b, table->table_id);
  put(&b, ",\"file\":");
  put_json_string(&b, ctx->path);
  put(&b, ",\"status\":\"%s\",\"rows\":%d,\"rows_for_comm\":%d,\"malformed\":%d,\"time_ns\":%lld",
      load_status_name(table->status), table->rows_in_file, table->nrows, table->malformed,
      (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
  emit(ctx, &b);
}

static int log2_floor(uint64_t v) { return v == 0 ? 0 : 63 - __builtin_clzll(v); }

static void decision_record(ccl_ctx* ctx, const ccl_table* table, const ccl_slot* slot, uint64_t calls, bool final) {
  const ccl_row* row = slot->row >= 0 ? &table->rows[slot->row] : NULL;
  const char* result = row != NULL ? "matched" : slot->skipped > 0 ? "skipped_unavailable" : "no_row";
  line_buf b = {.used = 0};
  put_header(&b, ctx, "decisions", table);
  put(&b, ",\"coll\":\"%s\",\"bytes\":%llu,\"size_bucket_log2\":%d,\"nnodes\":%zu,\"nranks\":%zu,"
      "\"pipe_ops\":%d,\"reg_buff\":%d,\"calls\":%llu,\"result\":\"%s\",\"line\":%d,",
      ccl_coll_names[slot->coll], (unsigned long long)slot->bytes, log2_floor(slot->bytes), ctx->nnodes,
      ctx->nranks, slot->pipe_ops, slot->reg_buff, (unsigned long long)calls, result, row ? row->line : 0);
  if (row != NULL)
    put(&b, "\"algo\":\"%s\",\"proto\":\"%s\",\"channels\":%d,", ccl_algo_names[row->algo],
        ccl_proto_names[row->proto], row->channels > 0 ? row->channels : -1);
  else
    put(&b, "\"algo\":null,\"proto\":null,\"channels\":-1,");
  put(&b, "\"skipped_rows\":%u,\"final\":%s", slot->skipped, final ? "true" : "false");
  emit(ctx, &b);
}

/* Records for every key whose count changed since the last flush (final: every key counted at all). Only the
 * holder of ctx->busy, or finalize, calls this, so flushed_calls needs no synchronisation. */
void ccl_decisions_flush(ccl_ctx* ctx, ccl_table* table, bool final) {
  if (ctx->decisions_fd < 0 || table->slots == NULL) return;
  for (uint32_t i = 0; i < CCL_STATS_SLOTS; i++) {
    ccl_slot* slot = &table->slots[i];
    if (atomic_load_explicit(&slot->state, memory_order_acquire) != CCL_SLOT_READY) continue;
    uint64_t calls = atomic_load_explicit(&slot->calls, memory_order_relaxed);
    if (calls == slot->flushed_calls && !final) continue;
    decision_record(ctx, table, slot, calls, final);
    slot->flushed_calls = calls;
  }
  uint64_t overflow = atomic_load_explicit(&table->overflow_calls, memory_order_relaxed);
  if (overflow > 0 && (final || overflow != table->flushed_overflow)) {
    line_buf b = {.used = 0};
    put_header(&b, ctx, "overflow", table);
    put(&b, ",\"slots\":%d,\"uncounted_calls\":%llu,\"final\":%s", CCL_STATS_SLOTS, (unsigned long long)overflow,
        final ? "true" : "false");
    emit(ctx, &b);
    table->flushed_overflow = overflow;
  }
}
