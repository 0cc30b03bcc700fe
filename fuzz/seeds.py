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
print({t.name: len(list(t.iterdir())) for t in out.iterdir()})
