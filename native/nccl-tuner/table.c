/*
 * nccl_tuner.conf, in the CSV format of NCCL's example tuner plugin (plugins/tuner/example in NVIDIA/nccl):
 *
 *   collective_type,min_bytes,max_bytes,algorithm,protocol,channels,nNodes,nRanks[,numPipeOps[,regBuff]]
 *
 * Lines starting with '#' and empty lines are skipped, fields are split on ',' (empty fields dropped, as
 * strtok does) and trimmed of spaces and tabs, -1 is the wildcard. Where the example plugin silently guesses
 * (an unknown name read as allreduce/ring/simple, a short row dropped), a line that is not exactly right is
 * malformed here: it is reported once per load, with file and line number, and ignored on its own.
 *
 * ccl-agent's extension: a comment "# ccl-agent: table_id=<token>" names the table for the decision log.
 */
#include "tuner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char* const ccl_coll_names[NCCL_NUM_FUNCTIONS_TUNED] = {"broadcast", "reduce", "allgather", "reducescatter",
                                                               "allreduce"};
const char* const ccl_algo_names[NCCL_NUM_ALGORITHMS] = {"tree", "ring", "collnet_direct", "collnet_chain",
                                                         "nvls", "nvls_tree", "pat"};
const char* const ccl_proto_names[NCCL_NUM_PROTOCOLS] = {"ll", "ll128", "simple"};

#define TABLE_ID_PREFIX "ccl-agent:"

/* ---- file identity ---- */

static void file_id_from_stat(const struct stat* st, ccl_file_id* id) {
  id->exists = true;
  id->dev = st->st_dev;
  id->ino = st->st_ino;
  id->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
  id->size = (int64_t)st->st_size;
}

bool ccl_file_id_of(const char* path, ccl_file_id* id) {
  struct stat st;
  memset(id, 0, sizeof *id);
  if (stat(path, &st) != 0) return errno == ENOENT || errno == ENOTDIR;
  file_id_from_stat(&st, id);
  return true;
}

bool ccl_file_id_equal(const ccl_file_id* a, const ccl_file_id* b) {
  if (a->exists != b->exists) return false;
  if (!a->exists) return true;
  return a->dev == b->dev && a->ino == b->ino && a->mtime_ns == b->mtime_ns && a->size == b->size;
}

/* ---- reading the file ---- */

/* The whole file, NUL-terminated; NULL with errno set when it cannot be read. */
static char* read_all(int fd, size_t* length) {
  size_t capacity = 4096, used = 0;
  char* text = malloc(capacity);
  if (text == NULL) return NULL;
  for (;;) {
    if (capacity - used < 2) {
      char* bigger = realloc(text, capacity * 2);
      if (bigger == NULL) {
        free(text);
        return NULL;
      }
      text = bigger;
      capacity *= 2;
    }
    ssize_t got = read(fd, text + used, capacity - used - 1);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      int saved = errno;
      free(text);
      errno = saved;
      return NULL;
    }
    if (got == 0) break;
    used += (size_t)got;
  }
  text[used] = '\0';
  *length = used;
  return text;
}

/* ---- fields ---- */

static char* trim(char* field) {
  while (*field == ' ' || *field == '\t') field++;
  char* end = field + strlen(field);
  while (end > field && (end[-1] == ' ' || end[-1] == '\t')) *--end = '\0';
  return field;
}

static int name_index(const char* name, const char* const* names, int count) {
  for (int i = 0; i < count; i++)
    if (strcmp(name, names[i]) == 0) return i;
  return -1;
}

/* Digits only, no sign: byte counts. */
static bool parse_bytes(const char* text, uint64_t* value) {
  if (*text == '\0') return false;
  uint64_t v = 0;
  for (const char* p = text; *p; p++) {
    if (*p < '0' || *p > '9') return false;
    unsigned digit = (unsigned)(*p - '0');
    if (v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  *value = v;
  return true;
}

/* An integer >= -1 that fits an int; -1 is the wildcard. */
static bool parse_int(const char* text, int32_t* value) {
  bool negative = *text == '-';
  uint64_t magnitude;
  if (!parse_bytes(negative ? text + 1 : text, &magnitude)) return false;
  if (negative && magnitude != 1) return false;
  if (!negative && magnitude > INT32_MAX) return false;
  *value = negative ? -1 : (int32_t)magnitude;
  return true;
}

/* ---- lines ---- */

typedef struct {
  const char* path;
  const ccl_log_sink* log;
  int malformed;
  char table_id[CCL_TABLE_ID_MAX];
} parse_state;

__attribute__((format(printf, 3, 4))) static void malformed(parse_state* s, int line, const char* fmt, ...) {
  s->malformed++;
  if (s->malformed > CCL_WARNINGS_PER_LOAD) return;
  char problem[512];
  va_list args;
  va_start(args, fmt);
  vsnprintf(problem, sizeof problem, fmt, args);
  va_end(args);
  CCL_WARN(s->log, "ccl-agent tuner: %s:%d: %s; line ignored", s->path, line, problem);
}

static bool table_id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == ':' || c == '-';
}

/* A '#' line: a plain comment, or "# ccl-agent: table_id=<token>". */
static void parse_comment(parse_state* s, char* line, int number) {
  char* text = trim(line + 1);
  if (strncmp(text, TABLE_ID_PREFIX, strlen(TABLE_ID_PREFIX)) != 0) return;
  text = trim(text + strlen(TABLE_ID_PREFIX));
  if (strncmp(text, "table_id=", 9) != 0) {
    malformed(s, number, "a '# ccl-agent:' comment must read '# ccl-agent: table_id=<token>'");
    return;
  }
  const char* token = text + 9;
  size_t length = 0;
  while (table_id_char(token[length])) length++;
  if (length == 0 || token[length] != '\0' || length >= CCL_TABLE_ID_MAX) {
    malformed(s, number, "table_id '%s' is not 1 to %d characters of [A-Za-z0-9_.:-]", token, CCL_TABLE_ID_MAX - 1);
    return;
  }
  if (s->table_id[0] != '\0') {
    malformed(s, number, "a second table_id ('%s'); the first ('%s') stands", token, s->table_id);
    return;
  }
  memcpy(s->table_id, token, length + 1);
}

/* A data line as read, before the communicator filter. */
typedef struct {
  ccl_row row;
  int32_t nnodes, nranks; /* -1: any */
} parsed_row;

/* A data line -> *out; false (reported) when malformed. */
static bool parse_row(parse_state* s, char* line, int number, parsed_row* out) {
  char* fields[11];
  int count = 0;
  char* save = NULL;
  for (char* f = strtok_r(line, ",", &save); f != NULL && count < 11; f = strtok_r(NULL, ",", &save))
    fields[count++] = trim(f);
  if (count < 8 || count > 10) {
    malformed(s, number, "%s%d fields; a row is collective_type,min_bytes,max_bytes,algorithm,protocol,channels,"
              "nNodes,nRanks[,numPipeOps[,regBuff]]", count > 10 ? "more than " : "", count > 10 ? 10 : count);
    return false;
  }

  int coll = name_index(fields[0], ccl_coll_names, NCCL_NUM_FUNCTIONS_TUNED);
  if (coll < 0) {
    malformed(s, number, "collective_type '%s' is not one of broadcast, reduce, allgather, reducescatter, allreduce",
              fields[0]);
    return false;
  }
  ccl_row* row = &out->row;
  if (!parse_bytes(fields[1], &row->min_bytes)) {
    malformed(s, number, "min_bytes '%s' is not a non-negative byte count", fields[1]);
    return false;
  }
  if (!parse_bytes(fields[2], &row->max_bytes)) {
    malformed(s, number, "max_bytes '%s' is not a non-negative byte count", fields[2]);
    return false;
  }
  int algo = name_index(fields[3], ccl_algo_names, NCCL_NUM_ALGORITHMS);
  if (algo < 0) {
    malformed(s, number, "algorithm '%s' is not one of tree, ring, collnet_direct, collnet_chain, nvls, nvls_tree, pat",
              fields[3]);
    return false;
  }
  int proto = name_index(fields[4], ccl_proto_names, NCCL_NUM_PROTOCOLS);
  if (proto < 0) {
    malformed(s, number, "protocol '%s' is not one of ll, ll128, simple", fields[4]);
    return false;
  }

  /* channels, nNodes, nRanks, then the optional numPipeOps and regBuff (absent = wildcard). */
  static const char* const int_names[] = {"channels", "nNodes", "nRanks", "numPipeOps", "regBuff"};
  int32_t ints[5] = {-1, -1, -1, -1, -1};
  for (int i = 0; i < count - 5; i++) {
    if (!parse_int(fields[5 + i], &ints[i])) {
      malformed(s, number, "%s '%s' is not an integer >= -1 (-1 is the wildcard)", int_names[i], fields[5 + i]);
      return false;
    }
  }
  if (row->min_bytes > row->max_bytes) {
    malformed(s, number, "min_bytes %llu is above max_bytes %llu, so the row can never match",
              (unsigned long long)row->min_bytes, (unsigned long long)row->max_bytes);
    return false;
  }

  row->coll = (int8_t)coll;
  row->algo = (int8_t)algo;
  row->proto = (int8_t)proto;
  row->channels = ints[0];
  out->nnodes = ints[1];
  out->nranks = ints[2];
  row->pipe_ops = ints[3];
  row->reg_buff = ints[4];
  row->line = number;
  return true;
}

static bool for_this_comm(const parsed_row* p, size_t nranks, size_t nnodes) {
  return (p->nnodes == -1 || (size_t)p->nnodes == nnodes) && (p->nranks == -1 || (size_t)p->nranks == nranks);
}

/* Every line of text -> rows for this communicator, in file order; counts go to table. */
static bool parse_text(parse_state* s, char* text, size_t length, ccl_table* table, size_t nranks, size_t nnodes) {
  size_t capacity = 64;
  ccl_row* rows = malloc(capacity * sizeof *rows);
  if (rows == NULL) return false;
  int nrows = 0, number = 0;
  char* end = text + length;
  for (char* line = text; line < end; ) {
    char* newline = memchr(line, '\n', (size_t)(end - line));
    char* line_end = newline != NULL ? newline : end;
    char* next = newline != NULL ? newline + 1 : end;
    *line_end = '\0';
    if (line_end > line && line_end[-1] == '\r') *--line_end = '\0';
    number++;

    size_t line_length = (size_t)(line_end - line);
    parsed_row parsed;
    if (line_length > CCL_MAX_LINE) {
      malformed(s, number, "%zu characters, more than %d", line_length, CCL_MAX_LINE);
    } else if (line_length == 0) {
      /* empty */
    } else if (line[0] == '#') {
      parse_comment(s, line, number);
    } else if (parse_row(s, line, number, &parsed)) {
      table->rows_in_file++;
      if (for_this_comm(&parsed, nranks, nnodes)) {
        if (nrows == (int)capacity) {
          ccl_row* bigger = realloc(rows, capacity * 2 * sizeof *rows);
          if (bigger == NULL) {
            free(rows);
            return false;
          }
          rows = bigger;
          capacity *= 2;
        }
        rows[nrows++] = parsed.row;
      }
    }
    line = next;
  }
  if (s->malformed > CCL_WARNINGS_PER_LOAD)
    CCL_WARN(s->log, "ccl-agent tuner: %s: %d more malformed lines ignored (warnings shown for the first %d)",
             s->path, s->malformed - CCL_WARNINGS_PER_LOAD, CCL_WARNINGS_PER_LOAD);

  /* Group by collective, keeping file order inside each group, so a call scans only its collective's rows. */
  table->rows = malloc((nrows > 0 ? (size_t)nrows : 1) * sizeof *table->rows);
  if (table->rows == NULL) {
    free(rows);
    return false;
  }
  for (int c = 0; c < NCCL_NUM_FUNCTIONS_TUNED; c++) {
    table->coll_first[c] = table->nrows;
    for (int i = 0; i < nrows; i++)
      if (rows[i].coll == c) table->rows[table->nrows++] = rows[i];
    table->coll_count[c] = table->nrows - table->coll_first[c];
  }
  free(rows);
  table->malformed = s->malformed;
  return true;
}

/* ---- loading ---- */

static ccl_table* new_table(bool with_stats) {
  ccl_table* table = calloc(1, sizeof *table);
  if (table == NULL) return NULL;
  if (with_stats) {
    table->slots = calloc(CCL_STATS_SLOTS, sizeof *table->slots);
    if (table->slots == NULL) {
      free(table);
      return NULL;
    }
  }
  return table;
}

void ccl_table_free(ccl_table* table) {
  if (table == NULL) return;
  free(table->rows);
  free(table->slots);
  free(table);
}

static void set_default_table_id(ccl_table* table) {
  if (table->file.exists)
    snprintf(table->table_id, sizeof table->table_id, "%lld-%lld", (long long)table->file.mtime_ns,
             (long long)table->file.size);
  else
    snprintf(table->table_id, sizeof table->table_id, "none");
}

ccl_table* ccl_table_load(const char* path, size_t nranks, size_t nnodes, bool with_stats, bool path_from_env,
                          const ccl_log_sink* log) {
  ccl_table* table = new_table(with_stats);
  if (table == NULL) return NULL;

  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      table->status = CCL_LOAD_MISSING;
      /* A job that names the file expects it; the default name is only a guess. */
      ccl_log_at(log, path_from_env ? NCCL_LOG_WARN : NCCL_LOG_INFO, __FILE__, __LINE__,
                 "ccl-agent tuner: %s not found; NCCL's own choices apply until it appears", path);
    } else {
      table->status = CCL_LOAD_UNREADABLE;
      ccl_file_id_of(path, &table->file);
      CCL_WARN(log, "ccl-agent tuner: cannot open %s: %s; NCCL's own choices apply", path, strerror(errno));
    }
    set_default_table_id(table);
    return table;
  }

  struct stat st;
  size_t length = 0;
  char* text = NULL;
  if (fstat(fd, &st) == 0) {
    file_id_from_stat(&st, &table->file);
    text = read_all(fd, &length);
  }
  int read_errno = errno;
  close(fd);
  if (text == NULL) {
    table->status = CCL_LOAD_UNREADABLE;
    CCL_WARN(log, "ccl-agent tuner: cannot read %s: %s; NCCL's own choices apply", path, strerror(read_errno));
    set_default_table_id(table);
    return table;
  }

  parse_state s = {.path = path, .log = log};
  bool parsed = parse_text(&s, text, length, table, nranks, nnodes);
  free(text);
  if (!parsed) {
    ccl_table_free(table);
    return NULL;
  }
  table->status = CCL_LOAD_LOADED;
  if (s.table_id[0] != '\0')
    memcpy(table->table_id, s.table_id, sizeof table->table_id);
  else
    set_default_table_id(table);
  CCL_INFO(log, "ccl-agent tuner: loaded %s (table_id %s): %d rows, %d for this communicator (%zu ranks, %zu nodes), "
           "%d malformed lines ignored", path, table->table_id, table->rows_in_file, table->nrows, nranks, nnodes,
           table->malformed);
  return table;
}
