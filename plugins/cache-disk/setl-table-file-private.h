/* setl-table-file-private.h: the byte layout of a table file, shared by
 * its writer and its reader. docs/plugin-cache-disk.md describes it for
 * people; this is the same thing for the compiler.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string.h>
#include <glib.h>
#include <xxhash.h>

G_BEGIN_DECLS

/* PNG-style magic: a non-ASCII first byte, then CR LF and ^Z, so that a
 * text-mode transfer or a truncated copy is caught before anything else. */
#define STF_MAGIC      "\x89STBL\r\n\x1a"
#define STF_END_MAGIC  "STBLEND\x1a"
#define STF_MAGIC_LEN  8

/* Fixed-size header at offset 0; every integer is little-endian.
 *   0  magic[8]
 *   8  u32 format version
 *  12  u32 flags: bits 0-7 codec (1 = zstd), bit 8 = big-endian buffers
 *  16  u32 number of fields
 *  20  u32 reserved, 0
 *  24  u64 number of batches
 *  32  u64 number of rows
 *  40  u64 size of the schema section (its checksum included)
 *  48  u64 size of the body (every batch frame)
 *  56  u64 raw size (the batches decompressed)
 *  64  u8[16] content hash, XXH3-128 in canonical (big-endian) form
 *  80  u64 reserved, 0
 *  88  u64 XXH3-64 of bytes 0..87
 * Then the schema section, the body, and STF_END_MAGIC. */
#define STF_HEADER_SIZE        96
#define STF_HEADER_CHECKED     88
#define STF_CODEC_ZSTD         1u
#define STF_FLAG_CODEC_MASK    0xffu
#define STF_FLAG_BIG_ENDIAN    (1u << 8)

/* Each batch is a frame: this header, then its zstd frame.
 *   0  u32 frame magic STF_FRAME_MAGIC
 *   4  u32 reserved, 0
 *   8  u64 rows
 *  16  u64 raw size
 *  24  u64 compressed size
 *  32  u64 checksum: XXH3-64 of the payload, seeded with the XXH3-64 of
 *      bytes 0..31 of this header (see stf_frame_checksum()) */
#define STF_FRAME_MAGIC        0x48435442u   /* "BTCH" */
#define STF_FRAME_HEADER_SIZE  40
#define STF_FRAME_CHECKED      32

/* Inside a decompressed batch: one 16-byte descriptor per column (u64 null
 * count, u64 bytes of string data), padded to STF_ALIGN, then each column's
 * buffers in order — validity (only when the null count is not zero),
 * values or offsets, string data — each starting at a multiple of
 * STF_ALIGN, so that the columns point straight into the decompressed
 * block with the alignment Arrow recommends. */
#define STF_ALIGN              64
#define STF_COLUMN_DESC_SIZE   16

static inline guint64
stf_align (guint64 n)
{
  return (n + STF_ALIGN - 1) & ~(guint64) (STF_ALIGN - 1);
}

static inline void
stf_put_u32 (guint8 *p, guint32 v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, 4);
}

static inline void
stf_put_u64 (guint8 *p, guint64 v)
{
  v = GUINT64_TO_LE (v);
  memcpy (p, &v, 8);
}

static inline guint32
stf_get_u32 (const guint8 *p)
{
  guint32 v;
  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static inline guint64
stf_get_u64 (const guint8 *p)
{
  guint64 v;
  memcpy (&v, p, 8);
  return GUINT64_FROM_LE (v);
}

/* Covers a frame's header and payload in one value without a streaming
 * state (whose type xxhash.h only exposes to static linking). */
static inline guint64
stf_frame_checksum (const guint8 *frame_header,
                    const void   *payload,
                    gsize         payload_size)
{
  return XXH3_64bits_withSeed (payload, payload_size,
                               XXH3_64bits (frame_header, STF_FRAME_CHECKED));
}

#if G_BYTE_ORDER == G_BIG_ENDIAN
#define STF_HOST_FLAGS (STF_CODEC_ZSTD | STF_FLAG_BIG_ENDIAN)
#else
#define STF_HOST_FLAGS STF_CODEC_ZSTD
#endif

G_END_DECLS
