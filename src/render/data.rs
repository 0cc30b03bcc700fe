//! Machine-readable files of an edition: the Atom feed, the sitemap and `touchpoints.json`.

use serde::Serialize;
use tera::Value;

use super::Edition;
use crate::data::{EditionData, Month};
use crate::kind::Kind;
use crate::layout;

/// Absolute address of a page if the edition has one (its `site-url`, or its folder under
/// the central one), else its address relative to the edition's root.
fn address(edition: &Edition<'_>, path: &str) -> String {
    match &edition.site.editions[edition.index].url {
        Some(url) => format!("{url}/{path}"),
        None => path.to_string(),
    }
}

/// What's new: rollouts and best practices, newest first. Dates come from the content, never from the
/// clock, so the feed is byte-identical for identical input.
pub(super) fn feed(edition: &Edition<'_>) -> Value {
    let playbook = edition.playbook;
    let id_base = match &edition.site.editions[edition.index].url {
        Some(_) => address(edition, ""),
        None => {
            let edition = playbook.division.as_ref().map_or_else(String::new, |d| format!("{}:", d.id));
            format!("urn:touchbook:{}:{edition}", crate::fields::slugify(&playbook.config.title))
        }
    };
    let strings = edition.strings;
    // (date, id, entry): newest first, then by id.
    let mut entries: Vec<(String, String, Value)> = Vec::new();
    for rollout in &playbook.rollouts {
        let path = layout::page(Kind::Rollout, &rollout.item.id);
        let id = format!("{id_base}{path}");
        let entry = object! {
            "id": id.as_str(),
            "title": rollout.title.as_str(),
            "url": address(edition, &path),
            "updated": format!("{}T00:00:00Z", rollout.start),
            "kind": strings.get("feed.rollout"),
            "author": (),
            "summary": format!("{} – {}", strings.date(rollout.start), strings.date(rollout.end())),
        };
        entries.push((rollout.start.to_string(), id, entry));
    }
    for best_practice in &playbook.best_practices {
        let Some(date) = best_practice.date else { continue };
        let path = layout::page(Kind::BestPractice, &best_practice.item.id);
        let id = format!("{id_base}{path}");
        let entry = object! {
            "id": id.as_str(),
            "title": best_practice.title.as_str(),
            "url": address(edition, &path),
            "updated": format!("{date}T00:00:00Z"),
            "kind": strings.get("feed.practice"),
            "author": best_practice.author.clone(),
            "summary": "",
        };
        entries.push((date.to_string(), id, entry));
    }
    entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let updated =
        entries.first().map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |(date, _, _)| format!("{date}T00:00:00Z"));
    object! {
        "title": playbook.site_title(),
        "feed_id": format!("{id_base}feed.xml"),
        "feed_url": address(edition, "feed.xml"),
        "home_url": address(edition, "index.html"),
        "updated": updated,
        "entries": entries.into_iter().map(|(_, _, entry)| entry).collect::<Vec<_>>(),
    }
}

pub(super) fn sitemap(edition: &Edition<'_>, pages: &[String]) -> Value {
    object! { "urls": pages.iter().map(|p| address(edition, p)).collect::<Vec<_>>() }
}

/// Every touch point of the edition as data, for other tools and dashboards. Serialised
/// straight from the model rather than built as a JSON tree first, which at 10,000 situations
/// costs as much as rendering many pages. Keys are in alphabetical order, which the tools that
/// read the file may rely on.
pub(super) fn touchpoints_json(edition: &Edition<'_>) -> Vec<u8> {
    let playbook = edition.playbook;
    // The last 12 months, named once for every touch point.
    let months: Vec<(Month, String)> = edition.data.months().into_iter().map(|m| (m, m.to_string())).collect();
    let document = Document {
        channels: &playbook.config.channels,
        language: &edition.strings.language,
        stages: &playbook.config.stages,
        title: playbook.site_title(),
        touchpoints: playbook
            .touchpoints
            .iter()
            .map(|tp| Entry {
                categories: &tp.categories,
                channels: &tp.channels,
                data: figures(edition.data, &months, &tp.item.id),
                difficulty: tp.difficulty,
                frequency: tp.frequency,
                id: &tp.item.id,
                internal: tp.internal,
                messages: tp.messages.iter().map(|m| m.value.as_str()).collect(),
                owner: tp.review.owner.as_deref(),
                related: tp.related.iter().map(|r| r.value.as_str()).collect(),
                reviewed: tp.review.reviewed.map(|d| d.to_string()),
                reviewed_by: tp.review.reviewed_by.as_deref(),
                sections: tp.item.body.sections.iter().map(|s| s.id.as_str()).collect(),
                stage: &tp.stage,
                summary: &tp.summary,
                tags: &tp.tags,
                title: &tp.title,
                url: address(edition, &layout::page(Kind::Touchpoint, &tp.item.id)),
            })
            .collect(),
    };
    // About what the file takes (a touch point's figures more than double its entry): grown
    // instead, tens of megabytes would be copied into fresh memory again and again.
    let mut bytes = Vec::with_capacity(playbook.touchpoints.len() * 1024 + edition.data.touchpoints.len() * 1536);
    let mut writer = serde_json::Serializer::with_formatter(&mut bytes, Layout::default());
    document.serialize(&mut writer).expect("touch points serialise to JSON");
    bytes.push(b'\n');
    bytes
}

/// How deep in `touchpoints.json` a value starts to be written on one line: a touch point's
/// keys each have a line, and each month of its figures and each verbatim is one line. Laid
/// out in full, the months would make up most of the file.
const ONE_LINE_DEPTH: usize = 6;

/// serde_json's pretty layout (two spaces an indent) down to [`ONE_LINE_DEPTH`], compact below.
#[derive(Default)]
struct Layout {
    depth: usize,
    has_value: bool,
}

impl Layout {
    fn one_line(&self) -> bool {
        self.depth >= ONE_LINE_DEPTH
    }

    /// Before an array's value or an object's key: a comma after the first, and on a new line
    /// while the layout is pretty.
    fn separate<W: ?Sized + std::io::Write>(&self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        if self.one_line() {
            return Ok(());
        }
        writer.write_all(b"\n")?;
        (0..self.depth).try_for_each(|_| writer.write_all(b"  "))
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        let one_line = self.one_line();
        self.depth -= 1;
        if self.has_value && !one_line {
            writer.write_all(b"\n")?;
            (0..self.depth).try_for_each(|_| writer.write_all(b"  "))?;
        }
        writer.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Layout {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.separate(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.separate(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(if self.one_line() { b":" } else { b": " })
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `touchpoints.json`.
#[derive(Serialize)]
struct Document<'a> {
    channels: &'a [String],
    language: &'a str,
    stages: &'a [String],
    title: &'a str,
    touchpoints: Vec<Entry<'a>>,
}

/// One touch point in `touchpoints.json`.
#[derive(Serialize)]
struct Entry<'a> {
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    categories: &'a [String],
    channels: &'a [String],
    /// What the help desk's data says about it (absent without data).
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Figures<'a>>,
    difficulty: u8,
    frequency: u8,
    id: &'a str,
    internal: bool,
    messages: Vec<&'a str>,
    owner: Option<&'a str>,
    related: Vec<&'a str>,
    reviewed: Option<String>,
    #[serde(rename = "reviewed-by")]
    reviewed_by: Option<&'a str>,
    sections: Vec<&'a str>,
    stage: &'a str,
    summary: &'a str,
    tags: &'a [String],
    title: &'a str,
    url: String,
}

/// A touch point's figures in `touchpoints.json`: the last 12 months of the edition's data.
#[derive(Serialize)]
struct Figures<'a> {
    /// Contacts over the last 12 months, and a month on average (absent without volumes).
    contacts: Option<u64>,
    contacts_per_month: Option<u64>,
    /// The frequency in the front matter, when the data replaced it.
    declared_frequency: Option<u8>,
    months: Vec<MonthFigures<'a>>,
    satisfaction: Option<Satisfaction>,
    /// Its share of the edition's contacts over the last 12 months, from 0 to 1.
    share: Option<f64>,
    verbatims: Vec<VerbatimEntry<'a>>,
}

#[derive(Serialize)]
struct MonthFigures<'a> {
    answers: Option<u64>,
    contacts: Option<u64>,
    month: &'a str,
    satisfaction: Option<f64>,
}

#[derive(Serialize)]
struct Satisfaction {
    answers: u64,
    scale: &'static str,
    score: f64,
}

#[derive(Serialize)]
struct VerbatimEntry<'a> {
    channel: &'a str,
    date: String,
    text: &'a str,
}

/// Rounded for people and dashboards, not for sums: the answers are given alongside.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn figures<'a>(data: &'a EditionData, months: &'a [(Month, String)], id: &str) -> Option<Figures<'a>> {
    let figures = data.figures(id)?;
    let months = months
        .iter()
        .map(|(month, name)| {
            let score = figures.satisfaction.get(*month);
            MonthFigures {
                answers: score.map(|s| s.answers),
                contacts: figures.volumes.get(*month),
                month: name,
                satisfaction: score.and_then(|s| s.mean()).map(round2),
            }
        })
        .collect();
    let score = figures.window_score();
    Some(Figures {
        contacts: figures.window_contacts(),
        contacts_per_month: data.per_month_of(figures),
        declared_frequency: figures.declared_frequency,
        months,
        satisfaction: data.scale.zip(score.mean()).map(|(scale, mean)| Satisfaction {
            answers: score.answers,
            scale: scale.name(),
            score: round2(mean),
        }),
        share: data.share_of(figures).map(|s| (s * 10_000.0).round() / 10_000.0),
        verbatims: figures
            .verbatims
            .iter()
            .map(|v| VerbatimEntry { channel: &v.channel, date: v.date.to_string(), text: &v.text })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laid_out(value: &serde_json::Value) -> String {
        let mut bytes = Vec::new();
        value.serialize(&mut serde_json::Serializer::with_formatter(&mut bytes, Layout::default())).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn the_export_is_pretty_down_to_a_touch_point_s_months_which_take_a_line_each() {
        let month = |m: &str| serde_json::json!({ "contacts": 5, "month": m, "satisfaction": null });
        let document = serde_json::json!({
            "language": "nb",
            "touchpoints": [
                { "data": { "months": [month("2026-10"), month("2026-11")], "verbatims": [] }, "id": "a", "tags": [] },
                { "data": null, "id": "b", "tags": ["x"] },
            ],
        });
        let text = laid_out(&document);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), document);
        let expected = r#"{
  "language": "nb",
  "touchpoints": [
    {
      "data": {
        "months": [
          {"contacts":5,"month":"2026-10","satisfaction":null},
          {"contacts":5,"month":"2026-11","satisfaction":null}
        ],
        "verbatims": []
      },
      "id": "a",
      "tags": []
    },
    {
      "data": null,
      "id": "b",
      "tags": [
        "x"
      ]
    }
  ]
}"#;
        assert_eq!(text, expected);
        // Above the months the layout is serde_json's own pretty one.
        let shallow = serde_json::json!({ "a": [1, { "b": [] }], "c": {} });
        assert_eq!(laid_out(&shallow), serde_json::to_string_pretty(&shallow).unwrap());
    }
}
