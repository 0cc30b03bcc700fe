#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the example playbook and the test fixtures."""
import os, pathlib, hashlib

root = pathlib.Path(__file__).resolve().parent.parent
out = pathlib.Path(__file__).resolve().parent / "corpus"
playbooks = [root] + sorted(p.parent for p in (root / "tests/fixtures").rglob("book.toml"))
markdown = sorted(set(p for pb in playbooks for p in (pb / "content").rglob("*.md")) | set((root / "tests/fixtures/errors").rglob("*.md")))

def put(target, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)

for path in markdown:
    data = path.read_bytes()
    put("front_matter", data)
    put("markdown", bytes([len(data) % 4]) + data)
for pb in playbooks:
    toml = pb / "book.toml"
    if toml.exists():
        put("book_toml", toml.read_bytes())
for pb in playbooks:
    files = sorted((pb / "content").rglob("*.md"))[:24]
    for with_config in (False, True):
        bundle = b""
        if with_config and (pb / "book.toml").exists():
            bundle += b"==> book.toml\n" + (pb / "book.toml").read_bytes()
        for f in files:
            bundle += b"==> " + str(f.relative_to(pb / "content")).encode() + b"\n" + f.read_bytes()
        put("playbook", bundle)

# Bundles with the help desk's exports: the content and book.toml of the data fixtures, and
# their data/*.csv (BOM, CRLF, semicolons, quoted line breaks), so rows meet the touch points,
# categories, divisions and channels they name.
def bundle(pb, data_files):
    out = b"==> book.toml\n" + (pb / "book.toml").read_bytes()
    for f in sorted((pb / "content").rglob("*.md"))[:24]:
        out += b"==> " + str(f.relative_to(pb / "content")).encode() + b"\n" + f.read_bytes()
    for name, data in data_files:
        out += b"==> data/" + name.encode() + b"\n" + data
    return out

data_playbooks = [root / "tests/fixtures/data", root / "tests/fixtures/heldout-data"]
for pb in data_playbooks:
    exports = [(f.name, f.read_bytes()) for f in sorted((pb / "data").glob("*.csv"))]
    put("playbook", bundle(pb, exports))
    for export in exports:
        put("playbook", bundle(pb, [export]))

# Hand-made bad exports, each with the data fixture's content.
V = b"touchpoint,month,contacts,division\n"
S = b"touchpoint,month,csat,answers,division\n"
N = b"touchpoint;month;nps;answers;division\n"
T = b"touchpoint,date,channel,text,division\n"
bad = {
    "volumes-unclosed.csv": V + b'a,2026-03,"12,\nb,2026-03,5,\n',
    "volumes-sep-only.csv": b"sep=;",
    "volumes-sep-crlf.csv": b"sep=\t\r\n",
    "volumes-sep-multibyte.csv": "sep=\u00e6\ntouchpoint\u00e6month\n".encode(),
    "volumes-header-only.csv": V,
    "satisfaction-header-only.csv": b"\xef\xbb\xbf" + S.replace(b"\n", b"\r\n"),
    "volumes-empty.csv": b"",
    "volumes-bom-only.csv": b"\xef\xbb\xbf",
    "volumes-nul.csv": V + b"a\x00,2026-03,1\x002,\n\x00\x00\x00\nb,2026-03,5,\x00\n",
    "volumes-many-fields.csv": V + b"a,2026-03,5," + b",x" * 5000 + b"\n",
    "volumes-many-columns.csv": b",".join(b"c%d" % i for i in range(3000)) + b",touchpoint,month,contacts\n" + b"," * 3000 + b"a,2026-03,5\n",
    "verbatims-long.csv": T + b"a,2026-03-01,phone," + b"x" * 60000 + b",\n",
    "volumes-huge.csv": V + b"a,2026-03,99999999999999999999,\na,2026-03,18446744073709551615,\na,2026-03,18446744073709551615,\nb,2026-04,18446744073709551615,\n",
    "satisfaction-huge.csv": S + b"a,2026-03,4.0,18446744073709551615,\na,2026-03,4.0,18446744073709551615,\nb,2026-03,1e308,5,\n",
    "satisfaction-negative.csv": S + b"a,2026-03,4.0,-5,\na,2026-04,-0,3,\nb,2026-03,3,-0,\n",
    "satisfaction-nan.csv": S + b"a,2026-03,NaN,5,\na,2026-04,inf,5,\na,2026-05,-inf,5,\na,2026-06,4e0,5,\nb,2026-03,+4.5,5,\nb,2026-04,.5e1,5,\n",
    "nps-nan.csv": N + b"a;2026-03;nan;5;\na;2026-04;-100,0;5;\na;2026-05;100,0000001;5;\na;2026-06;1,2,3;5;\n",
    "verbatims-dates.csv": T + b"a,0000-00-00,phone,zero,\na,9999-12-31,phone,last,\na,-001-01-01,phone,neg,\na,2026-02-30,phone,feb,\na,2026-03-14T,phone,t,\na,2026-03-1\xc3\xa6,phone,utf,\n",
    "volumes-months.csv": V + b"a,0000-01,5,\na,9999-12,5,\nb,0000-01-01,3,\nb,9999-12-01 23:59,4,\nc,0000-00,1,\nc,2026-00,1,\nc,+202-03,1,\n",
    "volumes-crlf-quotes.csv": V.replace(b"\n", b"\r\n") + b'"a","2026-03","5",""\r\n"b\r\n",2026-03,5,\r\n\r\n\r\n',
    "volumes-latin1.csv": V + b"a,2026-03,5,norge\nb\xe6,2026-03,5,\n",
    "volumes-divisions.csv": V + b"a,2026-03,5,Norge\na,2026-03,5,NORGE\ne,2026-03,5,norge\ne,2026-03,5,\na,2026-03,5,sverige\n",
    "volumes-quote-midfield.csv": V + b'a,20"26-03",5,\nb,2026-03,5"",\n"""",2026-03,5,\n',
    "volumes-cr-only.csv": V.replace(b"\n", b"\r") + b"a,2026-03,5,\rb,2026-03,6,\r",
}
fixture = root / "tests/fixtures/data"
for name, data in bad.items():
    put("playbook", bundle(fixture, [(name, data)]))
put("playbook", bundle(fixture, [("2025/volumes.csv", V + b"a,2026-03,5,\n"), ("volumes.csv", V + b"a,2026-03,5,\n")]))

print({t.name: len(list(t.iterdir())) for t in out.iterdir()})
