/*
 * The hot path: the first row in file order that matches the call and whose (algorithm, protocol) NCCL can
 * use. Rows for this communicator's nNodes/nRanks were picked at load time, grouped by collective, so a call
 * scans only its own collective's rows. No allocation, no locks, no system calls.
 */
#include "tuner.h"

static bool matches(const ccl_row* row, const ccl_query* q) {
  return q->bytes >= row->min_bytes && q->bytes <= row->max_bytes &&
         (row->pipe_ops == -1 || row->pipe_ops == q->pipe_ops) &&
         /* A row for registered (or unregistered) buffers only matches calls that say which they are (v4+). */
         (row->reg_buff == -1 || row->reg_buff == q->reg_buff);
}

/* v3+: the cell exists and NCCL did not mark it NCCL_ALGO_PROTO_IGNORE. */
static bool cell_available(const ccl_row* row, const ccl_query* q) {
  if (q->cost == NULL || row->algo >= q->num_algo || row->proto >= q->num_proto) return false;
  return q->cost[row->algo * q->num_proto + row->proto] != NCCL_ALGO_PROTO_IGNORE;
}

/* v2 has no cost table: what the communicator supports is all there is to go on. NCCL 2.21 knows six
 * algorithms (PAT came with 2.23), so a pat row is never applied through v2. */
static bool v2_available(const ccl_row* row, const ccl_query* q) {
  switch (row->algo) {
    case NCCL_ALGO_NVLS:
    case NCCL_ALGO_NVLS_TREE: return q->nvls != 0;
    case NCCL_ALGO_COLLNET_DIRECT:
    case NCCL_ALGO_COLLNET_CHAIN: return q->coll_net != 0;
    case NCCL_ALGO_PAT: return false;
    default: return true;
  }
}

ccl_choice ccl_resolve(const ccl_table* table, const ccl_query* q) {
  ccl_choice choice = {.row = -1, .skipped = 0};
  if (q->coll < 0 || q->coll >= NCCL_NUM_FUNCTIONS_TUNED) return choice;
  const ccl_row* rows = table->rows + table->coll_first[q->coll];
  for (int i = 0; i < table->coll_count[q->coll]; i++) {
    const ccl_row* row = &rows[i];
    if (!matches(row, q)) continue;
    if (q->v2 ? v2_available(row, q) : cell_available(row, q)) {
      choice.row = table->coll_first[q->coll] + i;
      return choice;
    }
    choice.skipped++;
  }
  return choice;
}
