#!/usr/bin/python3
"""bench-validation-pandas.py FILE.csv: the checks of
bench-validation.schema.json done by hand with pandas (Pandera is not
installed): in_range(18, 120) on age, str_matches on email (re.match:
anchored at the start, as Pandera), not-null on name, unique id (every
occurrence of a repeated id, Pandera's report_duplicates="all").

Prints one JSON line in the form bench-validation prints, counts keyed by
"reason|column"."""
import json
import resource
import sys
import time

import pandas as pd

PATTERN = r"^[a-z]\.[a-z]+[0-9]+@[a-z]+\.(com|net|org)$"

start = time.monotonic()
usage0 = resource.getrusage(resource.RUSAGE_SELF)
df = pd.read_csv(sys.argv[1], dtype={"name": "string", "email": "string", "city": "string"})
counts = {}
nulls = int(df["name"].isna().sum())
if nulls:
    counts["series_contains_nulls|name"] = nulls
for column in ("id", "age", "email"):
    n = int(df[column].isna().sum())
    if n:
        counts["series_contains_nulls|" + column] = n
dups = int(df["id"].duplicated(keep=False).sum())
if dups:
    counts["series_contains_duplicates|id"] = dups
age = df["age"].dropna()
bad_age = int((~age.between(18, 120, inclusive="both")).sum())
if bad_age:
    counts["check_failed|age"] = bad_age
email = df["email"].dropna()
bad_email = int((~email.str.match(PATTERN)).sum())
if bad_email:
    counts["check_failed|email"] = bad_email
seconds = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"mode": "pandas", "rows": len(df), "seconds": round(seconds, 3),
                  "cpu_seconds": round(usage.ru_utime + usage.ru_stime - usage0.ru_utime - usage0.ru_stime, 3),
                  "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
                  "counts": counts}))
