//! What pages show of the help desk's data: a touch point's charts, table and verbatims, its
//! contacts a month on cards, satisfaction on the journey map, promises ranked by satisfaction
//! and a rollout's before and after. Every figure comes from the edition's own data.

use rustc_hash::FxHashMap;
use tera::Value;
use time::Date;

use super::Views;
use crate::data::{BeforeAfter, EditionData, Figures, Month, Scale, Score};
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
    /// The section's headings and captions, escaped for HTML.
    labels: SectionLabels,
    /// The last 12 months' note, escaped for HTML.
    period_html: Option<String>,
    /// Each day a kept verbatim was written, as the section shows it: `<time datetime="…">…</time>`.
    days: FxHashMap<Date, String>,
    contacts_a_month: String,
    percent: String,
    share: String,
    frequency_from_data: String,
    overall: String,
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

/// The interface strings of the figures section, escaped once per edition.
struct SectionLabels {
    title: String,
    volumes: String,
    figures: String,
    month: String,
    contacts: String,
    answers: String,
    verbatims: String,
}

impl Measures {
    pub(super) fn new(data: &EditionData, strings: &Translations, numbers: &NumberFormat) -> Measures {
        let label = |key: &str| escape(strings.text(key));
        let labels = SectionLabels {
            title: label("measures.title"),
            volumes: label("measures.volumes"),
            figures: label("measures.figures"),
            month: label("measures.month"),
            contacts: label("measures.contacts"),
            answers: label("measures.answers"),
            verbatims: label("measures.verbatims"),
        };
        let mut days = FxHashMap::default();
        for verbatim in data.touchpoints.values().flat_map(|figures| &figures.verbatims) {
            days.entry(verbatim.date).or_insert_with(|| {
                let (iso, text) = (verbatim.date.to_string(), escape(&strings.date(verbatim.date)));
                format!("<time datetime=\"{iso}\">{text}</time>")
            });
        }
        let period = data.latest.map(|latest| {
            strings.get("measures.period").replace("{month}", &strings.month(latest.year(), latest.month()))
        });
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
            labels,
            period_html: period.as_deref().filter(|p| !p.is_empty()).map(escape),
            days,
            contacts_a_month: strings.get("measures.contacts-a-month"),
            percent: strings.get("number.percent"),
            share: strings.get("measures.share"),
            frequency_from_data: strings.get("measures.frequency-from-data"),
            overall: strings.get("measures.overall"),
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
    pub(super) fn contacts_text_of(&self, figures: &Figures) -> Option<String> {
        let n = self.data().per_month_of(figures)?;
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
    pub(super) fn satisfaction_of(&self, figures: Option<&Figures>) -> (Option<u8>, Option<String>) {
        let Some(scale) = self.data().scale else { return (None, None) };
        let score = figures.map_or_else(Score::default, Figures::window_score);
        (score.mean().map(|m| scale.band(m)), self.score_text(scale, score))
    }

    fn scale_label(&self, scale: Scale) -> String {
        self.edition.strings.get(&format!("measures.{}", scale.name()))
    }

    /// A touch point's section of figures, as HTML: charts of the last 12 months, the same
    /// numbers as a table, and the newest verbatims. `None` when the data says nothing about it.
    /// It is written here rather than by the template: it is a few kilobytes of numbers on each
    /// of tens of thousands of pages, where Tera's lookups and loops are the dearer way.
    pub(super) fn touchpoint_figures(&self, tp: &TouchPoint) -> Value {
        let Some(figures) = self.data().figures(&tp.item.id) else {
            return Value::none();
        };
        let months = &self.measures.months;
        let volumes: Vec<Option<u64>> = months.iter().map(|m| figures.volumes.get(*m)).collect();
        let scores: Vec<Score> = months.iter().map(|m| figures.satisfaction.get(*m).unwrap_or_default()).collect();
        let scale = self.data().scale.unwrap_or(Scale::Csat);
        let has_scores = scores.iter().any(|s| s.answers > 0);
        let mut section = Section {
            views: self,
            figures,
            has_volumes: volumes.iter().any(Option::is_some),
            scale_label: has_scores.then(|| escape(&self.scale_label(scale))),
            scale,
            volumes,
            scores,
            html: String::with_capacity(8192),
        };
        section.write();
        Value::safe_string(&section.html)
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
        let practised = rollout.practised();
        let ids: Vec<&str> = practised.iter().map(String::as_str).collect();
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

/// A touch point's figures section being written.
struct Section<'a> {
    views: &'a Views<'a>,
    figures: &'a Figures,
    /// The last 12 months' contacts and satisfaction, oldest first.
    volumes: Vec<Option<u64>>,
    scores: Vec<Score>,
    has_volumes: bool,
    scale: Scale,
    /// The scale's name, escaped, where the touch point has satisfaction scores.
    scale_label: Option<String>,
    html: String,
}

impl Section<'_> {
    fn write(&mut self) {
        let labels = &self.views.measures.labels;
        self.push(&[
            "<section class=\"figures\" id=\"figures\" aria-labelledby=\"h-figures\" data-pagefind-ignore=\"all\">\n",
        ]);
        self.push(&["<h2 id=\"h-figures\">", &labels.title, "</h2>\n"]);
        self.lead();
        self.push(&["<div class=\"charts\">\n"]);
        self.bars();
        self.line();
        self.push(&["</div>\n"]);
        self.table();
        self.verbatims();
        self.push(&["</section>"]);
    }

    fn push(&mut self, parts: &[&str]) {
        for part in parts {
            self.html.push_str(part);
        }
    }

    fn has_figures(&self) -> bool {
        self.has_volumes || self.scale_label.is_some()
    }

    /// The period the figures cover, contacts a month with their share of all contacts, and
    /// where the frequency comes from.
    fn lead(&mut self) {
        let (views, figures) = (self.views, self.figures);
        let (measures, data) = (&views.measures, views.data());
        if let Some(period) = measures.period_html.as_ref().filter(|_| self.has_figures()) {
            self.push(&["<p class=\"note\">", period, "</p>\n"]);
        }
        let share = data.share_of(figures);
        if let Some(contacts) = views.contacts_text_of(figures).filter(|c| !c.is_empty()) {
            self.push(&["<p class=\"figure-lead\"><strong class=\"contacts\">", &escape(&contacts), "</strong>"]);
            let share = share.map(|share| measures.share.replace("{share}", &views.percent(share)));
            if let Some(share) = share.filter(|s| !s.is_empty()) {
                self.push(&[" · ", &escape(&share)]);
            }
            self.push(&["</p>\n"]);
        }
        let from_data = figures.declared_frequency.and(share);
        let note = from_data.map(|share| measures.frequency_from_data.replace("{share}", &views.percent(share)));
        if let Some(note) = note.filter(|n| !n.is_empty()) {
            self.push(&["<p class=\"note\">", &escape(&note), "</p>\n"]);
        }
    }

    /// Contacts a month as bars, from zero to a round number.
    fn bars(&mut self) {
        if !self.has_volumes {
            return;
        }
        let measures = &self.views.measures;
        self.push(&["<figure class=\"chart-figure\"><figcaption>", &measures.labels.volumes, "</figcaption>"]);
        let values: Vec<Option<f64>> = self.volumes.iter().map(|v| v.map(|v| v as f64)).collect();
        let top = chart::nice_ceiling(values.iter().flatten().copied().fold(0.0, f64::max));
        let axis = [0.0, top / 2.0, top].map(|v| self.views.numbers.whole(v.round() as u64));
        measures.charts.bars(&mut self.html, &values, top, [&axis[0], &axis[1], &axis[2]]);
        self.push(&["</figure>\n"]);
    }

    /// Satisfaction a month as a line on the scale, captioned with the 12 months' score.
    fn line(&mut self) {
        let Some(scale_label) = self.scale_label.clone() else { return };
        let (views, measures, scale) = (self.views, &self.views.measures, self.scale);
        self.push(&["<figure class=\"chart-figure\"><figcaption>", &scale_label]);
        let overall = self.figures.window_score();
        if let Some(text) = views.score_text(scale, overall) {
            let answers = views.numbers.whole(overall.answers);
            let overall = measures.overall.replace("{score}", &text).replace("{answers}", &answers);
            if !overall.is_empty() {
                self.push(&[": ", &escape(&overall)]);
            }
        }
        self.push(&["</figcaption>"]);
        let values: Vec<Option<f64>> = self.scores.iter().map(|s| s.mean()).collect();
        let ((low, high), axis) = (scale.range(), &measures.line_axis);
        measures.charts.line(&mut self.html, &values, low, high, [&axis[0], &axis[1], &axis[2]]);
        self.push(&["</figure>\n"]);
    }

    /// The charts' numbers as a table, for screen readers and print.
    fn table(&mut self) {
        if !self.has_figures() {
            return;
        }
        let labels = &self.views.measures.labels;
        self.push(&["<div class=\"figures-table\">\n<table>\n<caption>", &labels.figures, "</caption>\n"]);
        self.push(&["<thead><tr><th scope=\"col\">", &labels.month, "</th>"]);
        if self.has_volumes {
            self.push(&["<th scope=\"col\">", &labels.contacts, "</th>"]);
        }
        if let Some(scale_label) = self.scale_label.clone() {
            self.push(&["<th scope=\"col\">", &scale_label, "</th><th scope=\"col\">", &labels.answers, "</th>"]);
        }
        self.push(&["</tr></thead>\n<tbody>\n"]);
        self.rows();
        self.push(&["</tbody>\n</table>\n</div>\n"]);
    }

    /// A row a month: the contacts, the score and the number of answers.
    fn rows(&mut self) {
        let measures = &self.views.measures;
        let html = &mut self.html;
        for ((head, volume), score) in measures.row_heads.iter().zip(&self.volumes).zip(&self.scores) {
            html.push_str(head);
            if self.has_volumes {
                html.push_str("<td data-contacts=\"");
                if let Some(volume) = volume {
                    html.push_str(itoa::Buffer::new().format(*volume));
                    html.push_str("\">");
                    measures.html_numbers.push_whole(html, *volume);
                } else {
                    html.push_str("\">");
                }
                html.push_str("</td>");
            }
            if self.scale_label.is_some() {
                html.push_str("<td data-score=\"");
                if let Some(mean) = score.mean() {
                    crate::i18n::push_fixed(html, mean, 2);
                    html.push_str("\">");
                    measures.html_numbers.push_decimal(html, mean, self.scale.decimals());
                    html.push_str("</td><td>");
                    measures.html_numbers.push_whole(html, score.answers);
                } else {
                    html.push_str("\"></td><td>");
                }
                html.push_str("</td>");
            }
            html.push_str("</tr>\n");
        }
    }

    /// The newest verbatims: what customers wrote, when and through which channel.
    fn verbatims(&mut self) {
        let (views, figures) = (self.views, self.figures);
        if figures.verbatims.is_empty() {
            return;
        }
        let measures = &views.measures;
        self.push(&["<h3>", &measures.labels.verbatims, "</h3>\n<ul class=\"verbatims\">\n"]);
        for verbatim in &figures.verbatims {
            self.push(&["<li><blockquote><p>", &escape(&verbatim.text), "</p></blockquote><p class=\"note\">"]);
            match measures.days.get(&verbatim.date) {
                Some(day) => self.push(&[day]),
                None => {
                    let (iso, text) = (verbatim.date.to_string(), escape(&views.edition.strings.date(verbatim.date)));
                    self.push(&["<time datetime=\"", &iso, "\">", &text, "</time>"]);
                }
            }
            self.push(&[" · ", &escape(&views.label(&verbatim.channel)), "</p></li>\n"]);
        }
        self.push(&["</ul>\n"]);
    }
}
