#!/usr/bin/python3
# bench-csv-filter-digest.py: a digest of a CSV filter benchmark output that
# ignores how each tool formats values, so that outputs can be compared.
#
#   bench-csv-filter-digest.py OUT.csv   ->   "ROWS SHA256"
#
# Parses the file with Python's csv module (RFC 4180 quoting), then hashes
# every row normalised: id and age as integers, score as a number with two
# decimals (or empty for a null: "", "NA", "NaN" — pandas writes a missing
# score as an empty cell, sqlite3 as an empty string), other fields as text.
# The header must be id,name,age,city,score,email.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import csv
import hashlib
import sys


def main():
    h = hashlib.sha256()
    rows = 0
    with open(sys.argv[1], newline='', encoding='utf-8') as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != ['id', 'name', 'age', 'city', 'score', 'email']:
            sys.exit(f'{sys.argv[1]}: unexpected header {header}')
        for row in reader:
            if not row:
                continue
            ident, name, age, city, score, email = row
            score = '' if score in ('', 'NA', 'NaN', 'nan') else '%.2f' % float(score)
            h.update(('%d\x1f%s\x1f%d\x1f%s\x1f%s\x1f%s\x1e'
                      % (int(ident), name, int(float(age)), city, score, email)).encode())
            rows += 1
    print(rows, h.hexdigest())


main()
