/*
 * ccl-agent's NCCL tuner plugin: internal types shared by its C files.
 *
 *   log.c        NCCL's logger, called with a preformatted "%s" message
 *   table.c      nccl_tuner.conf -> an immutable table of rows (plus the file's identity and table id)
 *   resolve.c    the hot path: first matching, available row -> cost-table cell or algorithm/protocol
 *   decisions.c  per-table call counters and the JSON-lines decision log
 *   reload.c     reader sections, the rate-limited file check, publish and reclamation of tables
 *   plugin.c     contexts, environment variables and the exported ncclTunerPlugin_v2..v5 structs
 */
#ifndef CCL_TUNER_H
#define CCL_TUNER_H

#include "ccl_tuner_abi.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define CCL_MAX_LINE 1023          /* longer lines are malformed */
#define CCL_TABLE_ID_MAX 128       /* table_id tokens are shorter than this */
#define CCL_WARNINGS_PER_LOAD 20   /* malformed-line warnings shown per load, then a count */
#define CCL_STATS_SLOTS 4096       /* distinct (call, outcome) keys counted per table; power of two */
#define CCL_STATS_PROBES 64        /* open-addressing probes before a call counts as overflow */
#define CCL_READER_STRIPES 16      /* reader counters per parity, one cache line each */

/* ---- log.c ---- */

typedef struct {
  ncclDebugLogger_t fn; /* NULL: stderr when CCL_TUNER_DEBUG is set, else nothing */
  bool to_stderr;
} ccl_log_sink;

void ccl_log_at(const ccl_log_sink* sink, ncclDebugLogLevel level, const char* file, int line, const char* fmt, ...)
    __attribute__((format(printf, 5, 6)));
#define CCL_WARN(sink, ...) ccl_log_at((sink), NCCL_LOG_WARN, __FILE__, __LINE__, __VA_ARGS__)
#define CCL_INFO(sink, ...) ccl_log_at((sink), NCCL_LOG_INFO, __FILE__, __LINE__, __VA_ARGS__)

/* ---- table.c ---- */

typedef struct {
  uint64_t min_bytes, max_bytes; /* inclusive */
  int32_t pipe_ops, reg_buff;    /* -1: any */
  int32_t channels;              /* <= 0: keep NCCL's channel count */
  int32_t line;                  /* 1-based line in the file, for the decision log */
  int8_t coll, algo, proto;
} ccl_row;

typedef enum { CCL_LOAD_LOADED, CCL_LOAD_MISSING, CCL_LOAD_UNREADABLE } ccl_load_status;

/* What identifies one version of the file: ccl-agent replaces it by rename, so the inode changes too. */
typedef struct {
  bool exists;
  dev_t dev;
  ino_t ino;
  int64_t mtime_ns;
  int64_t size;
} ccl_file_id;

/* One counted (call, outcome); written once by the thread that claims the slot, then only calls changes. */
typedef struct {
  _Atomic uint32_t state; /* CCL_SLOT_EMPTY, CCL_SLOT_CLAIMED (being written), CCL_SLOT_READY */
  int8_t coll;
  int32_t pipe_ops, reg_buff;
  uint64_t bytes;
  int32_t row;      /* index into ccl_table.rows, -1: no row applied */
  uint32_t skipped; /* rows passed over because their cell was unavailable */
  _Atomic uint64_t calls;
  uint64_t flushed_calls; /* calls at the last flush; touched only by the flusher */
} ccl_slot;

enum { CCL_SLOT_EMPTY = 0, CCL_SLOT_CLAIMED = 1, CCL_SLOT_READY = 2 };

/* Immutable once published, except for the counters in slots. */
typedef struct {
  ccl_file_id file;
  ccl_load_status status;
  char table_id[CCL_TABLE_ID_MAX];
  int rows_in_file;         /* valid rows, whatever communicator they are for */
  int malformed;            /* lines ignored */
  ccl_row* rows;            /* rows for this communicator's nNodes/nRanks, grouped by collective, file order kept */
  int nrows;
  int coll_first[NCCL_NUM_FUNCTIONS_TUNED];
  int coll_count[NCCL_NUM_FUNCTIONS_TUNED];
  ccl_slot* slots;          /* CCL_STATS_SLOTS counters; NULL when the decision log is off */
  _Atomic uint64_t overflow_calls;
  uint64_t flushed_overflow;
} ccl_table;

/* Reads path into a table for a communicator of nranks/nnodes. Never NULL unless out of memory: a missing
 * or unreadable file gives an empty table with that status. Warns about each malformed line once. */
ccl_table* ccl_table_load(const char* path, size_t nranks, size_t nnodes, bool with_stats, bool path_from_env,
                          const ccl_log_sink* log);
void ccl_table_free(ccl_table* table);
bool ccl_file_id_of(const char* path, ccl_file_id* id);
bool ccl_file_id_equal(const ccl_file_id* a, const ccl_file_id* b);

extern const char* const ccl_coll_names[NCCL_NUM_FUNCTIONS_TUNED];
extern const char* const ccl_algo_names[NCCL_NUM_ALGORITHMS];
extern const char* const ccl_proto_names[NCCL_NUM_PROTOCOLS];

/* ---- resolve.c ---- */

/* One getCollInfo call, normalised over the ABI versions. */
typedef struct {
  int coll;
  uint64_t bytes;
  int pipe_ops;
  int reg_buff;       /* -1 when the version does not say (v2, v3) */
  float* cost;        /* v3+: float[num_algo][num_proto]; NULL for v2 */
  int num_algo, num_proto;
  bool v2;            /* no cost table: algorithm and protocol are written directly */
  int coll_net, nvls; /* v2 only: what the communicator supports */
} ccl_query;

typedef struct {
  int row;          /* index into the table's rows, -1: none applies */
  uint32_t skipped; /* matching rows passed over as unavailable */
} ccl_choice;

ccl_choice ccl_resolve(const ccl_table* table, const ccl_query* q);

/* ---- decisions.c ---- */

typedef struct ccl_ctx ccl_ctx;

void ccl_stats_count(ccl_table* table, const ccl_query* q, ccl_choice choice);
int ccl_decisions_open(const char* pattern, const ccl_log_sink* log);
void ccl_decisions_load(ccl_ctx* ctx, const ccl_table* table);
void ccl_decisions_flush(ccl_ctx* ctx, ccl_table* table, bool final);

/* ---- reload.c ---- */

typedef struct {
  _Alignas(64) _Atomic int64_t n; /* own cache line: readers on different stripes do not contend */
} ccl_reader_stripe;

typedef struct {
  unsigned parity;
  unsigned stripe;
} ccl_reader;

struct ccl_ctx {
  /* Fixed at init. */
  int abi_version;
  uint64_t seq; /* per-process context number, for the decision log */
  bool has_comm_id;
  uint64_t comm_id;
  size_t nranks, nnodes;
  ccl_log_sink log;
  char path[PATH_MAX];
  bool path_from_env;
  int64_t reload_ms;        /* -1: never */
  int64_t flush_ms;         /* -1: only final records */
  int64_t check_period_ns;  /* -1: never check */
  int decisions_fd;         /* -1: no decision log */
  atomic_bool write_warned;

  /* The published table, read by getCollInfo through ccl_read_begin/ccl_read_end. */
  _Atomic(ccl_table*) table;
  _Atomic uint64_t epoch;
  ccl_reader_stripe readers[2][CCL_READER_STRIPES];

  /* The rate-limited check: one caller wins next_check_ns, then busy guards the rest. */
  _Atomic int64_t next_check_ns;
  atomic_flag busy;
  /* Owned by whoever holds busy. */
  ccl_table* retiring;      /* replaced, freed once every reader that may hold it has left */
  unsigned retiring_parity;
  uint32_t retiring_drained; /* bit per stripe seen at zero since the swap */
  int64_t next_flush_ns;
};

ccl_table* ccl_read_begin(ccl_ctx* ctx, ccl_reader* reader);
void ccl_read_end(ccl_ctx* ctx, const ccl_reader* reader);
void ccl_maybe_check(ccl_ctx* ctx);
void ccl_publish_first(ccl_ctx* ctx, ccl_table* table);
void ccl_retire_all(ccl_ctx* ctx);
int64_t ccl_coarse_now_ns(void);

#endif
