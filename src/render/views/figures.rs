//! What pages show of the help desk's data: a touch point's charts, table and verbatims, its
//! contacts a month on cards, satisfaction on the journey map, promises ranked by satisfaction
//! and a rollout's before and after. Every figure comes from the edition's own data.

use tera::Value;

use super::Views;
use crate::data::{BeforeAfter, EditionData, Month, Scale, Score};
use crate::i18n::{NumberFormat, Translations};
use crate::kind::Kind;
use crate::layout;
use crate::markdown::escape;
use crate::model::{Message, Rollout, TouchPoint};
use crate::render::chart::{self, Charts};

/// What every touch point's figures share in an edition, looked up once rather than on each of
/// thousands of pages: the interface strings, the last 12 months with their names, the charts'
/// frame and the start of each table row.
pub(super) struct Measures {
    contacts_a_month: String,
    percent: String,
    share: String,
    frequency_from_data: String,
    overall: String,
    /// "The last 12 months …, up to November 2026."
    period: Option<String>,
    /// The last 12 months, oldest first.
    months: Vec<Month>,
    charts: Charts,
    /// The labels of the satisfaction chart's axis: the bottom, middle and top of the scale.
    line_axis: [String; 3],
    /// Each month's table row up to its first figure: `<tr data-month="2026-11"><th …>November 2026</th>`.
    row_heads: Vec<String>,
    /// The edition's number separators escaped for HTML, for the rows written here.
    html_numbers: NumberFormat,
}

impl Measures {
    pub(super) fn new(data: &EditionData, strings: &Translations, numbers: &NumberFormat) -> Measures {
        let months = data.months();
        let short: Vec<String> = months.iter().map(|m| strings.short_month(m.month())).collect();
        let row_heads = months
            .iter()
            .map(|m| {
                let name = strings.month(m.year(), m.month());
                format!("<tr data-month=\"{m}\"><th scope=\"row\">{}</th>", escape(&name))
            })
            .collect();
        let (low, high) = data.scale.unwrap_or(Scale::Csat).range();
        Measures {
            contacts_a_month: strings.get("measures.contacts-a-month"),
            percent: strings.get("number.percent"),
            share: strings.get("measures.share"),
            frequency_from_data: strings.get("measures.frequency-from-data"),
            overall: strings.get("measures.overall"),
            period: data.latest.map(|latest| {
                strings.get("measures.period").replace("{month}", &strings.month(latest.year(), latest.month()))
            }),
            charts: Charts::new(&short.iter().map(String::as_str).collect::<Vec<_>>()),
            line_axis: [low, (low + high) / 2.0, high].map(|v| numbers.decimal(v, 0)),
            row_heads,
            months,
            html_numbers: NumberFormat { thousands: escape(&numbers.thousands), decimal: escape(&numbers.decimal) },
        }
    }
}

impl Views<'_> {
    fn data(&self) -> &EditionData {
        self.edition.data
    }

    /// "1,240 contacts a month", for cards and the start page.
    pub(super) fn contacts_text(&self, id: &str) -> Option<String> {
        let n = self.data().per_month(id)?;
        Some(self.measures.contacts_a_month.replace("{n}", &self.numbers.whole(n)))
    }

    fn percent(&self, share: f64) -> String {
        let decimals = if share < 0.1 { 1 } else { 0 };
        self.measures.percent.replace("{n}", &self.numbers.decimal(share * 100.0, decimals))
    }

    fn score_text(&self, scale: Scale, score: Score) -> Option<String> {
        score.mean().map(|mean| self.numbers.decimal(mean, scale.decimals()))
    }

    /// The satisfaction band (1–5) of a touch point over the last 12 months, and its score.
    pub(super) fn satisfaction_of(&self, id: &str) -> (Option<u8>, Option<String>) {
        let data = self.data();
        let Some(scale) = data.scale else { return (None, None) };
        let score = data.satisfaction(id);
        (score.mean().map(|m| scale.band(m)), self.score_text(scale, score))
    }

    fn scale_label(&self, scale: Scale) -> String {
        self.edition.strings.get(&format!("measures.{}", scale.name()))
    }

    /// A touch point's section of figures: charts of the last 12 months, the same numbers as a
    /// table, and the newest verbatims. `None` when the data says nothing about it.
    pub(super) fn touchpoint_figures(&self, tp: &TouchPoint) -> Value {
        let data = self.data();
        let id = tp.item.id.as_str();
        let Some(figures) = data.figures(id) else {
            return Value::none();
        };
        let measures = &self.measures;
        let volumes: Vec<Option<u64>> = measures.months.iter().map(|m| figures.volumes.get(*m)).collect();
        let scores: Vec<Score> =
            measures.months.iter().map(|m| figures.satisfaction.get(*m).unwrap_or_default()).collect();
        let has_volumes = volumes.iter().any(Option::is_some);
        let has_scores = scores.iter().any(|s| s.answers > 0);
        let scale = data.scale.unwrap_or(Scale::Csat);
        let volume_chart = has_volumes.then(|| {
            let values: Vec<Option<f64>> = volumes.iter().map(|v| v.map(|v| v as f64)).collect();
            let top = chart::nice_ceiling(values.iter().flatten().copied().fold(0.0, f64::max));
            let axis = [0.0, top / 2.0, top].map(|v| self.numbers.whole(v.round() as u64));
            let mut svg = String::with_capacity(1536);
            measures.charts.bars(&mut svg, &values, top, [&axis[0], &axis[1], &axis[2]]);
            Value::safe_string(&svg)
        });
        let satisfaction_chart = has_scores.then(|| {
            let values: Vec<Option<f64>> = scores.iter().map(|s| s.mean()).collect();
            let (low, high) = scale.range();
            let axis = &measures.line_axis;
            let mut svg = String::with_capacity(1536);
            measures.charts.line(&mut svg, &values, low, high, [&axis[0], &axis[1], &axis[2]]);
            Value::safe_string(&svg)
        });
        // The table's rows are written here rather than by a template loop: they are a dozen
        // rows on each of tens of thousands of pages, and Tera's loop is the dearer way.
        let table_rows = (has_volumes || has_scores).then(|| {
            let mut html = String::with_capacity(measures.months.len() * 128);
            for ((head, volume), score) in measures.row_heads.iter().zip(&volumes).zip(&scores) {
                html.push_str(head);
                if has_volumes {
                    html.push_str("<td data-contacts=\"");
                    if let Some(volume) = volume {
                        html.push_str(itoa::Buffer::new().format(*volume));
                        html.push_str("\">");
                        measures.html_numbers.push_whole(&mut html, *volume);
                    } else {
                        html.push_str("\">");
                    }
                    html.push_str("</td>");
                }
                if has_scores {
                    html.push_str("<td data-score=\"");
                    if let Some(mean) = score.mean() {
                        crate::i18n::push_fixed(&mut html, mean, 2);
                        html.push_str("\">");
                        measures.html_numbers.push_decimal(&mut html, mean, scale.decimals());
                        html.push_str("</td><td>");
                        measures.html_numbers.push_whole(&mut html, score.answers);
                    } else {
                        html.push_str("\"></td><td>");
                    }
                    html.push_str("</td>");
                }
                html.push_str("</tr>");
            }
            Value::safe_string(&html)
        });
        let overall = data.satisfaction(id);
        let overall = self.score_text(scale, overall).map(|text| {
            measures.overall.replace("{score}", &text).replace("{answers}", &self.numbers.whole(overall.answers))
        });
        let share = data.share(id);
        let frequency_note = figures
            .declared_frequency
            .and(share)
            .map(|share| measures.frequency_from_data.replace("{share}", &self.percent(share)));
        let verbatims: Vec<Value> = figures
            .verbatims
            .iter()
            .map(|v| object! { "date": self.date(v.date), "channel": self.label(&v.channel), "text": v.text.as_str() })
            .collect();
        object! {
            "period": measures.period.clone().filter(|_| has_volumes || has_scores),
            "contacts": self.contacts_text(id),
            "share": share.map(|s| measures.share.replace("{share}", &self.percent(s))),
            "frequency_note": frequency_note,
            "volume_chart": volume_chart,
            "satisfaction_chart": satisfaction_chart,
            "scale": has_scores.then(|| self.scale_label(scale)),
            "overall": overall,
            "has_volumes": has_volumes,
            "has_scores": has_scores,
            "table_rows": table_rows,
            "verbatims": verbatims,
        }
    }

    /// Brand messages ranked by satisfaction with the touch points that carry them over the last
    /// 12 months, the promise kept worst first; messages without answers are left out.
    pub(super) fn promise_ranking(&self, messages: &[Message]) -> Value {
        let data = self.data();
        let Some(scale) = data.scale else { return Value::none() };
        let Some(latest) = data.latest else { return Value::none() };
        let backlinks = &self.edition.backlinks.message_touchpoints;
        let first = latest.back(crate::data::WINDOW_MONTHS - 1);
        let mut ranked: Vec<(f64, &Message, Score)> = messages
            .iter()
            .filter_map(|message| {
                let ids = backlinks.get(&message.item.id)?.iter().map(String::as_str);
                let score = data.satisfaction_where(ids, |m: Month| m >= first && m <= latest);
                Some((score.mean()?, message, score))
            })
            .collect();
        if ranked.is_empty() {
            return Value::none();
        }
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.item.id.cmp(&b.1.item.id)));
        let rows: Vec<Value> = ranked
            .into_iter()
            .map(|(mean, message, score)| {
                object! {
                    "title": message.title.as_str(),
                    "url": layout::page(Kind::Message, &message.item.id),
                    "promise": message.promise.as_str(),
                    "score": self.numbers.decimal(mean, scale.decimals()),
                    "band": scale.band(mean),
                    "answers": self.numbers.whole(score.answers),
                }
            })
            .collect();
        object! { "scale": self.scale_label(scale), "rows": rows }
    }

    /// Satisfaction with a rollout's touch points before its start and since: this edition's
    /// own, and in the central edition each division's the rollout runs in.
    pub(super) fn rollout_effect(&self, rollout: &Rollout) -> Value {
        let playbook = self.edition.playbook;
        let Some(scale) = self.data().scale else { return Value::none() };
        let ids: Vec<&str> = rollout.touchpoints.iter().map(|r| r.value.as_str()).collect();
        let own_name =
            playbook.division.as_ref().map_or_else(|| self.edition.strings.get("switch.central"), |d| d.name.clone());
        let mut editions: Vec<(String, BeforeAfter)> =
            vec![(own_name, self.data().before_after(ids.iter().copied(), rollout.start))];
        for (id, data) in self.edition.division_data {
            let division = playbook.config.divisions.iter().find(|d| &d.id == id);
            if let Some(division) = division.filter(|d| rollout.runs_in(Some(&d.id))) {
                editions.push((division.name.clone(), data.rollout_effect(rollout)));
            }
        }
        let rows: Vec<Value> = editions
            .into_iter()
            .filter_map(|(name, figures)| {
                if figures.before.answers == 0 && figures.since.answers == 0 {
                    return None;
                }
                let change = figures.before.mean().zip(figures.since.mean()).map(|(before, since)| {
                    let diff = since - before;
                    let text = self.numbers.decimal(diff, scale.decimals());
                    if diff > 0.0 && text.bytes().any(|b| matches!(b, b'1'..=b'9')) {
                        format!("+{text}")
                    } else {
                        text
                    }
                });
                Some(object! {
                    "edition": name,
                    "before": self.score_text(scale, figures.before),
                    "before_answers": self.numbers.whole(figures.before.answers),
                    "since": self.score_text(scale, figures.since),
                    "since_answers": self.numbers.whole(figures.since.answers),
                    "change": change,
                })
            })
            .collect();
        if rows.is_empty() {
            return Value::none();
        }
        object! { "scale": self.scale_label(scale), "rows": rows }
    }
}
