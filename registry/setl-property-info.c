/* setl-property-info.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SetlPropertyInfo:
 *
 * One property of a feature's type as the registry knows it: name, value
 * type, flags, nick and blurb, and its default, minimum and maximum written
 * as text (enumerations and flags by nick). It is made from the #GParamSpec
 * when a plugin is scanned, stored in the registry cache, and read back from
 * there, so `setl inspect` and `setl-plugin-check` describe a plugin without
 * opening its module.
 */

#include "setl-plugin-private.h"

#include <float.h>

struct _SetlPropertyInfo
{
  gatomicrefcount ref_count;

  char *name;
  char *value_type;
  char *owner_type;
  char *nick;
  char *blurb;
  GParamFlags flags;
  char *default_value;
  char *minimum;
  char *maximum;
  GStrv values;
};

G_DEFINE_BOXED_TYPE (SetlPropertyInfo, setl_property_info,
                     setl_property_info_ref, setl_property_info_unref)

SetlPropertyInfo *
_setl_property_info_new (const char  *name,
                         const char  *value_type,
                         const char  *owner_type,
                         const char  *nick,
                         const char  *blurb,
                         GParamFlags  flags,
                         const char  *default_value,
                         const char  *minimum,
                         const char  *maximum,
                         const char * const *values)
{
  SetlPropertyInfo *self = g_new0 (SetlPropertyInfo, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->value_type = g_strdup (value_type);
  self->owner_type = g_strdup (owner_type);
  self->nick = g_strdup (nick);
  self->blurb = g_strdup (blurb);
  self->flags = flags;
  self->default_value = g_strdup (default_value);
  self->minimum = g_strdup (minimum);
  self->maximum = g_strdup (maximum);
  self->values = values ? g_strdupv ((char **) values) : NULL;
  return self;
}

/**
 * setl_property_info_value_to_string:
 * @value: a #GValue
 *
 * Writes @value as text the way the registry stores defaults: numbers in C
 * locale, booleans as `true`/`false`, enumerations by nick, flags as nicks
 * joined by `|`, strings as they are.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL for a %NULL string
 *   and for values that have no text form (objects, boxed types…)
 */
char *
setl_property_info_value_to_string (const GValue *value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  GType type;

  g_return_val_if_fail (G_IS_VALUE (value), NULL);

  type = G_VALUE_TYPE (value);
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (g_value_get_boolean (value) ? "true" : "false");
    case G_TYPE_CHAR:
      return g_strdup_printf ("%d", g_value_get_schar (value));
    case G_TYPE_UCHAR:
      return g_strdup_printf ("%u", g_value_get_uchar (value));
    case G_TYPE_INT:
      return g_strdup_printf ("%d", g_value_get_int (value));
    case G_TYPE_UINT:
      return g_strdup_printf ("%u", g_value_get_uint (value));
    case G_TYPE_LONG:
      return g_strdup_printf ("%ld", g_value_get_long (value));
    case G_TYPE_ULONG:
      return g_strdup_printf ("%lu", g_value_get_ulong (value));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
    case G_TYPE_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, g_value_get_uint64 (value));
    case G_TYPE_FLOAT:
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, g_value_get_float (value)));
    case G_TYPE_DOUBLE:
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, g_value_get_double (value)));
    case G_TYPE_STRING:
      return g_value_dup_string (value);
    case G_TYPE_ENUM:
      {
        g_autoptr(GEnumClass) klass = g_type_class_ref (type);
        GEnumValue *v = g_enum_get_value (klass, g_value_get_enum (value));
        return v ? g_strdup (v->value_nick) : g_strdup_printf ("%d", g_value_get_enum (value));
      }
    case G_TYPE_FLAGS:
      {
        g_autoptr(GFlagsClass) klass = g_type_class_ref (type);
        guint flags = g_value_get_flags (value);
        GString *s = g_string_new (NULL);

        for (guint i = 0; i < klass->n_values; i++)
          {
            GFlagsValue *v = &klass->values[i];
            if (v->value != 0 && (flags & v->value) == v->value)
              {
                if (s->len > 0)
                  g_string_append_c (s, '|');
                g_string_append (s, v->value_nick);
                flags &= ~v->value;
              }
          }
        return g_string_free (s, FALSE);
      }
    default:
      if (type == G_TYPE_GTYPE)
        return g_strdup (g_type_name (g_value_get_gtype (value)));
      return NULL;
    }
}

#define RANGE(ptype, PSPEC_CAST, fmt)                                         \
  do {                                                                        \
    ptype *p = PSPEC_CAST (pspec);                                            \
    min = g_strdup_printf (fmt, p->minimum);                                  \
    max = g_strdup_printf (fmt, p->maximum);                                  \
  } while (0)

/**
 * setl_property_info_new_from_pspec:
 * @pspec: a #GParamSpec
 *
 * Describes @pspec.
 *
 * Returns: (transfer full): a new #SetlPropertyInfo
 */
SetlPropertyInfo *
setl_property_info_new_from_pspec (GParamSpec *pspec)
{
  g_auto(GValue) def = G_VALUE_INIT;
  g_autofree char *def_str = NULL;
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;
  g_autoptr(GStrvBuilder) values = NULL;
  g_auto(GStrv) values_v = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), NULL);

  g_value_init (&def, pspec->value_type);
  g_param_value_set_default (pspec, &def);
  def_str = setl_property_info_value_to_string (&def);

  if (G_IS_PARAM_SPEC_INT (pspec))
    RANGE (GParamSpecInt, G_PARAM_SPEC_INT, "%d");
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    RANGE (GParamSpecUInt, G_PARAM_SPEC_UINT, "%u");
  else if (G_IS_PARAM_SPEC_LONG (pspec))
    RANGE (GParamSpecLong, G_PARAM_SPEC_LONG, "%ld");
  else if (G_IS_PARAM_SPEC_ULONG (pspec))
    RANGE (GParamSpecULong, G_PARAM_SPEC_ULONG, "%lu");
  else if (G_IS_PARAM_SPEC_INT64 (pspec))
    RANGE (GParamSpecInt64, G_PARAM_SPEC_INT64, "%" G_GINT64_FORMAT);
  else if (G_IS_PARAM_SPEC_UINT64 (pspec))
    RANGE (GParamSpecUInt64, G_PARAM_SPEC_UINT64, "%" G_GUINT64_FORMAT);
  else if (G_IS_PARAM_SPEC_CHAR (pspec))
    RANGE (GParamSpecChar, G_PARAM_SPEC_CHAR, "%d");
  else if (G_IS_PARAM_SPEC_UCHAR (pspec))
    RANGE (GParamSpecUChar, G_PARAM_SPEC_UCHAR, "%u");
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      min = g_strdup (g_ascii_dtostr (buf, sizeof buf, G_PARAM_SPEC_DOUBLE (pspec)->minimum));
      max = g_strdup (g_ascii_dtostr (buf, sizeof buf, G_PARAM_SPEC_DOUBLE (pspec)->maximum));
    }
  else if (G_IS_PARAM_SPEC_FLOAT (pspec))
    {
      min = g_strdup (g_ascii_dtostr (buf, sizeof buf, G_PARAM_SPEC_FLOAT (pspec)->minimum));
      max = g_strdup (g_ascii_dtostr (buf, sizeof buf, G_PARAM_SPEC_FLOAT (pspec)->maximum));
    }
  else if (G_IS_PARAM_SPEC_ENUM (pspec) || G_IS_PARAM_SPEC_FLAGS (pspec))
    {
      values = g_strv_builder_new ();
      if (G_IS_PARAM_SPEC_ENUM (pspec))
        {
          GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
          for (guint i = 0; i < klass->n_values; i++)
            g_strv_builder_add (values, klass->values[i].value_nick);
        }
      else
        {
          GFlagsClass *klass = G_PARAM_SPEC_FLAGS (pspec)->flags_class;
          for (guint i = 0; i < klass->n_values; i++)
            g_strv_builder_add (values, klass->values[i].value_nick);
        }
      values_v = g_strv_builder_end (values);
    }

  return _setl_property_info_new (pspec->name,
                                  g_type_name (pspec->value_type),
                                  g_type_name (pspec->owner_type),
                                  g_param_spec_get_nick (pspec),
                                  g_param_spec_get_blurb (pspec),
                                  pspec->flags & (G_PARAM_READABLE | G_PARAM_WRITABLE |
                                                  G_PARAM_CONSTRUCT | G_PARAM_CONSTRUCT_ONLY |
                                                  G_PARAM_DEPRECATED),
                                  def_str, min, max,
                                  (const char * const *) values_v);
}

/**
 * setl_property_info_ref:
 * @self: a #SetlPropertyInfo
 *
 * Returns: (transfer full): @self
 */
SetlPropertyInfo *
setl_property_info_ref (SetlPropertyInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * setl_property_info_unref:
 * @self: (transfer full): a #SetlPropertyInfo
 */
void
setl_property_info_unref (SetlPropertyInfo *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->name);
  g_free (self->value_type);
  g_free (self->owner_type);
  g_free (self->nick);
  g_free (self->blurb);
  g_free (self->default_value);
  g_free (self->minimum);
  g_free (self->maximum);
  g_strfreev (self->values);
  g_free (self);
}

/**
 * setl_property_info_get_name:
 * @self: a #SetlPropertyInfo
 *
 * Returns: the property's name
 */
const char *
setl_property_info_get_name (SetlPropertyInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

/**
 * setl_property_info_get_value_type:
 * @self: a #SetlPropertyInfo
 *
 * Returns: the name of the property's value type, e.g. `gchararray`
 */
const char *
setl_property_info_get_value_type (SetlPropertyInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->value_type;
}

/**
 * setl_property_info_get_owner_type:
 * @self: a #SetlPropertyInfo
 *
 * Returns: the name of the type that installed the property (the feature's
 *   type or one of its ancestors, such as `SetlFactory`)
 */
const char *
setl_property_info_get_owner_type (SetlPropertyInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->owner_type;
}

/**
 * setl_property_info_get_nick:
 * @self: a #SetlPropertyInfo
 *
 * Returns: (nullable): the property's nick
 */
const char *
setl_property_info_get_nick (SetlPropertyInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->nick;
}

/**
 * setl_property_info_get_blurb:
 * @self: a #SetlPropertyInfo
 *
 * Returns: (nullable): the property's description
 */
const char *
setl_property_info_get_blurb (SetlPropertyInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->blurb;
}

/**
 * setl_property_info_get_flags:
 * @self: a #SetlPropertyInfo
 *
 * Returns: the property's flags (readable, writable, construct,
 *   construct-only, deprecated)
 */
GParamFlags
setl_property_info_get_flags (SetlPropertyInfo *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->flags;
}

/**
 * setl_property_info_get_default:
 * @self: a #SetlPropertyInfo
 *
 * Returns: (nullable): the default value as text, see
 *   setl_property_info_value_to_string()
 */
const char *
setl_property_info_get_default (SetlPropertyInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->default_value;
}

/**
 * setl_property_info_get_minimum:
 * @self: a #SetlPropertyInfo
 *
 * Returns: (nullable): the smallest value allowed, for numeric properties
 */
const char *
setl_property_info_get_minimum (SetlPropertyInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->minimum;
}

/**
 * setl_property_info_get_maximum:
 * @self: a #SetlPropertyInfo
 *
 * Returns: (nullable): the largest value allowed, for numeric properties
 */
const char *
setl_property_info_get_maximum (SetlPropertyInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->maximum;
}

/**
 * setl_property_info_get_values:
 * @self: a #SetlPropertyInfo
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the nicks
 *   of the values an enumeration or flags property accepts
 */
const char * const *
setl_property_info_get_values (SetlPropertyInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->values;
}
