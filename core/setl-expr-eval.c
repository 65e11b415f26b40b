/* setl-expr-eval.c: column-at-a-time evaluation of checked expressions.
 *
 * Each node gives a vector for the whole batch, computed by tight loops
 * over the Arrow buffers; validity bitmaps are combined 64 rows at a time
 * with bitwise operations, and booleans stay bit-packed throughout, so that
 * three-valued logic is a handful of word operations.
 *
 * A node whose operands are all constants (literals, parameters) is
 * computed once, on one row, and stays a scalar that its parent broadcasts:
 * `age >= $min_age + 1` compares a column with one number. The same path
 * computes constant expressions (conditions) without any batch.
 *
 * Bitmaps made here always start at bit 0 and are padded to whole 64-bit
 * words; a column's bitmap at a non-zero offset (a slice) is copied to such
 * a bitmap first, which costs one bit per row.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-expr-private.h"
#include "setl-table-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  SetlDataType type;
  gboolean scalar;

  /* scalar */
  SetlExprValue s;
  char *own_str;

  /* vector, row i of the evaluation's n */
  guint8 *validity;        /* NULL: no nulls */
  guint8 *bits;            /* bool values */
  const void *values;      /* gint64, double or gint32 values */
  const gint32 *offsets;   /* strings: row i is data[offsets[i], offsets[i + 1]) */
  const char *data;
  gpointer own_values;     /* g_aligned_free: values or offsets */
  gpointer own_data;       /* g_free: string bytes */
  SetlColumn *column;      /* set when the vector is a batch column as is */
} Vec;

typedef struct {
  SetlExpr *expr;
  SetlRecordBatch *batch;
  gint64 n;
  gboolean in_scalar;        /* computing a constant sub-expression */
  SetlColumn **columns;      /* per column slot (borrowed) */
  SetlExprValue *params;     /* per parameter slot */
  char **param_strings;
} Eval;

/* Bitmaps and buffers */

static inline gint64
n_words (gint64 n)
{
  return MAX ((n + 63) / 64, 1);
}

static inline gboolean
bit_get (const guint8 *bits,
         gint64        i)
{
  return (bits[i >> 3] >> (i & 7)) & 1;
}

static inline void
bit_clear (guint8 *bits,
           gint64  i)
{
  bits[i >> 3] &= (guint8) ~(1u << (i & 7));
}

static inline void
bit_set (guint8 *bits,
         gint64  i)
{
  bits[i >> 3] |= (guint8) (1u << (i & 7));
}

static gpointer
buffer_alloc (gsize size)
{
  /* 64-byte aligned and padded, as Arrow recommends. */
  size = MAX ((size + 63) & ~(gsize) 63, 64);
  return g_aligned_alloc (1, size, 64);
}

static guint8 *
bitmap_new (gint64 n,
            guint8 fill)
{
  gsize size = (gsize) n_words (n) * 8;
  guint8 *bits = buffer_alloc (size);
  memset (bits, fill, MAX ((size + 63) & ~(gsize) 63, 64));
  return bits;
}

/* A copy of bits [@offset, @offset + @n) of @src, starting at bit 0. Reads
 * no byte of @src past the last bit wanted. */
static guint8 *
bitmap_copy (const guint8 *src,
             gint64        offset,
             gint64        n)
{
  guint8 *out = bitmap_new (n, 0);
  gint64 first = offset >> 3;
  gint64 n_bytes = (n + 7) / 8;
  guint shift = (guint) (offset & 7);

  if (n == 0)
    return out;
  if (shift == 0)
    memcpy (out, src + first, (gsize) n_bytes);
  else
    {
      gint64 last = (offset + n - 1) >> 3;
      for (gint64 k = 0; k < n_bytes; k++)
        {
          guint lo = src[first + k] >> shift;
          guint hi = first + k + 1 <= last ? (guint) src[first + k + 1] << (8 - shift) : 0;
          out[k] = (guint8) (lo | hi);
        }
    }
  return out;
}

static inline guint64 *
words (guint8 *bits)
{
  return (guint64 *) (gpointer) bits;
}

/* Vectors */

static void
vec_clear (Vec *v)
{
  g_clear_pointer (&v->validity, g_aligned_free);
  g_clear_pointer (&v->bits, g_aligned_free);
  g_clear_pointer (&v->own_values, g_aligned_free);
  g_clear_pointer (&v->own_data, g_free);
  g_clear_pointer (&v->own_str, g_free);
  memset (v, 0, sizeof *v);
}

static void
vec_set_scalar (Vec                 *v,
                const SetlExprValue *value,
                SetlDataType         type)
{
  memset (v, 0, sizeof *v);
  v->scalar = TRUE;
  v->type = type;
  v->s = *value;
  v->s.type = type;
  if (!value->is_null && type == SETL_DATA_TYPE_STRING)
    {
      /* Borrowed strings may not outlive the evaluation of their node. */
      v->own_str = g_strndup (value->str, value->len);
      v->s.str = v->own_str;
    }
}

static inline gboolean
vec_valid (const Vec *v,
           gint64     i)
{
  if (v->scalar)
    return !v->s.is_null;
  return v->validity == NULL || bit_get (v->validity, i);
}

static inline const char *
vec_str (const Vec *v,
         gint64     i,
         gsize     *len)
{
  if (v->scalar)
    {
      *len = v->s.len;
      return v->s.str ? v->s.str : "";
    }
  *len = (gsize) (v->offsets[i + 1] - v->offsets[i]);
  return v->data ? v->data + v->offsets[i] : "";
}

/* Row @i as a value; strings are borrowed from @v. */
static void
vec_get (const Vec     *v,
         gint64         i,
         SetlExprValue *out)
{
  memset (out, 0, sizeof *out);
  out->type = v->type;
  if (!vec_valid (v, i))
    {
      out->is_null = TRUE;
      return;
    }
  if (v->scalar)
    {
      *out = v->s;
      return;
    }
  switch (v->type)
    {
    case SETL_DATA_TYPE_BOOL:
      out->v.b = bit_get (v->bits, i);
      break;
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
      out->v.i = ((const gint64 *) v->values)[i];
      break;
    case SETL_DATA_TYPE_DOUBLE:
      out->v.d = ((const double *) v->values)[i];
      break;
    case SETL_DATA_TYPE_DATE32:
      out->v.date = ((const gint32 *) v->values)[i];
      break;
    case SETL_DATA_TYPE_STRING:
      out->str = vec_str (v, i, &out->len);
      break;
    default:
      out->is_null = TRUE;
    }
}

/* The validity of @v over n rows as a fresh bitmap (all ones when none). */
static guint8 *
vec_validity_bitmap (Eval      *ev,
                     const Vec *v)
{
  if (v->scalar)
    return bitmap_new (ev->n, v->s.is_null ? 0x00 : 0xFF);
  if (v->validity == NULL)
    return bitmap_new (ev->n, 0xFF);
  {
    guint8 *copy = bitmap_new (ev->n, 0);
    memcpy (copy, v->validity, (gsize) n_words (ev->n) * 8);
    return copy;
  }
}

/* The bool values of @v over n rows as a fresh bitmap. */
static guint8 *
vec_bool_bitmap (Eval      *ev,
                 const Vec *v)
{
  if (v->scalar)
    return bitmap_new (ev->n, (!v->s.is_null && v->s.v.b) ? 0xFF : 0x00);
  {
    guint8 *copy = bitmap_new (ev->n, 0);
    memcpy (copy, v->bits, (gsize) n_words (ev->n) * 8);
    return copy;
  }
}

/* The validity of an operation that is null when any operand is: NULL if
 * no operand has nulls. */
static guint8 *
combine_validity (Eval      *ev,
                  const Vec *const *operands,
                  guint      n_operands)
{
  guint8 *out = NULL;
  gint64 nw = n_words (ev->n);

  for (guint k = 0; k < n_operands; k++)
    {
      const Vec *v = operands[k];

      if (v->scalar)
        {
          if (v->s.is_null)
            {
              g_clear_pointer (&out, g_aligned_free);
              return bitmap_new (ev->n, 0);
            }
          continue;
        }
      if (v->validity == NULL)
        continue;
      if (out == NULL)
        {
          out = bitmap_new (ev->n, 0);
          memcpy (out, v->validity, (gsize) nw * 8);
        }
      else
        for (gint64 w = 0; w < nw; w++)
          words (out)[w] &= words (v->validity)[w];
    }
  return out;
}

/* Results built a row at a time (strings, casts, functions). */

typedef struct {
  SetlDataType type;
  gint64 n;
  guint8 *validity;
  guint8 *bits;
  gpointer values;
  gint32 *offsets;
  GString *data;
  gboolean overflow;
} Out;

static void
out_init (Out          *o,
          SetlDataType  type,
          gint64        n)
{
  memset (o, 0, sizeof *o);
  o->type = type;
  o->n = n;
  o->validity = bitmap_new (n, 0xFF);
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      o->bits = bitmap_new (n, 0);
      break;
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
    case SETL_DATA_TYPE_DOUBLE:
      o->values = buffer_alloc ((gsize) n * 8);
      memset (o->values, 0, (gsize) n * 8);
      break;
    case SETL_DATA_TYPE_DATE32:
      o->values = buffer_alloc ((gsize) n * 4);
      memset (o->values, 0, (gsize) n * 4);
      break;
    case SETL_DATA_TYPE_STRING:
    default:
      o->offsets = buffer_alloc ((gsize) (n + 1) * 4);
      o->offsets[0] = 0;
      o->data = g_string_new (NULL);
      break;
    }
}

static void
out_clear (Out *o)
{
  g_clear_pointer (&o->validity, g_aligned_free);
  g_clear_pointer (&o->bits, g_aligned_free);
  g_clear_pointer (&o->values, g_aligned_free);
  g_clear_pointer (&o->offsets, g_aligned_free);
  if (o->data)
    g_string_free (o->data, TRUE);
  o->data = NULL;
}

static inline void
out_str (Out        *o,
         gint64      i,
         const char *s,
         gsize       len)
{
  if (o->data->len + len > G_MAXINT32)
    {
      o->overflow = TRUE;
      len = 0;
    }
  g_string_append_len (o->data, s, (gssize) len);
  o->offsets[i + 1] = (gint32) o->data->len;
}

static inline void
out_null (Out    *o,
          gint64  i)
{
  bit_clear (o->validity, i);
  if (o->type == SETL_DATA_TYPE_STRING || o->type == SETL_EXPR_TYPE_NULL)
    o->offsets[i + 1] = (gint32) o->data->len;
}

/* Rows must be set in order for strings. */
static void
out_set (Out                 *o,
         gint64               i,
         const SetlExprValue *v)
{
  if (v->is_null)
    {
      out_null (o, i);
      return;
    }
  switch (o->type)
    {
    case SETL_DATA_TYPE_BOOL:
      if (v->v.b)
        bit_set (o->bits, i);
      break;
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
      ((gint64 *) o->values)[i] = v->v.i;
      break;
    case SETL_DATA_TYPE_DOUBLE:
      ((double *) o->values)[i] = v->v.d;
      break;
    case SETL_DATA_TYPE_DATE32:
      ((gint32 *) o->values)[i] = v->v.date;
      break;
    case SETL_DATA_TYPE_STRING:
      out_str (o, i, v->str, v->len);
      break;
    default:
      out_null (o, i);
    }
}

static gboolean
out_finish (Eval          *ev,
            Out           *o,
            SetlExprNode  *node,
            Vec           *v,
            GError       **error)
{
  if (o->overflow)
    {
      _setl_expr_set_error (error, SETL_EXPR_ERROR_OVERFLOW, ev->expr->text, node->start,
                            "Strings longer than 2 GiB in one batch; use smaller batches");
      out_clear (o);
      return FALSE;
    }
  memset (v, 0, sizeof *v);
  v->type = o->type;
  v->validity = g_steal_pointer (&o->validity);
  v->bits = g_steal_pointer (&o->bits);
  if (o->type == SETL_DATA_TYPE_STRING || o->type == SETL_EXPR_TYPE_NULL)
    {
      v->own_values = g_steal_pointer (&o->offsets);
      v->offsets = v->own_values;
      v->data = v->own_data = g_string_free (g_steal_pointer (&o->data), FALSE);
    }
  else
    v->values = v->own_values = g_steal_pointer (&o->values);
  out_clear (o);
  return TRUE;
}

/* Errors during evaluation name the row, unless the failing value is a
 * constant. */
static void
eval_error (Eval          *ev,
            GError       **error,
            SetlExprError  code,
            SetlExprNode  *node,
            gint64         row,
            const char    *message)
{
  if (ev->batch != NULL && !ev->in_scalar)
    _setl_expr_set_error (error, code, ev->expr->text, node->start,
                          "%s (row %" G_GINT64_FORMAT " of the batch)", message, row);
  else
    _setl_expr_set_error (error, code, ev->expr->text, node->start, "%s", message);
}

static gboolean eval_node (Eval *ev, SetlExprNode *node, Vec *out, GError **error);

/* Arithmetic */

static gboolean
overflow_error (Eval          *ev,
                SetlExprNode  *node,
                const Vec     *a,
                const Vec     *b,
                const guint8  *validity,
                GError       **error)
{
  gint64 n = ev->n;

  /* Find the first row that overflowed and is not null: rows under a
   * null may hold anything and do not count. */
  for (gint64 i = 0; i < n; i++)
    {
      gint64 x = a->scalar ? a->s.v.i : ((const gint64 *) a->values)[i];
      gint64 y = b == NULL ? 0 : b->scalar ? b->s.v.i : ((const gint64 *) b->values)[i];
      gint64 r;
      gboolean overflow;

      if (validity != NULL && !bit_get (validity, i))
        continue;
      switch (node->kind == SETL_EXPR_NODE_BINARY ? node->op : SETL_EXPR_OP_SUB)
        {
        case SETL_EXPR_OP_ADD: overflow = __builtin_add_overflow (x, y, &r); break;
        case SETL_EXPR_OP_MUL: overflow = __builtin_mul_overflow (x, y, &r); break;
        case SETL_EXPR_OP_DIV: overflow = x == G_MININT64 && y == -1; break;
        default:
          overflow = b == NULL ? x == G_MININT64 : __builtin_sub_overflow (x, y, &r);
        }
      if (overflow)
        {
          g_autofree char *message = g_strdup_printf ("Integer overflow: %" G_GINT64_FORMAT
                                                      " and %" G_GINT64_FORMAT
                                                      " give a result out of the int64 range",
                                                      x, y);
          eval_error (ev, error, SETL_EXPR_ERROR_OVERFLOW, node, i, message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
eval_arith (Eval          *ev,
            SetlExprNode  *node,
            Vec           *a,
            Vec           *b,
            Vec           *out,
            GError       **error)
{
  const Vec *operands[] = { a, b };
  gint64 n = ev->n;
  guint8 *validity = combine_validity (ev, operands, 2);
  gsize sa = a->scalar ? 0 : 1, sb = b->scalar ? 0 : 1;
  gpointer values = buffer_alloc ((gsize) n * 8);

  memset (out, 0, sizeof *out);
  out->type = node->type;
  out->validity = validity;
  out->values = out->own_values = values;

  if (node->type == SETL_DATA_TYPE_INT64)
    {
      const gint64 *A = a->scalar ? &a->s.v.i : a->values;
      const gint64 *B = b->scalar ? &b->s.v.i : b->values;
      gint64 *R = values;
      gboolean overflow = FALSE;

      switch (node->op)
        {
        case SETL_EXPR_OP_ADD:
          for (gint64 i = 0; i < n; i++)
            overflow |= __builtin_add_overflow (A[i * sa], B[i * sb], &R[i]);
          break;
        case SETL_EXPR_OP_SUB:
          for (gint64 i = 0; i < n; i++)
            overflow |= __builtin_sub_overflow (A[i * sa], B[i * sb], &R[i]);
          break;
        case SETL_EXPR_OP_MUL:
          for (gint64 i = 0; i < n; i++)
            overflow |= __builtin_mul_overflow (A[i * sa], B[i * sb], &R[i]);
          break;
        case SETL_EXPR_OP_DIV:
        case SETL_EXPR_OP_MOD:
          /* Division by zero gives null; the bitmap is needed then. */
          if (out->validity == NULL)
            out->validity = bitmap_new (n, 0xFF);
          for (gint64 i = 0; i < n; i++)
            {
              gint64 x = A[i * sa], y = B[i * sb];
              if (y == 0)
                {
                  bit_clear (out->validity, i);
                  R[i] = 0;
                }
              else if (y == -1)
                {
                  /* x / -1 traps for G_MININT64: never let the CPU see it. */
                  if (node->op == SETL_EXPR_OP_MOD)
                    R[i] = 0;
                  else if (x == G_MININT64)
                    overflow = TRUE, R[i] = 0;
                  else
                    R[i] = -x;
                }
              else
                R[i] = node->op == SETL_EXPR_OP_DIV ? x / y : x % y;
            }
          break;
        default:
          g_assert_not_reached ();
        }
      if (overflow && !overflow_error (ev, node, a, b, out->validity, error))
        {
          vec_clear (out);
          return FALSE;
        }
      return TRUE;
    }

  {
    const double *A = a->scalar ? &a->s.v.d : a->values;
    const double *B = b->scalar ? &b->s.v.d : b->values;
    double *R = values;

    switch (node->op)
      {
      case SETL_EXPR_OP_ADD:
        for (gint64 i = 0; i < n; i++)
          R[i] = A[i * sa] + B[i * sb];
        break;
      case SETL_EXPR_OP_SUB:
        for (gint64 i = 0; i < n; i++)
          R[i] = A[i * sa] - B[i * sb];
        break;
      case SETL_EXPR_OP_MUL:
        for (gint64 i = 0; i < n; i++)
          R[i] = A[i * sa] * B[i * sb];
        break;
      case SETL_EXPR_OP_DIV:
      case SETL_EXPR_OP_MOD:
        if (out->validity == NULL)
          out->validity = bitmap_new (n, 0xFF);
        for (gint64 i = 0; i < n; i++)
          {
            double y = B[i * sb];
            if (y == 0)
              {
                bit_clear (out->validity, i);
                R[i] = 0;
              }
            else
              R[i] = node->op == SETL_EXPR_OP_DIV ? A[i * sa] / y : fmod (A[i * sa], y);
          }
        break;
      default:
        g_assert_not_reached ();
      }
  }
  return TRUE;
}

static gboolean
eval_neg_abs (Eval          *ev,
              SetlExprNode  *node,
              Vec           *a,
              Vec           *out,
              GError       **error)
{
  gint64 n = ev->n;
  gboolean is_abs = node->kind == SETL_EXPR_NODE_CALL;

  memset (out, 0, sizeof *out);
  out->type = node->type;
  out->validity = combine_validity (ev, (const Vec *const *) &a, 1);
  out->own_values = buffer_alloc ((gsize) n * 8);
  out->values = out->own_values;

  if (node->type == SETL_DATA_TYPE_INT64)
    {
      const gint64 *A = a->scalar ? &a->s.v.i : a->values;
      gsize sa = a->scalar ? 0 : 1;
      gint64 *R = out->own_values;
      gboolean overflow = FALSE;

      for (gint64 i = 0; i < n; i++)
        {
          gint64 x = A[i * sa];
          overflow |= x == G_MININT64;
          R[i] = (is_abs && x >= 0) || x == G_MININT64 ? x : -x;
        }
      if (overflow && !overflow_error (ev, node, a, NULL, out->validity, error))
        {
          vec_clear (out);
          return FALSE;
        }
    }
  else
    {
      const double *A = a->scalar ? &a->s.v.d : a->values;
      gsize sa = a->scalar ? 0 : 1;
      double *R = out->own_values;

      for (gint64 i = 0; i < n; i++)
        R[i] = is_abs ? fabs (A[i * sa]) : -A[i * sa];
    }
  return TRUE;
}

/* Comparisons: one bit per row, 64 rows per word. */

#define CMP_LOOP(AEXPR, BEXPR, OP) \
  for (gint64 w = 0; w < nw; w++) \
    { \
      guint64 word = 0; \
      gint64 base = w * 64; \
      gint64 lim = MIN (64, n - base); \
      for (gint64 j = 0; j < lim; j++) \
        { \
          gint64 i = base + j; \
          word |= (guint64) ((AEXPR) OP (BEXPR)) << j; \
        } \
      R[w] = word; \
    }

#define CMP_SHAPES(T, A, B, OP) \
  if (a->scalar) \
    { \
      T x = (A)[0]; \
      CMP_LOOP (x, (B)[i], OP) \
    } \
  else if (b->scalar) \
    { \
      T y = (B)[0]; \
      CMP_LOOP ((A)[i], y, OP) \
    } \
  else \
    CMP_LOOP ((A)[i], (B)[i], OP)

#define CMP_OPS(T, A, B) \
  switch (op) \
    { \
    case SETL_EXPR_OP_EQ: CMP_SHAPES (T, A, B, ==); break; \
    case SETL_EXPR_OP_NE: CMP_SHAPES (T, A, B, !=); break; \
    case SETL_EXPR_OP_LT: CMP_SHAPES (T, A, B, <); break; \
    case SETL_EXPR_OP_LE: CMP_SHAPES (T, A, B, <=); break; \
    case SETL_EXPR_OP_GT: CMP_SHAPES (T, A, B, >); break; \
    case SETL_EXPR_OP_GE: CMP_SHAPES (T, A, B, >=); break; \
    default: g_assert_not_reached (); \
    }

static inline int
compare_strings (const char *a,
                 gsize       la,
                 const char *b,
                 gsize       lb)
{
  /* Bytes of UTF-8 sort as code points do. */
  int c = memcmp (a, b, MIN (la, lb));
  if (c != 0)
    return c;
  return la < lb ? -1 : la > lb ? 1 : 0;
}

static inline gboolean
op_holds (SetlExprOp op,
          int        c)
{
  switch (op)
    {
    case SETL_EXPR_OP_EQ: return c == 0;
    case SETL_EXPR_OP_NE: return c != 0;
    case SETL_EXPR_OP_LT: return c < 0;
    case SETL_EXPR_OP_LE: return c <= 0;
    case SETL_EXPR_OP_GT: return c > 0;
    case SETL_EXPR_OP_GE: return c >= 0;
    default: return FALSE;
    }
}

/* @a and @b have the same type (the checker made sure). */
static void
compare_vecs (Eval       *ev,
              SetlExprOp  op,
              Vec        *a,
              Vec        *b,
              Vec        *out)
{
  const Vec *operands[] = { a, b };
  gint64 n = ev->n;
  gint64 nw = n_words (n);
  guint8 *bits = bitmap_new (n, 0);
  guint64 *R = words (bits);
  SetlDataType type = a->type != SETL_EXPR_TYPE_NULL ? a->type : b->type;

  memset (out, 0, sizeof *out);
  out->type = SETL_DATA_TYPE_BOOL;
  out->validity = combine_validity (ev, operands, 2);
  out->bits = bits;

  /* A null operand: the result is all null, values do not matter. */
  if ((a->scalar && a->s.is_null) || (b->scalar && b->s.is_null))
    return;

  switch (type)
    {
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
      {
        const gint64 *A = a->scalar ? &a->s.v.i : a->values;
        const gint64 *B = b->scalar ? &b->s.v.i : b->values;
        CMP_OPS (gint64, A, B)
        break;
      }
    case SETL_DATA_TYPE_DOUBLE:
      {
        const double *A = a->scalar ? &a->s.v.d : a->values;
        const double *B = b->scalar ? &b->s.v.d : b->values;
        CMP_OPS (double, A, B)
        break;
      }
    case SETL_DATA_TYPE_DATE32:
      {
        const gint32 *A = a->scalar ? &a->s.v.date : a->values;
        const gint32 *B = b->scalar ? &b->s.v.date : b->values;
        CMP_OPS (gint32, A, B)
        break;
      }
    case SETL_DATA_TYPE_BOOL:
      {
        guint8 *ab, *bb;
        guint64 *A, *B;

        ab = vec_bool_bitmap (ev, a);
        bb = vec_bool_bitmap (ev, b);
        A = words (ab);
        B = words (bb);
        /* false < true */
        for (gint64 w = 0; w < nw; w++)
          switch (op)
            {
            case SETL_EXPR_OP_EQ: R[w] = ~(A[w] ^ B[w]); break;
            case SETL_EXPR_OP_NE: R[w] = A[w] ^ B[w]; break;
            case SETL_EXPR_OP_LT: R[w] = ~A[w] & B[w]; break;
            case SETL_EXPR_OP_LE: R[w] = ~A[w] | B[w]; break;
            case SETL_EXPR_OP_GT: R[w] = A[w] & ~B[w]; break;
            case SETL_EXPR_OP_GE: R[w] = A[w] | ~B[w]; break;
            default: g_assert_not_reached ();
            }
        g_aligned_free (ab);
        g_aligned_free (bb);
        break;
      }
    case SETL_DATA_TYPE_STRING:
      for (gint64 i = 0; i < n; i++)
        {
          gsize la, lb;
          const char *x = vec_str (a, i, &la);
          const char *y = vec_str (b, i, &lb);
          if (op_holds (op, compare_strings (x, la, y, lb)))
            bit_set (bits, i);
        }
      break;
    default:
      /* Both untyped nulls: handled above. */
      break;
    }
}

/* Three-valued logic on (valid, value) bit pairs, 64 rows at a time. */
static void
logic_vecs (Eval     *ev,
            gboolean  is_and,
            Vec      *a,
            Vec      *b,
            Vec      *out)
{
  gint64 nw = n_words (ev->n);
  guint8 *va = vec_validity_bitmap (ev, a), *xa = vec_bool_bitmap (ev, a);
  guint8 *vb = vec_validity_bitmap (ev, b), *xb = vec_bool_bitmap (ev, b);

  for (gint64 w = 0; w < nw; w++)
    {
      guint64 ta = words (va)[w] & words (xa)[w], fa = words (va)[w] & ~words (xa)[w];
      guint64 tb = words (vb)[w] & words (xb)[w], fb = words (vb)[w] & ~words (xb)[w];
      guint64 t = is_and ? (ta & tb) : (ta | tb);
      guint64 f = is_and ? (fa | fb) : (fa & fb);

      words (va)[w] = t | f;
      words (xa)[w] = t;
    }
  g_aligned_free (vb);
  g_aligned_free (xb);
  memset (out, 0, sizeof *out);
  out->type = SETL_DATA_TYPE_BOOL;
  out->validity = va;
  out->bits = xa;
}

static void
not_vec (Eval *ev,
         Vec  *a,
         Vec  *out)
{
  gint64 nw = n_words (ev->n);
  guint8 *bits = vec_bool_bitmap (ev, a);

  for (gint64 w = 0; w < nw; w++)
    words (bits)[w] = ~words (bits)[w];
  memset (out, 0, sizeof *out);
  out->type = SETL_DATA_TYPE_BOOL;
  out->validity = combine_validity (ev, (const Vec *const *) &a, 1);
  out->bits = bits;
}

static void
take_vec (Vec *to,
          Vec *from)
{
  *to = *from;
  memset (from, 0, sizeof *from);
}

/* x in (a, b, …) is (x = a) or (x = b) or …, in three-valued logic: which
 * is exactly SQL's rule for nulls in lists. */
static void
eval_in (Eval *ev,
         Vec  *args,
         guint n_args,
         Vec  *out)
{
  Vec acc = { 0 };

  compare_vecs (ev, SETL_EXPR_OP_EQ, &args[0], &args[1], &acc);
  for (guint k = 2; k < n_args; k++)
    {
      Vec eq = { 0 }, merged = { 0 };

      compare_vecs (ev, SETL_EXPR_OP_EQ, &args[0], &args[k], &eq);
      logic_vecs (ev, FALSE, &acc, &eq, &merged);
      vec_clear (&acc);
      vec_clear (&eq);
      take_vec (&acc, &merged);
    }
  take_vec (out, &acc);
}

static void
eval_between (Eval *ev,
              Vec  *args,
              Vec  *out)
{
  Vec low = { 0 }, high = { 0 };

  compare_vecs (ev, SETL_EXPR_OP_GE, &args[0], &args[1], &low);
  compare_vecs (ev, SETL_EXPR_OP_LE, &args[0], &args[2], &high);
  logic_vecs (ev, TRUE, &low, &high, out);
  vec_clear (&low);
  vec_clear (&high);
}

static void
eval_is_null (Eval     *ev,
              gboolean  negated,
              Vec      *a,
              Vec      *out)
{
  gint64 nw = n_words (ev->n);
  guint8 *bits = vec_validity_bitmap (ev, a);

  if (!negated)
    for (gint64 w = 0; w < nw; w++)
      words (bits)[w] = ~words (bits)[w];
  memset (out, 0, sizeof *out);
  out->type = SETL_DATA_TYPE_BOOL;
  out->bits = bits;
}

/* Strings */

static gboolean
eval_concat (Eval          *ev,
             SetlExprNode  *node,
             Vec           *a,
             Vec           *b,
             Vec           *out,
             GError       **error)
{
  Out o;

  out_init (&o, SETL_DATA_TYPE_STRING, ev->n);
  for (gint64 i = 0; i < ev->n; i++)
    {
      gsize la, lb;
      const char *x, *y;

      if (!vec_valid (a, i) || !vec_valid (b, i))
        {
          out_null (&o, i);
          continue;
        }
      x = vec_str (a, i, &la);
      y = vec_str (b, i, &lb);
      g_string_append_len (o.data, x, (gssize) la);
      out_str (&o, i, y, lb);
    }
  return out_finish (ev, &o, node, out, error);
}

static gboolean
eval_case (Eval          *ev,
           SetlExprNode  *node,
           Vec           *a,
           Vec           *out,
           GError       **error)
{
  gboolean lower = node->func == SETL_EXPR_FUNC_LOWER;
  Out o;

  out_init (&o, SETL_DATA_TYPE_STRING, ev->n);
  for (gint64 i = 0; i < ev->n; i++)
    {
      gsize len;
      const char *s;
      gboolean ascii = TRUE;

      if (!vec_valid (a, i))
        {
          out_null (&o, i);
          continue;
        }
      s = vec_str (a, i, &len);
      for (gsize k = 0; k < len && ascii; k++)
        ascii = (guchar) s[k] < 0x80;
      if (ascii)
        {
          gsize start = o.data->len;
          out_str (&o, i, s, len);
          for (gsize k = start; k < o.data->len; k++)
            o.data->str[k] = lower ? g_ascii_tolower (o.data->str[k]) : g_ascii_toupper (o.data->str[k]);
        }
      else
        {
          g_autofree char *changed = lower ? g_utf8_strdown (s, (gssize) len) : g_utf8_strup (s, (gssize) len);
          out_str (&o, i, changed, strlen (changed));
        }
    }
  return out_finish (ev, &o, node, out, error);
}

static void
eval_length (Eval *ev,
             Vec  *a,
             Vec  *out)
{
  gint64 *R = buffer_alloc ((gsize) ev->n * 8);

  for (gint64 i = 0; i < ev->n; i++)
    {
      gsize len;
      const char *s = vec_str (a, i, &len);
      R[i] = vec_valid (a, i) ? g_utf8_strlen (s, (gssize) len) : 0;
    }
  memset (out, 0, sizeof *out);
  out->type = SETL_DATA_TYPE_INT64;
  out->validity = combine_validity (ev, (const Vec *const *) &a, 1);
  out->values = out->own_values = R;
}

static gboolean
eval_string_test (Eval          *ev,
                  SetlExprNode  *node,
                  Vec           *a,
                  Vec           *b,
                  Vec           *out,
                  GError       **error)
{
  const Vec *operands[] = { a, b };
  g_autoptr(GRegex) compiled = NULL;
  GRegex *regex = node->regex;
  guint8 *bits;

  memset (out, 0, sizeof *out);
  out->type = SETL_DATA_TYPE_BOOL;
  out->validity = combine_validity (ev, operands, 2);
  out->bits = bits = bitmap_new (ev->n, 0);
  if (b->scalar && b->s.is_null)
    return TRUE;

  if (node->func == SETL_EXPR_FUNC_MATCHES && regex == NULL)
    {
      /* A pattern from a parameter: compiled once per evaluation. */
      g_autofree char *pattern = g_strndup (b->s.str, b->s.len);
      g_autoptr(GError) regex_error = NULL;

      compiled = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &regex_error);
      if (compiled == NULL)
        {
          _setl_expr_set_error (error, SETL_EXPR_ERROR_INVALID_REGEX, ev->expr->text,
                                node->args[1]->start, "Invalid regular expression '%s': %s",
                                pattern, regex_error->message);
          vec_clear (out);
          return FALSE;
        }
      regex = compiled;
    }

  for (gint64 i = 0; i < ev->n; i++)
    {
      gsize ls, lp;
      const char *s, *p;
      gboolean hit = FALSE;

      if (!vec_valid (a, i) || !vec_valid (b, i))
        continue;
      s = vec_str (a, i, &ls);
      p = vec_str (b, i, &lp);
      switch (node->func)
        {
        case SETL_EXPR_FUNC_STARTS_WITH:
          hit = lp <= ls && memcmp (s, p, lp) == 0;
          break;
        case SETL_EXPR_FUNC_ENDS_WITH:
          hit = lp <= ls && memcmp (s + ls - lp, p, lp) == 0;
          break;
        case SETL_EXPR_FUNC_CONTAINS:
          hit = lp == 0 || memmem (s, ls, p, lp) != NULL;
          break;
        case SETL_EXPR_FUNC_MATCHES:
          {
            g_autoptr(GError) match_error = NULL;

            hit = g_regex_match_full (regex, s, (gssize) ls, 0, 0, NULL, &match_error);
            if (match_error != NULL)
              {
                g_autofree char *message = g_strdup_printf ("matches() failed: %s",
                                                            match_error->message);
                eval_error (ev, error, SETL_EXPR_ERROR_INVALID_REGEX, node, i, message);
                vec_clear (out);
                return FALSE;
              }
            break;
          }
        default:
          g_assert_not_reached ();
        }
      if (hit)
        bit_set (bits, i);
    }
  return TRUE;
}

static gboolean
eval_coalesce (Eval          *ev,
               SetlExprNode  *node,
               Vec           *args,
               guint          n_args,
               Vec           *out,
               GError       **error)
{
  Out o;

  out_init (&o, node->type, ev->n);
  for (gint64 i = 0; i < ev->n; i++)
    {
      guint k;
      SetlExprValue v = { .is_null = TRUE };

      for (k = 0; k < n_args; k++)
        if (vec_valid (&args[k], i))
          {
            vec_get (&args[k], i, &v);
            break;
          }
      out_set (&o, i, &v);
    }
  return out_finish (ev, &o, node, out, error);
}

/* Casts */

static gboolean
eval_cast (Eval          *ev,
           SetlExprNode  *node,
           Vec           *a,
           Vec           *out,
           GError       **error)
{
  SetlDataType to = node->cast_type;
  Out o;

  if (a->type == to || (a->scalar && a->s.is_null))
    {
      if (a->scalar && a->s.is_null)
        a->type = a->s.type = to;
      take_vec (out, a);
      return TRUE;
    }

  if (a->type == SETL_DATA_TYPE_INT64 && to == SETL_DATA_TYPE_DOUBLE && !a->scalar)
    {
      const gint64 *A = a->values;
      double *R = buffer_alloc ((gsize) ev->n * 8);

      for (gint64 i = 0; i < ev->n; i++)
        R[i] = (double) A[i];
      memset (out, 0, sizeof *out);
      out->type = to;
      out->validity = combine_validity (ev, (const Vec *const *) &a, 1);
      out->values = out->own_values = R;
      return TRUE;
    }

  /* Everything else converts a row at a time. */
  out_init (&o, to, ev->n);
  for (gint64 i = 0; i < ev->n; i++)
    {
      SetlExprValue in, result;
      g_autofree char *owned = NULL;
      const char *why = NULL;

      vec_get (a, i, &in);
      if (!_setl_expr_cast_value (&in, to, &result, &owned, &why))
        {
          g_autofree char *shown = NULL;
          g_autofree char *message = NULL;

          if (node->try_cast)
            {
              out_null (&o, i);
              continue;
            }
          shown = _setl_expr_format_value (&in);
          message = g_strdup_printf ("Cannot cast %s%s%s (%s) to %s: %s",
                                     in.type == SETL_DATA_TYPE_STRING ? "'" : "", shown,
                                     in.type == SETL_DATA_TYPE_STRING ? "'" : "",
                                     _setl_expr_type_name (in.type),
                                     _setl_expr_type_name (to), why);
          eval_error (ev, error, SETL_EXPR_ERROR_INVALID_CAST, node, i, message);
          out_clear (&o);
          return FALSE;
        }
      out_set (&o, i, &result);
    }
  return out_finish (ev, &o, node, out, error);
}

/* Nodes */

static void
vec_from_column (Eval         *ev,
                 SetlExprNode *node,
                 Vec          *v)
{
  SetlColumn *column = ev->columns[node->slot];
  gint64 offset = setl_column_get_offset (column);
  const guint8 *validity = setl_column_get_validity_bitmap (column);
  const guint8 *values = setl_column_get_values_data (column);

  memset (v, 0, sizeof *v);
  v->type = setl_column_get_data_type (column);
  v->column = column;
  if (validity != NULL)
    v->validity = bitmap_copy (validity, offset, ev->n);
  switch (v->type)
    {
    case SETL_DATA_TYPE_BOOL:
      v->bits = bitmap_copy (values, offset, ev->n);
      break;
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
    case SETL_DATA_TYPE_DOUBLE:
      v->values = values + offset * 8;
      break;
    case SETL_DATA_TYPE_DATE32:
      v->values = values + offset * 4;
      break;
    case SETL_DATA_TYPE_STRING:
      v->offsets = (const gint32 *) (gconstpointer) values + offset;
      v->data = setl_column_get_string_data (column);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* A one-row result of constant operands becomes a scalar again. */
static void
collapse (Vec *v)
{
  SetlExprValue value;
  Vec scalar;

  vec_get (v, 0, &value);
  vec_set_scalar (&scalar, &value, v->type);
  vec_clear (v);
  *v = scalar;
}

static gboolean
apply (Eval          *ev,
       SetlExprNode  *node,
       Vec           *args,
       Vec           *out,
       GError       **error)
{
  switch (node->kind)
    {
    case SETL_EXPR_NODE_NEG:
      if (args[0].scalar && args[0].s.is_null)
        return take_vec (out, &args[0]), out->type = node->type, TRUE;
      return eval_neg_abs (ev, node, &args[0], out, error);

    case SETL_EXPR_NODE_NOT:
      not_vec (ev, &args[0], out);
      return TRUE;

    case SETL_EXPR_NODE_AND:
    case SETL_EXPR_NODE_OR:
      logic_vecs (ev, node->kind == SETL_EXPR_NODE_AND, &args[0], &args[1], out);
      return TRUE;

    case SETL_EXPR_NODE_IS_NULL:
      eval_is_null (ev, node->negated, &args[0], out);
      return TRUE;

    case SETL_EXPR_NODE_IN:
    case SETL_EXPR_NODE_BETWEEN:
      {
        Vec result = { 0 };

        if (node->kind == SETL_EXPR_NODE_IN)
          eval_in (ev, args, node->n_args, &result);
        else
          eval_between (ev, args, &result);
        if (node->negated)
          {
            not_vec (ev, &result, out);
            vec_clear (&result);
          }
        else
          take_vec (out, &result);
        return TRUE;
      }

    case SETL_EXPR_NODE_BINARY:
      if (SETL_EXPR_OP_IS_COMPARISON (node->op))
        {
          compare_vecs (ev, node->op, &args[0], &args[1], out);
          return TRUE;
        }
      if (node->op == SETL_EXPR_OP_CONCAT)
        return eval_concat (ev, node, &args[0], &args[1], out, error);
      if ((args[0].scalar && args[0].s.is_null) || (args[1].scalar && args[1].s.is_null))
        {
          SetlExprValue null = { .is_null = TRUE };
          vec_set_scalar (out, &null, node->type);
          return TRUE;
        }
      return eval_arith (ev, node, &args[0], &args[1], out, error);

    case SETL_EXPR_NODE_CALL:
      switch (node->func)
        {
        case SETL_EXPR_FUNC_LENGTH:
          eval_length (ev, &args[0], out);
          return TRUE;
        case SETL_EXPR_FUNC_LOWER:
        case SETL_EXPR_FUNC_UPPER:
          return eval_case (ev, node, &args[0], out, error);
        case SETL_EXPR_FUNC_STARTS_WITH:
        case SETL_EXPR_FUNC_ENDS_WITH:
        case SETL_EXPR_FUNC_CONTAINS:
        case SETL_EXPR_FUNC_MATCHES:
          return eval_string_test (ev, node, &args[0], &args[1], out, error);
        case SETL_EXPR_FUNC_COALESCE:
          return eval_coalesce (ev, node, args, node->n_args, out, error);
        case SETL_EXPR_FUNC_ABS:
          if (args[0].scalar && args[0].s.is_null)
            return take_vec (out, &args[0]), out->type = node->type, TRUE;
          return eval_neg_abs (ev, node, &args[0], out, error);
        default:
          g_assert_not_reached ();
        }

    case SETL_EXPR_NODE_CAST:
      return eval_cast (ev, node, &args[0], out, error);

    default:
      g_assert_not_reached ();
    }
}

static gboolean
eval_node (Eval          *ev,
           SetlExprNode  *node,
           Vec           *out,
           GError       **error)
{
  g_autofree Vec *args = NULL;
  gboolean all_scalar = TRUE;
  gboolean ok = TRUE;
  gint64 saved_n;
  gboolean saved_in_scalar;

  if (node->kind == SETL_EXPR_NODE_LITERAL || node->folded)
    {
      vec_set_scalar (out, &node->literal, node->type);
      return TRUE;
    }
  if (node->kind == SETL_EXPR_NODE_COLUMN)
    {
      vec_from_column (ev, node, out);
      return TRUE;
    }
  if (node->kind == SETL_EXPR_NODE_PARAM)
    {
      vec_set_scalar (out, &ev->params[node->slot], node->type);
      return TRUE;
    }

  args = g_new0 (Vec, node->n_args);
  for (guint i = 0; i < node->n_args && ok; i++)
    {
      ok = eval_node (ev, node->args[i], &args[i], error);
      all_scalar &= args[i].scalar;
    }

  if (ok)
    {
      saved_n = ev->n;
      saved_in_scalar = ev->in_scalar;
      if (all_scalar)
        {
          ev->n = 1;
          ev->in_scalar = TRUE;
        }
      memset (out, 0, sizeof *out);
      ok = apply (ev, node, args, out, error);
      ev->n = saved_n;
      ev->in_scalar = saved_in_scalar;
      if (ok && all_scalar && !out->scalar)
        collapse (out);
    }

  for (guint i = 0; i < node->n_args; i++)
    vec_clear (&args[i]);
  return ok;
}

/* Set-up and results */

static void
eval_clear (Eval *ev)
{
  if (ev->param_strings != NULL)
    for (guint i = 0; i < ev->expr->params->len; i++)
      g_free (ev->param_strings[i]);
  g_free (ev->param_strings);
  g_free (ev->params);
  g_free (ev->columns);
}

static gboolean
eval_init (Eval             *ev,
           SetlExpr         *expr,
           SetlRecordBatch  *batch,
           SetlExprScope    *scope,
           GError          **error)
{
  memset (ev, 0, sizeof *ev);
  ev->expr = expr;
  ev->batch = batch;
  ev->n = batch ? setl_record_batch_get_n_rows (batch) : 1;
  ev->columns = g_new0 (SetlColumn *, expr->columns->len + 1);
  ev->params = g_new0 (SetlExprValue, expr->params->len + 1);
  ev->param_strings = g_new0 (char *, expr->params->len + 1);

  for (guint i = 0; batch != NULL && i < expr->columns->len; i++)
    {
      const char *name = g_ptr_array_index (expr->columns, i);
      SetlColumn *column = setl_record_batch_get_column_by_name (batch, name);

      if (column == NULL)
        {
          g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_UNKNOWN_COLUMN,
                       "Expression '%s' reads column '%s', which the batch does not have",
                       expr->text, name);
          return FALSE;
        }
      if (setl_column_get_data_type (column) != expr->column_types[i])
        {
          g_set_error (error, SETL_EXPR_ERROR, SETL_EXPR_ERROR_SCHEMA_MISMATCH,
                       "Expression '%s' was checked with column '%s' as %s, but the "
                       "batch's column is %s", expr->text, name,
                       _setl_expr_type_name (expr->column_types[i]),
                       _setl_expr_type_name (setl_column_get_data_type (column)));
          return FALSE;
        }
      ev->columns[i] = column;
    }

  for (guint i = 0; i < expr->params->len; i++)
    {
      const char *name = g_ptr_array_index (expr->params, i);
      if (!_setl_expr_scope_get_value (scope, name, expr->param_types[i],
                                       &ev->params[i], &ev->param_strings[i], error))
        return FALSE;
    }
  return TRUE;
}

/* Owns @v's buffers from here on. */
static SetlColumn *
vec_to_column (Eval *ev,
               Vec  *v)
{
  gint64 n = ev->n;
  SetlDataType type = v->type == SETL_EXPR_TYPE_NULL ? ev->expr->result_type : v->type;
  GBytes *validity = NULL, *values = NULL, *data = NULL;
  gsize width;

  if (v->column != NULL)
    return g_object_ref (v->column);

  if (v->scalar)
    {
      Out o;
      Vec broadcast;

      out_init (&o, type, n);
      v->s.type = type;
      for (gint64 i = 0; i < n; i++)
        out_set (&o, i, &v->s);
      out_finish (ev, &o, ev->expr->root, &broadcast, NULL);
      vec_clear (v);
      *v = broadcast;
    }
  v->type = type;

  if (v->validity != NULL)
    {
      if (_setl_bitmap_count_set (v->validity, 0, n) == n)
        g_clear_pointer (&v->validity, g_aligned_free);
      else
        validity = g_bytes_new_with_free_func (v->validity, (gsize) (n + 7) / 8,
                                               g_aligned_free, v->validity);
      v->validity = NULL;
    }

  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      values = g_bytes_new_with_free_func (v->bits, (gsize) (n + 7) / 8, g_aligned_free, v->bits);
      v->bits = NULL;
      break;
    case SETL_DATA_TYPE_STRING:
      values = g_bytes_new_with_free_func (v->own_values, (gsize) (n + 1) * 4,
                                           g_aligned_free, v->own_values);
      v->own_values = NULL;
      if (v->own_data != NULL)
        data = g_bytes_new_take (v->own_data, (gsize) ((const gint32 *) v->offsets)[n]);
      else
        data = g_bytes_new (NULL, 0);
      v->own_data = NULL;
      break;
    default:
      width = setl_data_type_get_bit_width (type) / 8;
      values = g_bytes_new_with_free_func (v->own_values, (gsize) n * width,
                                           g_aligned_free, v->own_values);
      v->own_values = NULL;
      break;
    }
  vec_clear (v);
  return _setl_column_new_take (type, n, 0, validity ? -1 : 0, validity, values, data);
}

SetlColumn *
_setl_expr_eval_column (SetlExpr         *expr,
                        SetlRecordBatch  *batch,
                        SetlExprScope    *scope,
                        GError          **error)
{
  Eval ev;
  Vec result = { 0 };
  SetlColumn *column = NULL;

  if (eval_init (&ev, expr, batch, scope, error) &&
      eval_node (&ev, expr->root, &result, error))
    column = vec_to_column (&ev, &result);
  vec_clear (&result);
  eval_clear (&ev);
  return column;
}

gboolean
_setl_expr_eval_scalar (SetlExpr       *expr,
                        SetlExprNode   *node,
                        SetlExprScope  *scope,
                        SetlExprValue  *value,
                        char          **owned,
                        GError        **error)
{
  Eval ev;
  Vec result = { 0 };
  gboolean ok;

  *owned = NULL;
  ok = eval_init (&ev, expr, NULL, scope, error) && eval_node (&ev, node, &result, error);
  if (ok)
    {
      vec_get (&result, 0, value);
      if (!value->is_null && value->type == SETL_DATA_TYPE_STRING)
        {
          *owned = g_strndup (value->str, value->len);
          value->str = *owned;
        }
    }
  vec_clear (&result);
  eval_clear (&ev);
  return ok;
}

/* The rows where the expression is true, as a bitmap from bit 0 with its
 * padding cleared. */
static guint8 *
eval_selection_bits (SetlExpr         *expr,
                     SetlRecordBatch  *batch,
                     SetlExprScope    *scope,
                     gint64           *n_rows,
                     gint64           *n_selected,
                     GError          **error)
{
  Eval ev;
  Vec result = { 0 };
  guint8 *selection = NULL;

  if (eval_init (&ev, expr, batch, scope, error) &&
      eval_node (&ev, expr->root, &result, error))
    {
      gint64 n = ev.n, nw = n_words (n);

      if (result.scalar)
        selection = bitmap_new (n, (!result.s.is_null && result.s.v.b) ? 0xFF : 0);
      else
        {
          selection = g_steal_pointer (&result.bits);
          if (result.validity != NULL)
            for (gint64 w = 0; w < nw; w++)
              words (selection)[w] &= words (result.validity)[w];
        }
      if (n % 64 != 0)
        words (selection)[nw - 1] &= (G_GUINT64_CONSTANT (1) << (n % 64)) - 1;
      else if (n == 0)
        words (selection)[0] = 0;
      *n_rows = n;
      *n_selected = _setl_bitmap_count_set (selection, 0, n);
    }
  vec_clear (&result);
  eval_clear (&ev);
  return selection;
}

SetlColumn *
_setl_expr_eval_selection (SetlExpr         *expr,
                           SetlRecordBatch  *batch,
                           SetlExprScope    *scope,
                           gint64           *n_selected,
                           GError          **error)
{
  gint64 n = 0, count = 0;
  guint8 *selection = eval_selection_bits (expr, batch, scope, &n, &count, error);

  if (selection == NULL)
    return NULL;
  if (n_selected != NULL)
    *n_selected = count;
  return _setl_column_new_take (SETL_DATA_TYPE_BOOL, n, 0, 0, NULL,
                                g_bytes_new_with_free_func (selection, (gsize) (n + 7) / 8,
                                                            g_aligned_free, selection),
                                NULL);
}

#define FOR_EACH_SELECTED(selection, n, i, BODY) \
  for (gint64 w_ = 0; w_ < n_words (n); w_++) \
    { \
      guint64 word_ = words (selection)[w_]; \
      while (word_ != 0) \
        { \
          gint64 i = w_ * 64 + __builtin_ctzll (word_); \
          word_ &= word_ - 1; \
          BODY \
        } \
    }

/* The selected rows of @column, copied. */
static SetlColumn *
filter_column (SetlColumn *column,
               guint8     *selection,
               gint64      n,
               gint64      count)
{
  SetlDataType type = setl_column_get_data_type (column);
  gint64 offset = setl_column_get_offset (column);
  const guint8 *validity = setl_column_get_validity_bitmap (column);
  const guint8 *values = setl_column_get_values_data (column);
  GBytes *out_validity = NULL, *out_values = NULL, *out_data = NULL;
  gint64 k = 0;

  if (validity != NULL && setl_column_get_null_count (column) > 0)
    {
      guint8 *bits = bitmap_new (count, 0);
      FOR_EACH_SELECTED (selection, n, i, {
        if (bit_get (validity, offset + i))
          bit_set (bits, k);
        k++;
      })
      out_validity = g_bytes_new_with_free_func (bits, (gsize) (count + 7) / 8, g_aligned_free, bits);
    }

  k = 0;
  switch (type)
    {
    case SETL_DATA_TYPE_BOOL:
      {
        guint8 *bits = bitmap_new (count, 0);
        FOR_EACH_SELECTED (selection, n, i, {
          if (bit_get (values, offset + i))
            bit_set (bits, k);
          k++;
        })
        out_values = g_bytes_new_with_free_func (bits, (gsize) (count + 7) / 8, g_aligned_free, bits);
        break;
      }
    case SETL_DATA_TYPE_INT64:
    case SETL_DATA_TYPE_TIMESTAMP:
    case SETL_DATA_TYPE_DOUBLE:
      {
        const guint64 *src = (const guint64 *) (gconstpointer) values + offset;
        guint64 *dst = buffer_alloc ((gsize) count * 8);
        FOR_EACH_SELECTED (selection, n, i, { dst[k++] = src[i]; })
        out_values = g_bytes_new_with_free_func (dst, (gsize) count * 8, g_aligned_free, dst);
        break;
      }
    case SETL_DATA_TYPE_DATE32:
      {
        const guint32 *src = (const guint32 *) (gconstpointer) values + offset;
        guint32 *dst = buffer_alloc ((gsize) count * 4);
        FOR_EACH_SELECTED (selection, n, i, { dst[k++] = src[i]; })
        out_values = g_bytes_new_with_free_func (dst, (gsize) count * 4, g_aligned_free, dst);
        break;
      }
    case SETL_DATA_TYPE_STRING:
      {
        const gint32 *src = (const gint32 *) (gconstpointer) values + offset;
        const char *bytes = setl_column_get_string_data (column);
        gint32 *dst = buffer_alloc ((gsize) (count + 1) * 4);
        /* The selected bytes are at most the whole range: one pass, no
         * counting pass first (shrunk below when much was dropped). */
        gsize room = (gsize) (src[n] - src[0]), total = 0;
        char *data = g_malloc (MAX (room, 1));

        dst[0] = 0;
        FOR_EACH_SELECTED (selection, n, i, {
          gsize len = (gsize) (src[i + 1] - src[i]);
          const char *from = bytes + src[i];
          char *to = data + total;

          /* Most values are short: two overlapping 8-byte moves, no call. */
          if (len >= 8 && len <= 16)
            {
              guint64 head;
              guint64 tail;

              memcpy (&head, from, 8);
              memcpy (&tail, from + len - 8, 8);
              memcpy (to, &head, 8);
              memcpy (to + len - 8, &tail, 8);
            }
          else if (len > 16 && len <= 32)
            {
              /* Emails, long names: the same with two 8-byte moves a side
               * (one declaration each: this is a macro argument). */
              guint64 a;
              guint64 b;
              guint64 c;
              guint64 d;

              memcpy (&a, from, 8);
              memcpy (&b, from + 8, 8);
              memcpy (&c, from + len - 16, 8);
              memcpy (&d, from + len - 8, 8);
              memcpy (to, &a, 8);
              memcpy (to + 8, &b, 8);
              memcpy (to + len - 16, &c, 8);
              memcpy (to + len - 8, &d, 8);
            }
          else if (len > 0)
            memcpy (to, from, len);
          total += len;
          dst[++k] = (gint32) total;
        })
        if (total < room / 2)
          data = g_realloc (data, MAX (total, 1));
        out_values = g_bytes_new_with_free_func (dst, (gsize) (count + 1) * 4, g_aligned_free, dst);
        out_data = g_bytes_new_take (data, total);
        break;
      }
    default:
      g_assert_not_reached ();
    }

  return _setl_column_new_take (type, count, 0, out_validity ? -1 : 0,
                                out_validity, out_values, out_data);
}

SetlRecordBatch *
_setl_expr_filter (SetlExpr         *expr,
                   SetlRecordBatch  *batch,
                   SetlExprScope    *scope,
                   GError          **error)
{
  gint64 n = 0, count = 0, first = -1, last = -1;
  guint8 *selection = eval_selection_bits (expr, batch, scope, &n, &count, error);
  SetlRecordBatch *result;

  if (selection == NULL)
    return NULL;

  if (count > 0)
    {
      /* The first and last selected rows, from the first and last
       * non-zero words. */
      const guint64 *sel = words (selection);

      for (gint64 w = 0; first < 0; w++)
        if (sel[w] != 0)
          first = w * 64 + __builtin_ctzll (sel[w]);
      for (gint64 w = n_words (n) - 1; last < 0; w--)
        if (sel[w] != 0)
          last = w * 64 + 63 - __builtin_clzll (sel[w]);
    }

  if (count == n)
    result = g_object_ref (batch);
  else if (count == 0)
    result = setl_record_batch_slice (batch, 0, 0);
  else if (last - first + 1 == count)
    /* One run of rows: a window onto the same buffers. */
    result = setl_record_batch_slice (batch, first, count);
  else
    {
      guint n_fields = 0;
      SetlField **fields = setl_record_batch_get_fields (batch, &n_fields);
      guint n_columns = setl_record_batch_get_n_columns (batch);
      g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint c = 0; c < n_columns; c++)
        g_ptr_array_add (columns, filter_column (setl_record_batch_get_column (batch, c),
                                                 selection, n, count));
      result = setl_record_batch_new (fields, n_fields, (SetlColumn **) columns->pdata,
                                      columns->len, error);
    }
  g_aligned_free (selection);
  return result;
}
