//! What pages show of the help desk's data: a touch point's charts, table and verbatims, its
//! contacts a month on cards, satisfaction on the journey map, promises ranked by satisfaction
//! and a rollout's before and after. Every figure comes from the edition's own data.

use tera::Value;

use super::Views;
use crate::data::{EditionData, Month, Scale, Score};
use crate::model::{Message, Rollout, TouchPoint};
use crate::render::chart::{self, Point};

impl Views<'_> {
    fn data(&self) -> &EditionData {
        &self.edition.playbook.data
    }

    /// "1,240 contacts a month", for cards and the start page.
    pub(super) fn contacts_text(&self, id: &str) -> Option<String> {
        let n = self.data().per_month(id)?;
        Some(self.edition.strings.get("measures.contacts-a-month").replace("{n}", &self.numbers.whole(n)))
    }

    fn percent(&self, share: f64) -> String {
        let decimals = if share < 0.1 { 1 } else { 0 };
        self.edition.strings.get("number.percent").replace("{n}", &self.numbers.decimal(share * 100.0, decimals))
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
        let strings = self.edition.strings;
        let months = data.months();
        let short: Vec<String> = months.iter().map(|m| strings.short_month(m.month())).collect();
        let volumes: Vec<Option<u64>> = months.iter().map(|m| figures.volumes.get(m).copied()).collect();
        let scores: Vec<Score> =
            months.iter().map(|m| figures.satisfaction.get(m).copied().unwrap_or_default()).collect();
        let has_volumes = volumes.iter().any(Option::is_some);
        let has_scores = scores.iter().any(|s| s.answers > 0);
        let volume_chart = has_volumes.then(|| {
            let points: Vec<Point<'_>> =
                short.iter().zip(&volumes).map(|(label, v)| Point { label, value: v.map(|v| v as f64) }).collect();
            chart::bars(&points, |v| self.numbers.whole(v.round() as u64))
        });
        let scale = data.scale.unwrap_or(Scale::Csat);
        let satisfaction_chart = has_scores.then(|| {
            let points: Vec<Point<'_>> =
                short.iter().zip(&scores).map(|(label, s)| Point { label, value: s.mean() }).collect();
            let (low, high) = scale.range();
            chart::line(&points, low, high, |v| self.numbers.decimal(v, 0))
        });
        let rows: Vec<Value> = months
            .iter()
            .zip(&volumes)
            .zip(&scores)
            .map(|((month, volume), score)| {
                object! {
                    "month": strings.month(month.year(), month.month()),
                    "iso": month.to_string(),
                    "contacts": volume.map(|v| self.numbers.whole(v)),
                    "contacts_value": *volume,
                    "score": self.score_text(scale, *score),
                    "score_value": score.mean().map(|m| format!("{m:.2}")),
                    "answers": (score.answers > 0).then(|| self.numbers.whole(score.answers)),
                    "answers_value": score.answers,
                }
            })
            .collect();
        let overall = data.satisfaction(id);
        let overall = self.score_text(scale, overall).map(|text| {
            strings
                .get("measures.overall")
                .replace("{score}", &text)
                .replace("{answers}", &self.numbers.whole(overall.answers))
        });
        let frequency_note = figures
            .declared_frequency
            .and_then(|_| data.share(id))
            .map(|share| strings.get("measures.frequency-from-data").replace("{share}", &self.percent(share)));
        let verbatims: Vec<Value> = figures
            .verbatims
            .iter()
            .map(|v| object! { "date": self.date(v.date), "channel": self.label(&v.channel), "text": v.text.as_str() })
            .collect();
        object! {
            "period": data.latest.filter(|_| has_volumes || has_scores).map(|latest| {
                strings.get("measures.period").replace("{month}", &strings.month(latest.year(), latest.month()))
            }),
            "contacts": self.contacts_text(id),
            "share": data.share(id).map(|s| strings.get("measures.share").replace("{share}", &self.percent(s))),
            "frequency_note": frequency_note,
            "volume_chart": volume_chart,
            "satisfaction_chart": satisfaction_chart,
            "scale": has_scores.then(|| self.scale_label(scale)),
            "overall": overall,
            "has_volumes": has_volumes,
            "has_scores": has_scores,
            "rows": if has_volumes || has_scores { rows } else { Vec::new() },
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
                    "url": format!("messages/{}.html", message.item.id),
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
        let Some(scale) = playbook.data.scale else { return Value::none() };
        let ids: Vec<&str> = rollout.touchpoints.iter().map(|r| r.value.as_str()).collect();
        let own_name =
            playbook.division.as_ref().map_or_else(|| self.edition.strings.get("switch.central"), |d| d.name.clone());
        let mut editions: Vec<(String, &EditionData)> = vec![(own_name, &playbook.data)];
        for (id, data) in &playbook.division_data {
            let division = playbook.config.divisions.iter().find(|d| &d.id == id);
            if let Some(division) = division.filter(|d| rollout.runs_in(Some(&d.id))) {
                editions.push((division.name.clone(), data));
            }
        }
        let rows: Vec<Value> = editions
            .into_iter()
            .filter_map(|(name, data)| {
                let figures = data.before_after(ids.iter().copied(), rollout.start);
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
