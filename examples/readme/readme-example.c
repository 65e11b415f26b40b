/* Two factories, one stage each, one pipeline. */
#include <setl/setl.h>

/* Greeter: no inputs; its output is a string. */
#define MY_TYPE_GREETER (my_greeter_get_type ())
G_DECLARE_FINAL_TYPE (MyGreeter, my_greeter, MY, GREETER, SetlFactory)
struct _MyGreeter { SetlFactory parent_instance; };
G_DEFINE_FINAL_TYPE (MyGreeter, my_greeter, SETL_TYPE_FACTORY)

static gboolean
my_greeter_get (SetlFactory *factory, GValue *output, GError **error)
{
  g_value_set_string (output, "hello, pipeline");
  return TRUE;
}

static void
my_greeter_class_init (MyGreeterClass *klass)
{
  SETL_FACTORY_CLASS (klass)->get = my_greeter_get;
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), G_TYPE_STRING);
}

static void my_greeter_init (MyGreeter *self) {}

/* Shouter: takes the greeter's string, delivers it in capitals. */
#define MY_TYPE_SHOUTER (my_shouter_get_type ())
G_DECLARE_FINAL_TYPE (MyShouter, my_shouter, MY, SHOUTER, SetlFactory)
struct _MyShouter { SetlFactory parent_instance; char *shout; };
G_DEFINE_FINAL_TYPE (MyShouter, my_shouter, SETL_TYPE_FACTORY)

static gboolean
my_shouter_process (SetlFactory *factory, GCancellable *cancellable, GError **error)
{
  const char *text = g_value_get_string (setl_factory_get_input (factory, "text"));

  g_free (MY_SHOUTER (factory)->shout);
  MY_SHOUTER (factory)->shout = g_utf8_strup (text, -1);
  return TRUE;
}

static gboolean
my_shouter_get (SetlFactory *factory, GValue *output, GError **error)
{
  g_value_set_string (output, MY_SHOUTER (factory)->shout);
  return TRUE;
}

static void
my_shouter_finalize (GObject *object)
{
  g_free (MY_SHOUTER (object)->shout);
  G_OBJECT_CLASS (my_shouter_parent_class)->finalize (object);
}

static void
my_shouter_class_init (MyShouterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = my_shouter_finalize;
  SETL_FACTORY_CLASS (klass)->process = my_shouter_process;
  SETL_FACTORY_CLASS (klass)->get = my_shouter_get;
  setl_factory_class_set_output_type (SETL_FACTORY_CLASS (klass), G_TYPE_STRING);
}

static void
my_shouter_init (MyShouter *self)
{
  /* One input slot, "text": a string produced by a MyGreeter. */
  setl_factory_add_input (SETL_FACTORY (self), "text", G_TYPE_STRING, MY_TYPE_GREETER, NULL);
}

int
main (void)
{
  g_autoptr(SetlPipeline) pipeline = setl_pipeline_new ("hello");
  g_autoptr(SetlFactory) greeter = g_object_new (MY_TYPE_GREETER, NULL);
  g_autoptr(SetlFactory) shouter = g_object_new (MY_TYPE_SHOUTER, NULL);
  g_autoptr(GError) error = NULL;

  setl_pipeline_add_factory (pipeline, greeter);   /* stage 1 */
  setl_pipeline_add_factory (pipeline, shouter);   /* stage 2 */
  if (!setl_pipeline_run (pipeline, NULL, &error))
    {
      g_printerr ("%s\n", error->message);   /* names the factory and slot */
      return 1;
    }
  g_print ("%s\n", g_value_get_string (setl_pipeline_get_last_output (pipeline)));
  return 0;
}
