/*
 * Hot reload without locks on the read side.
 *
 * A table is immutable once published (only its atomic counters move). getCollInfo brackets its use of the
 * table with ccl_read_begin/ccl_read_end, which count the reader in one of two sets of striped counters, the
 * set chosen by the parity of ctx->epoch. Replacing a table is: swap the pointer, bump the epoch, and keep the
 * old table as "retiring" until every stripe of the old parity has been seen at zero. A reader that could hold
 * the old table entered before the swap, and so before the bump, so it is counted in the old parity; readers
 * that start after the bump use the other parity and can only see the new table. Only one table retires at a
 * time: the next reload waits (by simply not happening yet) until the previous one is freed, which keeps
 * parities from being reused while readers of an older generation might remain.
 *
 * The work (stat, parse, swap, free, periodic flush) is done inside getCollInfo by whichever caller wins the
 * compare-and-swap on next_check_ns, at most once per check period; the others carry on with the current table.
 */
#include "tuner.h"

#include <time.h>

int64_t ccl_coarse_now_ns(void) {
  struct timespec now;
#ifdef CLOCK_MONOTONIC_COARSE
  clock_gettime(CLOCK_MONOTONIC_COARSE, &now); /* vDSO, a few ns; ~1-4 ms resolution is plenty here */
#else
  clock_gettime(CLOCK_MONOTONIC, &now);
#endif
  return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/* ---- readers ---- */

static unsigned my_stripe(void) {
  static _Thread_local int stripe = -1;
  static _Atomic unsigned next_stripe;
  if (stripe < 0) stripe = (int)(atomic_fetch_add_explicit(&next_stripe, 1, memory_order_relaxed) % CCL_READER_STRIPES);
  return (unsigned)stripe;
}

ccl_table* ccl_read_begin(ccl_ctx* ctx, ccl_reader* reader) {
  reader->stripe = my_stripe();
  for (;;) {
    uint64_t epoch = atomic_load(&ctx->epoch);
    atomic_fetch_add(&ctx->readers[epoch & 1][reader->stripe].n, 1);
    /* Unchanged epoch: the increment happened while this parity was current, so a reclaimer that bumps the
     * epoch after our table load will wait for us. */
    if (atomic_load(&ctx->epoch) == epoch) {
      reader->parity = (unsigned)(epoch & 1);
      return atomic_load(&ctx->table);
    }
    atomic_fetch_sub(&ctx->readers[epoch & 1][reader->stripe].n, 1);
  }
}

void ccl_read_end(ccl_ctx* ctx, const ccl_reader* reader) {
  atomic_fetch_sub_explicit(&ctx->readers[reader->parity][reader->stripe].n, 1, memory_order_release);
}

/* ---- reclamation (holder of ctx->busy only) ---- */

/* True once the retiring table is gone; its final decision records are written first. */
static bool finish_retiring(ccl_ctx* ctx) {
  if (ctx->retiring == NULL) return true;
  for (unsigned s = 0; s < CCL_READER_STRIPES; s++)
    if (atomic_load(&ctx->readers[ctx->retiring_parity][s].n) == 0) ctx->retiring_drained |= 1u << s;
  if (ctx->retiring_drained != (1u << CCL_READER_STRIPES) - 1) return false;
  ccl_decisions_flush(ctx, ctx->retiring, true);
  ccl_table_free(ctx->retiring);
  ctx->retiring = NULL;
  return true;
}

static void publish(ccl_ctx* ctx, ccl_table* fresh) {
  ccl_table* old = atomic_exchange(&ctx->table, fresh);
  uint64_t old_epoch = atomic_fetch_add(&ctx->epoch, 1);
  ctx->retiring = old;
  ctx->retiring_parity = (unsigned)(old_epoch & 1);
  ctx->retiring_drained = 0;
  /* Readers hold a table for well under a microsecond: a short spin usually frees it now, so its final
   * records come before the new table's load record. Otherwise a later check frees it. */
  for (int spin = 0; spin < 2000 && !finish_retiring(ctx); spin++) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  ccl_decisions_load(ctx, fresh);
}

void ccl_publish_first(ccl_ctx* ctx, ccl_table* table) {
  atomic_store(&ctx->table, table);
  ccl_decisions_load(ctx, table);
}

/* ---- the rate-limited check ---- */

static void reload_if_changed(ccl_ctx* ctx) {
  ccl_table* current = atomic_load(&ctx->table); /* only busy's holder swaps it, so it stays valid here */
  ccl_file_id id;
  if (!ccl_file_id_of(ctx->path, &id)) return; /* stat failed for a reason other than absence: try later */
  if (ccl_file_id_equal(&id, &current->file)) return;
  ccl_table* fresh = ccl_table_load(ctx->path, ctx->nranks, ctx->nnodes, ctx->decisions_fd >= 0,
                                    ctx->path_from_env, &ctx->log);
  if (fresh != NULL) publish(ctx, fresh);
}

static void check(ccl_ctx* ctx, int64_t now) {
  /* A table still retiring blocks the next reload (see the top of this file); the file is looked at again on
   * a later check. */
  if (!finish_retiring(ctx)) return;
  if (ctx->reload_ms >= 0) reload_if_changed(ctx);
  if (ctx->decisions_fd >= 0 && ctx->flush_ms >= 0 && now >= ctx->next_flush_ns) {
    ccl_decisions_flush(ctx, atomic_load(&ctx->table), false);
    ctx->next_flush_ns = now + ctx->flush_ms * 1000000LL;
  }
}

void ccl_maybe_check(ccl_ctx* ctx) {
  if (ctx->check_period_ns < 0) return;
  int64_t now = ccl_coarse_now_ns();
  int64_t due = atomic_load_explicit(&ctx->next_check_ns, memory_order_relaxed);
  if (now < due) return;
  if (!atomic_compare_exchange_strong_explicit(&ctx->next_check_ns, &due, now + ctx->check_period_ns,
                                               memory_order_relaxed, memory_order_relaxed))
    return;
  /* With a period of 0 several callers can win in a row; busy keeps the work to one at a time. */
  if (atomic_flag_test_and_set_explicit(&ctx->busy, memory_order_acquire)) return;
  check(ctx, now);
  atomic_flag_clear_explicit(&ctx->busy, memory_order_release);
}

/* finalize: NCCL makes no other call on this context any more, so everything can go now. */
void ccl_retire_all(ccl_ctx* ctx) {
  if (ctx->retiring != NULL) {
    ccl_decisions_flush(ctx, ctx->retiring, true);
    ccl_table_free(ctx->retiring);
    ctx->retiring = NULL;
  }
  ccl_table* table = atomic_exchange(&ctx->table, NULL);
  if (table != NULL) {
    ccl_decisions_flush(ctx, table, true);
    ccl_table_free(table);
  }
}
