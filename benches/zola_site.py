#!/usr/bin/env python3
"""A Zola site over a synthetic playbook, for benches/run.sh to time beside touchbook.

    benches/zola_site.py PLAYBOOK SITE [--search]

Zola reads TOML front matter too, but accepts only its own keys at the top: the playbook's
other keys (stage, channels, frequency, ...) move under `[extra]`, where the templates read
them. The Markdown bodies are copied as they are. The templates show what the Hugo site in
run.sh shows (title, summary, stage, channels, body; lists of titles and summaries), less
than touchbook's pages do. With --search, Zola builds its search index (elasticlunr), as
the issue's figures for Zola did.
"""
import datetime
import pathlib
import shutil
import sys
import tomllib

ZOLA_KEYS = {"title", "description", "date", "updated", "weight", "draft", "slug", "path",
             "aliases", "authors", "in_search_index", "template", "taxonomies"}
KINDS = ["touchpoints", "messages", "practices", "rollouts"]

CONFIG = """base_url = "https://playbook.example"
title = "Synthetic Playbook"
compile_sass = false
build_search_index = {search}
generate_feeds = false
"""

TEMPLATES = {
    "base.html": """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{% block title %}{% endblock %} · {{ config.title }}</title></head>
<body><nav>{% for s in ["touchpoints", "messages", "practices", "rollouts"] %}<a href="{{ get_url(path=s) }}">{{ s }}</a> {% endfor %}</nav>
<main>{% block main %}{% endblock %}</main></body></html>
""",
    "index.html": """{% extends "base.html" %}{% block title %}Start{% endblock %}{% block main %}<h1>{{ config.title }}</h1>{% endblock %}
""",
    "section.html": """{% extends "base.html" %}{% block title %}{{ section.title }}{% endblock %}{% block main %}<h1>{{ section.title }}</h1>
<ul>{% for page in section.pages %}<li><a href="{{ page.permalink }}">{{ page.title }}</a> {{ page.extra.summary | default(value="") }}</li>{% endfor %}</ul>{% endblock %}
""",
    "page.html": """{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock %}{% block main %}<article><h1>{{ page.title }}</h1>
<p>{{ page.extra.summary | default(value="") }}</p>
<p>{{ page.extra.stage | default(value="") }} · {{ page.extra.channels | default(value=[]) | join(sep=", ") }}</p>{{ page.content | safe }}</article>{% endblock %}
""",
}


def toml_value(value):
    """A value as TOML, inline (tables as inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {toml_value(v)}' for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def convert(text):
    """A content file with its front matter rearranged for Zola."""
    _, front, body = text.split("+++\n", 2)
    fields = tomllib.loads(front)
    top = {k: v for k, v in fields.items() if k in ZOLA_KEYS}
    extra = {k: v for k, v in fields.items() if k not in ZOLA_KEYS}
    lines = [f"{k} = {toml_value(v)}" for k, v in top.items()]
    lines.append("[extra]")
    lines += [f'"{k}" = {toml_value(v)}' for k, v in extra.items()]
    return "+++\n" + "\n".join(lines) + "\n+++\n" + body


def main():
    playbook, site = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    search = "--search" in sys.argv[3:]
    shutil.rmtree(site, ignore_errors=True)
    (site / "templates").mkdir(parents=True)
    (site / "config.toml").write_text(CONFIG.format(search="true" if search else "false"))
    for name, text in TEMPLATES.items():
        (site / "templates" / name).write_text(text)
    (site / "content").mkdir()
    (site / "content" / "_index.md").write_text('+++\ntitle = "Start"\n+++\n')
    for kind in KINDS:
        folder = site / "content" / kind
        folder.mkdir()
        (folder / "_index.md").write_text(f'+++\ntitle = "{kind}"\n+++\n')
        for source in sorted((playbook / "content" / kind).glob("*.md")):
            (folder / source.name).write_text(convert(source.read_text()))


if __name__ == "__main__":
    main()
