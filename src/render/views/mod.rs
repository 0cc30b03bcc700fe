//! What each page shows, as Tera values for the templates.
//!
//! Addresses in views are relative to the site root (`touchpoints/a.html`); templates prefix them
//! with `root` (`../` on a page one folder down), so the site works under any path.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use std::borrow::Cow;

use tera::Value;
use time::Date;

use super::cards::CardHtml;
use super::Edition;
use crate::kind::Kind;
use crate::kind::TOUCHPOINT_SECTIONS;
use crate::layout;
use crate::layout::resolve_content_link;
use crate::markdown::{self, RenderOptions, Section};
use crate::model::{BestPractice, Item, LocalState, Message, Rollout, TouchPoint};

/// How many situations the start page shows as most frequent and as hardest.
const START_PAGE_CARDS: usize = 6;

mod coaching;
mod figures;
mod followup;
mod planning;
mod upkeep;

pub(crate) struct Views<'a> {
    edition: &'a Edition<'a>,
    /// Each situation's card, in the playbook's order (found through its index by id), made
    /// the first time a page shows it: `serve` renders a few pages of a large playbook, which
    /// show a few cards.
    cards: Vec<Card<'a>>,
    card_html: &'a CardHtml<'a>,
    /// The navigation with each section marked as current (and with none, last): the same
    /// on every page of a section, so made once rather than per page.
    navs: Vec<(&'static str, Value)>,
    /// Dates as pages show them, made once per day: a playbook has thousands of dates but
    /// few distinct days, and writing one in the edition's language is dear.
    dates: Mutex<HashMap<Date, Value>>,
    /// The headings of the known sections of a touch point, and the do and don't labels, in
    /// the edition's language: looked up once, shown on every situation's page.
    section_titles: Vec<(&'static str, String)>,
    verdicts: (String, String),
    /// How numbers are written in the edition's language.
    numbers: crate::i18n::NumberFormat,
    measures: figures::Measures,
}

/// A situation's card as data, and as lists show it (with its HTML) on pages at the root and
/// one folder down (every page is one or the other), each made when a page first needs it.
/// Tera's values share their contents, so a list holding a card copies none of its text.
struct Card<'a> {
    tp: &'a TouchPoint,
    value: OnceLock<Value>,
    listed: [OnceLock<Value>; 2],
}

impl<'a> Views<'a> {
    pub(super) fn new(edition: &'a Edition<'a>, card_html: &'a CardHtml<'a>) -> Self {
        let cards = edition
            .playbook
            .touchpoints
            .iter()
            .map(|tp| Card { tp, value: OnceLock::new(), listed: Default::default() })
            .collect();
        // The registry's pages with a navigation entry, by section: (section, url, label key).
        let shown: Vec<(&'static str, &'static str, &'static str)> = super::pages::shown(edition.playbook)
            .filter_map(|page| Some((super::pages::section(page.path), page.path, page.nav?)))
            .collect();
        let nav = |current: &str| -> Value {
            let items: Vec<Value> = shown
                .iter()
                .map(|(id, url, key)| object! { "id": *id, "url": *url, "label": edition.strings.get(key), "current": *id == current })
                .collect();
            Value::from(items)
        };
        let navs = shown.iter().map(|(id, _, _)| *id).chain([""]).map(|id| (id, nav(id))).collect();
        let strings = edition.strings;
        let section_titles =
            TOUCHPOINT_SECTIONS.iter().map(|id| (*id, strings.get(&format!("sections.{id}")))).collect();
        let verdicts = (strings.get("verdict.do"), strings.get("verdict.dont"));
        let numbers = strings.number_format();
        let measures = figures::Measures::new(edition.data, strings, &numbers);
        Views { edition, cards, card_html, navs, dates: Mutex::default(), section_titles, verdicts, numbers, measures }
    }

    fn label(&self, id: &str) -> String {
        self.edition.playbook.label(id)
    }

    /// The position of the central edition in the site map.
    fn central(&self) -> usize {
        self.edition.site.position("").unwrap_or_default()
    }

    /// The same page in the other editions this one can reach: the language switch. An
    /// edition that lacks the page is named without a link.
    fn alternates(&self, path: &str, root: &str) -> Vec<Value> {
        let site = self.edition.site;
        let here = self.edition.index;
        (0..site.editions.len())
            .filter(|&i| site.reachable(here, i))
            .map(|i| {
                let info = &site.editions[i];
                let (name, name_language) = self.edition_name(info);
                let url = site.link(here, i, path, root);
                object! { "name": name, "name_language": name_language, "language": info.language.as_str(), "url": url, "current": i == here }
            })
            .collect()
    }

    /// An edition's name in the language switch, and the language that name is in: a division
    /// is named in its own language, the central edition in this page's ("Felles (engelsk)").
    fn edition_name<'i>(&'i self, info: &'i super::EditionInfo) -> (String, &'i str) {
        let strings = self.edition.strings;
        match &info.name {
            Some(name) => (name.clone(), info.language.as_str()),
            None => {
                let language = strings.language_name(&info.language);
                (strings.get("switch.central").replace("{language}", &language), strings.language.as_str())
            }
        }
    }

    /// What readers of a division edition should know about an item's translation.
    fn notice(&self, kind: Kind, id: &str) -> Value {
        let playbook = self.edition.playbook;
        let Some(local) = playbook.local_state(kind, id) else {
            return Value::none();
        };
        let path = layout::page(kind, id);
        let central_url = self.edition.site.link(self.edition.index, self.central(), &path, "../");
        match local.state {
            LocalState::Outdated => {
                object! { "kind": "outdated", "text": self.edition.strings.get("notice.outdated"), "link": self.edition.strings.get("notice.central-version"), "url": central_url }
            }
            LocalState::Missing | LocalState::Untranslated => {
                object! { "kind": "untranslated", "text": self.edition.strings.get("notice.untranslated"), "link": (), "url": () }
            }
            _ => Value::none(),
        }
    }

    /// The language of an item's own text where it is not the page's, for `lang` attributes
    /// (WCAG 3.1.2), so that screen readers pronounce it right: a central item this division
    /// has not translated is in the central language; a best practice another division shares, in
    /// that division's.
    pub(super) fn text_language(&self, kind: Kind, id: &str) -> Option<String> {
        let playbook = self.edition.playbook;
        let config = &playbook.config;
        let shared_from = match kind {
            Kind::BestPractice => playbook.best_practice(id).and_then(|p| p.division.as_ref()),
            _ => None,
        };
        let language = match shared_from {
            Some(division) => config.divisions.iter().find(|d| &d.id == division).map(|d| d.language.as_str()),
            None => playbook
                .local_state(kind, id)
                .filter(|local| local.state == LocalState::Missing)
                .map(|_| config.language.as_str()),
        };
        language.filter(|language| *language != self.edition.strings.language).map(str::to_string)
    }

    /// The language of one part of an item (its intro, a section) where it is not the page's:
    /// the item's, or the central language for a part an overlay leaves untranslated.
    fn part_language(&self, item_language: Option<&str>, inherited: bool) -> Option<String> {
        let central = &self.edition.playbook.config.language;
        let inherited = inherited && *central != self.edition.strings.language;
        item_language.map(str::to_string).or_else(|| inherited.then(|| central.clone()))
    }

    fn date(&self, date: Date) -> Value {
        let mut dates = self.dates.lock().unwrap_or_else(PoisonError::into_inner);
        let value = dates
            .entry(date)
            .or_insert_with(|| object! { "iso": date.to_string(), "text": self.edition.strings.date(date) });
        value.clone()
    }

    /// What every page of the edition shows alike: the site, the interface strings (`t`) and
    /// the search box's filters and suggestions. Built once per edition; each page's context
    /// takes a share of it rather than a copy (the interface strings alone are a few hundred
    /// entries).
    pub(super) fn shared(&self) -> Vec<(&'static str, Value)> {
        let playbook = self.edition.playbook;
        let config = &playbook.config;
        let site_url = self.edition.site.editions[self.edition.index].url.clone();
        // A division edition without its own title shows the central one, in the central language.
        let central_text = playbook.division.as_ref().is_some_and(|d| d.title.is_none())
            && config.language != self.edition.strings.language;
        let site = object! {
            "title": playbook.site_title(),
            "description": playbook.site_description(),
            "text_lang": central_text.then(|| config.language.clone()),
            "language": self.edition.strings.language.as_str(),
            "url": site_url,
            "edition": playbook.division.as_ref().map(|d| d.name.clone()),
        };
        vec![("site", site), ("t", self.edition.strings.to_value()), ("search", self.search_context())]
    }

    /// What a page adds to the shared context: where it is, the navigation with its section
    /// marked, the language switch, and its own view.
    pub(super) fn page(&self, path: &str, depth: usize, view: Value) -> Vec<(Cow<'static, str>, Value)> {
        let root = super::root(depth);
        let section = super::pages::section(path);
        let nav = self.navs.iter().find(|(id, _)| *id == section).or(self.navs.last());
        let mut page: Vec<(Cow<'static, str>, Value)> = vec![
            ("alternates".into(), Value::from(self.alternates(path, &root))),
            ("root".into(), Value::from(root)),
            ("path".into(), Value::from(path)),
            ("nav".into(), nav.map_or_else(Value::none, |(_, nav)| nav.clone())),
        ];
        if let Some(view) = view.into_map() {
            page.extend(view.into_iter().filter_map(|(key, value)| {
                let key = match key {
                    tera::value::Key::Str(key) => Cow::Borrowed(key),
                    key => Cow::Owned(key.as_str()?.to_string()),
                };
                Some((key, value))
            }));
        }
        page
    }

    /// Filter chips and the suggestions shown when a search finds nothing (the most frequent
    /// situations, as on the start page).
    fn search_context(&self) -> Value {
        let playbook = self.edition.playbook;
        let strings = self.edition.strings;
        let frequent = super::suggestions(playbook);
        let labels: tera::Map = [
            "label",
            "placeholder",
            "hint",
            "no-results",
            "suggestions",
            "results-one",
            "results-many",
            "loading",
            "unavailable",
            "stage",
            "channel",
            "sort",
            "sort-relevance",
            "sort-frequency",
            "sort-difficulty",
            "clear",
            "corrected",
            "original",
        ]
        .iter()
        .map(|key| (tera::value::Key::Str(key), Value::from(strings.get(&format!("search.{key}")))))
        .collect();
        object! {
            "stages": playbook.config.stages.iter().map(|s| self.label(s)).collect::<Vec<_>>(),
            "channels": playbook.config.channels.iter().map(|c| self.label(c)).collect::<Vec<_>>(),
            "suggestions": frequent.iter().map(|t| object! { "title": t.title.as_str(), "url": layout::page(Kind::Touchpoint, &t.item.id), "lang": self.text_language(Kind::Touchpoint, &t.item.id) }).collect::<Vec<_>>(),
            "strings": labels,
            "synonyms": self.synonyms(),
            "suggest": self.suggest_url(),
        }
    }

    /// The edition's synonyms from `book.toml`, for the search box to widen a query with.
    fn synonyms(&self) -> Value {
        let playbook = self.edition.playbook;
        let synonyms = match &playbook.division {
            Some(division) => &division.synonyms,
            None => &playbook.config.synonyms,
        };
        let map: tera::Map = synonyms
            .iter()
            .map(|(word, list)| (tera::value::Key::String(word.as_str().into()), Value::from(list.clone())))
            .collect();
        Value::from(map)
    }

    /// With `[contribute]`: the address that proposes a new situation named after a query that
    /// found nothing. The search box puts the query (and a file name made from it) where the
    /// address says `{query}` and `{slug}`, percent-encoded here as `%7Bquery%7D`.
    fn suggest_url(&self) -> Option<String> {
        let playbook = self.edition.playbook;
        let contribute = playbook.config.contribute.as_ref()?;
        let strings = self.edition.strings;
        let division = playbook.division.as_ref().map(|d| d.id.as_str());
        let folder = layout::folder(Kind::Touchpoint, division);
        let stage = playbook.config.stages.first().map_or("", String::as_str);
        let text = format!(
            "+++\ntitle = \"{{query}}\"\nsummary = \"\"\nstage = \"{stage}\"\nfrequency = 3\ndifficulty = 3\n+++\n\n## {situation} {{#situation}}\n\n{placeholder}\n\n## {behaviour} {{#behaviour}}\n\n- \n",
            situation = strings.get("sections.situation"),
            behaviour = strings.get("sections.behaviour"),
            placeholder = strings.get("search.suggest-placeholder"),
        );
        let title = format!("{}: {{query}}", strings.get("search.suggest-title"));
        let path = format!("{folder}/{{slug}}.md");
        let intro = strings.text("contribute.new-file").replace("{path}", &format!("`{path}`"));
        Some(crate::contribute::new_file_url(contribute, &path, &text, &title, &intro))
    }

    /// An id with its label in this edition's language (a stage, a channel).
    fn labelled(&self, id: &str) -> Value {
        object! { "id": id, "label": self.label(id) }
    }

    /// A touch point as a card: everything lists and maps show.
    fn card(&self, tp: &TouchPoint) -> Value {
        let heat = (u32::from(tp.frequency) * u32::from(tp.difficulty)).div_ceil(5);
        let figures = self.edition.data.figures(&tp.item.id);
        let (band, satisfaction) = self.satisfaction_of(figures);
        object! {
            "contacts": figures.and_then(|f| self.contacts_text_of(f)),
            "satisfaction_band": band,
            "satisfaction": satisfaction,
            "id": tp.item.id.as_str(),
            "url": layout::page(Kind::Touchpoint, &tp.item.id),
            "title": tp.title.as_str(),
            "summary": tp.summary.as_str(),
            "stage": self.labelled(&tp.stage),
            "channels": tp.channels.iter().map(|c| self.labelled(c)).collect::<Vec<_>>(),
            "frequency": tp.frequency,
            "difficulty": tp.difficulty,
            "frequency_label": self.edition.strings.level("frequency", tp.frequency),
            "difficulty_label": self.edition.strings.level("difficulty", tp.difficulty),
            "heat": heat,
            "internal": tp.internal,
            "tags": tp.tags.clone(),
            "lang": self.text_language(Kind::Touchpoint, &tp.item.id),
            "stage_index": self.edition.playbook.stage_index(&tp.stage),
        }
    }

    /// The cards of these situations as a list shows them on a page `depth` folders down.
    fn cards<'b>(&self, ids: impl IntoIterator<Item = &'b String>, depth: usize) -> Vec<Value> {
        ids.into_iter().filter_map(|id| self.listed_card(id, depth)).collect()
    }

    /// The card of a situation of this edition, as data.
    fn card_of(&self, id: &str) -> Option<&Value> {
        self.situation_card(id).map(|card| card.value.get_or_init(|| self.card(card.tp)))
    }

    fn situation_card(&self, id: &str) -> Option<&Card<'a>> {
        self.edition.playbook.position(Kind::Touchpoint, id).map(|i| &self.cards[i])
    }

    /// The card of a situation with its HTML (`html`, from the theme's `card.html`) for a page
    /// `depth` folders down: what lists of cards show.
    fn listed_card(&self, id: &str, depth: usize) -> Option<Value> {
        let card = self.situation_card(id)?;
        let value = card.value.get_or_init(|| self.card(card.tp));
        let listed = || {
            let mut fields = value.as_map().cloned().unwrap_or_default();
            fields.insert(tera::value::Key::Str("html"), Value::from(self.card_html.render(value, depth)));
            Value::from(fields)
        };
        Some(match card.listed.get(depth) {
            Some(cached) => cached.get_or_init(listed).clone(),
            None => listed(),
        })
    }

    /// Markdown of an item, rendered for a page `depth` folders below the root.
    fn markdown(
        &self,
        item: &Item,
        events: &[pulldown_cmark::Event<'static>],
        depth: usize,
        behaviour: bool,
    ) -> String {
        let root = "../".repeat(depth);
        let resolve = |dest: &str| {
            let target = resolve_content_link(&item.source.rel_path, dest)?;
            let fragment = target.fragment.map(|f| format!("#{f}")).unwrap_or_default();
            let path = layout::page(target.kind, &target.id);
            if self.edition.playbook.contains(target.kind, &target.id) {
                return Some(format!("{root}{path}{fragment}"));
            }
            // An item hidden in this edition is still there in the central one, if that can
            // be reached from here; else the link leads nowhere rather than to a missing page.
            let site = self.edition.site;
            Some(
                site.link(self.edition.index, self.central(), &path, &root)
                    .map_or_else(|| "#".to_string(), |url| format!("{url}{fragment}")),
            )
        };
        let options = RenderOptions {
            resolve: &resolve,
            verdicts: behaviour.then_some((self.verdicts.0.as_str(), self.verdicts.1.as_str())),
            sanitise: !self.edition.playbook.config.allow_html,
        };
        markdown::render(events, &options)
    }

    /// A section with its heading (a known section's in the page's language), its HTML, and
    /// the language of its text where that is not the page's (`untranslated` when an overlay
    /// left it out and readers see the central text).
    fn section(&self, item: &Item, section: &Section, item_language: Option<&str>) -> Value {
        self.section_at(item, section, item_language, 1)
    }

    /// [`Views::section`] for a page `depth` folders below the root.
    fn section_at(&self, item: &Item, section: &Section, item_language: Option<&str>, depth: usize) -> Value {
        let known = self.section_titles.iter().find(|(id, _)| section.known && *id == section.id);
        let title = known.map_or_else(|| section.title.clone(), |(_, title)| title.clone());
        object! {
            "id": section.id.clone(),
            "title": title,
            "html": self.markdown(item, &section.events, depth, section.id == "behaviour"),
            "lang": self.part_language(item_language, section.inherited),
            "untranslated": section.inherited && self.edition.playbook.division.is_some(),
        }
    }

    /// The situations by frequency and by difficulty, the start page's order: where the data
    /// counts contacts, the situations of one frequency go by their count.
    fn frequent_and_hardest(&self) -> (Vec<&TouchPoint>, Vec<&TouchPoint>) {
        let playbook = self.edition.playbook;
        let mut by_frequency: Vec<&TouchPoint> = playbook.touchpoints.iter().collect();
        let data = self.edition.data;
        let contacts = |t: &TouchPoint| data.contacts(&t.item.id).unwrap_or(0);
        by_frequency.sort_by_cached_key(|t| {
            (std::cmp::Reverse(t.frequency), std::cmp::Reverse(contacts(t)), std::cmp::Reverse(t.difficulty))
        });
        let mut by_difficulty: Vec<&TouchPoint> = playbook.touchpoints.iter().collect();
        by_difficulty.sort_by_key(|t| (std::cmp::Reverse(t.difficulty), std::cmp::Reverse(t.frequency)));
        by_frequency.truncate(START_PAGE_CARDS);
        by_difficulty.truncate(START_PAGE_CARDS);
        (by_frequency, by_difficulty)
    }

    pub(crate) fn start(&self) -> Value {
        let playbook = self.edition.playbook;
        let (by_frequency, by_difficulty) = self.frequent_and_hardest();
        let take = |list: Vec<&TouchPoint>| -> Vec<Value> {
            list.into_iter().filter_map(|t| self.listed_card(&t.item.id, 0)).collect()
        };
        object! {
            "title": playbook.site_title(),
            "frequent": take(by_frequency),
            "hardest": take(by_difficulty),
            "rollouts": playbook.rollouts.iter().take(3).map(|r| self.rollout_summary(r)).collect::<Vec<_>>(),
            "practices": playbook.best_practices.iter().take(3).map(|p| self.best_practice_summary(p, 0)).collect::<Vec<_>>(),
            "counts": object! {
                "touchpoints": playbook.touchpoints.len(),
                "messages": playbook.messages.len(),
                "practices": playbook.best_practices.len(),
                "rollouts": playbook.rollouts.len(),
            },
        }
    }

    /// The page a link that leads nowhere lands on.
    pub(super) fn not_found(&self) -> Value {
        object! { "title": self.edition.strings.get("not-found.title") }
    }

    pub(super) fn touchpoint_list(&self) -> Value {
        let config = &self.edition.playbook.config;
        object! {
            "title": self.edition.strings.get("nav.touchpoints"),
            "touchpoints": self.edition.playbook.touchpoints.iter().filter_map(|t| self.listed_card(&t.item.id, 1)).collect::<Vec<_>>(),
            "stages": config.stages.iter().map(|s| self.labelled(s)).collect::<Vec<_>>(),
            "channels": config.channels.iter().map(|c| self.labelled(c)).collect::<Vec<_>>(),
        }
    }

    pub(super) fn touchpoint(&self, tp: &TouchPoint) -> Value {
        let playbook = self.edition.playbook;
        let backlinks = self.edition.backlinks;
        let item = &tp.item;
        let language = self.text_language(Kind::Touchpoint, &item.id);
        let known: Vec<Value> = TOUCHPOINT_SECTIONS
            .iter()
            .filter_map(|id| item.body.sections.iter().find(|s| s.id == *id))
            .map(|s| self.section(item, s, language.as_deref()))
            .collect();
        let other: Vec<Value> = item
            .body
            .sections
            .iter()
            .filter(|s| !TOUCHPOINT_SECTIONS.contains(&s.id.as_str()))
            .map(|s| self.section(item, s, language.as_deref()))
            .collect();
        let messages: Vec<Value> = tp
            .messages
            .iter()
            .filter_map(|m| playbook.message(&m.value))
            .map(|m| object! { "url": layout::page(Kind::Message, &m.item.id), "title": m.title.as_str(), "promise": m.promise.as_str(), "lang": self.text_language(Kind::Message, &m.item.id) })
            .collect();
        let best_practices: Vec<Value> = backlinks
            .touchpoint_best_practices
            .get(&item.id)
            .into_iter()
            .flatten()
            .filter_map(|id| playbook.best_practice(id))
            .map(|p| self.best_practice_summary(p, 1))
            .collect();
        let rollouts: Vec<Value> = backlinks
            .touchpoint_rollouts
            .get(&item.id)
            .into_iter()
            .flatten()
            .filter_map(|id| playbook.rollout(id))
            .map(|r| self.rollout_summary(r))
            .collect();
        object! {
            "title": tp.title.clone(),
            "notice": self.notice(Kind::Touchpoint, &item.id),
            "tp": self.card_of(&item.id).cloned(),
            "intro": self.markdown(item, &item.body.intro, 1, false),
            "intro_lang": self.part_language(language.as_deref(), item.body.intro_inherited),
            "lang": language,
            "sections": known,
            "other_sections": other,
            "messages": messages,
            "also_known_as": tp.also_known_as.clone(),
            "practices": best_practices,
            "rollouts": rollouts,
            "related": self.cards(backlinks.related.get(&item.id).into_iter().flatten(), 1),
            "figures": self.touchpoint_figures(tp),
            "card": self.coaching_card(tp),
            "upkeep": self.upkeep(item, &tp.review),
        }
    }

    pub(super) fn journey(&self) -> Value {
        let playbook = self.edition.playbook;
        let config = &playbook.config;
        // Each column is a channel; situations on no channel get a column of their own.
        let mut channels: Vec<(&str, Value)> = config.channels.iter().map(|c| (c.as_str(), self.labelled(c))).collect();
        if playbook.touchpoints.iter().any(|t| t.channels.is_empty()) {
            let any = object! { "id": "", "label": self.edition.strings.get("journey.any-channel") };
            channels.push(("", any));
        }
        let rows: Vec<Value> = config
            .stages
            .iter()
            .map(|stage| {
                let cells: Vec<Value> = channels
                    .iter()
                    .map(|(channel, column)| {
                        let here: Vec<Value> = playbook
                            .touchpoints
                            .iter()
                            .filter(|t| &t.stage == stage)
                            .filter(|t| {
                                if channel.is_empty() {
                                    t.channels.is_empty()
                                } else {
                                    t.channels.iter().any(|c| c == channel)
                                }
                            })
                            .filter_map(|t| self.card_of(&t.item.id).cloned())
                            .collect();
                        object! { "channel": column.clone(), "touchpoints": here }
                    })
                    .collect();
                object! { "stage": self.labelled(stage), "cells": cells }
            })
            .collect();
        let columns: Vec<Value> = channels.into_iter().map(|(_, column)| column).collect();
        let satisfaction = self.edition.data.scale.is_some();
        object! { "title": self.edition.strings.get("nav.journey"), "columns": columns, "rows": rows, "satisfaction": satisfaction }
    }

    fn message_summary(&self, message: &Message) -> Value {
        let count = self.edition.backlinks.message_touchpoints.get(&message.item.id).map_or(0, Vec::len);
        object! {
            "id": message.item.id.as_str(),
            "url": layout::page(Kind::Message, &message.item.id),
            "title": message.title.as_str(),
            "promise": message.promise.as_str(),
            "lang": self.text_language(Kind::Message, &message.item.id),
            "touchpoint_count": count,
            "touchpoint_count_text": self.edition.strings.count("messages.touchpoint-count", count as u64),
            "campaign": message.campaign.as_ref().map(|c| object! {
                "name": c.name.as_str(), "start": self.date(c.start), "end": self.date(c.end), "url": c.url.clone(),
            }),
        }
    }

    pub(super) fn message_list(&self) -> Value {
        object! {
            "title": self.edition.strings.get("nav.messages"),
            "messages": self.edition.playbook.messages.iter().map(|m| self.message_summary(m)).collect::<Vec<_>>(),
            "ranking": self.promise_ranking(&self.edition.playbook.messages),
        }
    }

    pub(super) fn message(&self, message: &Message) -> Value {
        let backlinks = self.edition.backlinks;
        let playbook = self.edition.playbook;
        let rollouts: Vec<Value> = backlinks
            .message_rollouts
            .get(&message.item.id)
            .into_iter()
            .flatten()
            .filter_map(|id| playbook.rollout(id))
            .map(|r| self.rollout_summary(r))
            .collect();
        object! {
            "title": message.title.clone(),
            "notice": self.notice(Kind::Message, &message.item.id),
            "message": self.message_summary(message),
            "body": self.body_html(&message.item, self.text_language(Kind::Message, &message.item.id).as_deref()),
            "touchpoints": self.cards(backlinks.message_touchpoints.get(&message.item.id).into_iter().flatten(), 1),
            "rollouts": rollouts,
            "upkeep": self.upkeep(&message.item, &message.review),
        }
    }

    /// The whole body of an item without section structure (messages, best practices), each part
    /// that is not in the page's language marked with its own.
    fn body_html(&self, item: &Item, item_language: Option<&str>) -> String {
        let in_language = |language: Option<String>, html: String| match language {
            Some(language) => format!("<div lang=\"{}\">{html}</div>\n", markdown::escape(&language)),
            None => html,
        };
        let intro = self.markdown(item, &item.body.intro, 1, false);
        let mut html = in_language(self.part_language(item_language, item.body.intro_inherited), intro);
        for section in &item.body.sections {
            let id = markdown::escape(&section.id);
            let language = self.part_language(item_language, section.inherited);
            let lang = language.as_deref().map(|l| format!(" lang=\"{}\"", markdown::escape(l))).unwrap_or_default();
            html.push_str(&format!("<h2 id=\"{id}\"{lang}>{}</h2>\n", markdown::escape(&section.title)));
            if section.inherited && self.edition.playbook.division.is_some() {
                let note = markdown::escape(self.edition.strings.text("notice.untranslated-section"));
                html.push_str(&format!("<p class=\"note untranslated-section\">{note}</p>\n"));
            }
            html.push_str(&in_language(language, self.markdown(item, &section.events, 1, false)));
        }
        html
    }

    /// A best practice as lists show it, with its situations' cards for a page `depth` folders down.
    pub(super) fn best_practice_summary(&self, best_practice: &BestPractice, depth: usize) -> Value {
        let touchpoints: Vec<&String> = best_practice.touchpoints.iter().map(|r| &r.value).collect();
        object! {
            "id": best_practice.item.id.clone(),
            "url": layout::page(Kind::BestPractice, &best_practice.item.id),
            "title": best_practice.title.clone(),
            "lang": self.text_language(Kind::BestPractice, &best_practice.item.id),
            "author": best_practice.author.clone(),
            "division": best_practice.division.as_ref().and_then(|id| self.edition.playbook.config.divisions.iter().find(|d| &d.id == id)).map(|d| d.name.clone()),
            "date": best_practice.date.map(|d| self.date(d)),
            "touchpoints": self.cards(touchpoints, depth),
        }
    }

    pub(super) fn best_practice_list(&self) -> Value {
        object! {
            "title": self.edition.strings.get("nav.practices"),
            "practices": self.edition.playbook.best_practices.iter().map(|p| self.best_practice_summary(p, 1)).collect::<Vec<_>>(),
        }
    }

    pub(super) fn best_practice(&self, best_practice: &BestPractice) -> Value {
        object! {
            "title": best_practice.title.clone(),
            "notice": self.notice(Kind::BestPractice, &best_practice.item.id),
            "practice": self.best_practice_summary(best_practice, 1),
            "body": self.body_html(&best_practice.item, self.text_language(Kind::BestPractice, &best_practice.item.id).as_deref()),
            "upkeep": self.upkeep(&best_practice.item, &best_practice.review),
        }
    }

    pub(super) fn rollout_summary(&self, rollout: &Rollout) -> Value {
        object! {
            "id": rollout.item.id.as_str(),
            "url": layout::page(Kind::Rollout, &rollout.item.id),
            "title": rollout.title.as_str(),
            "lang": self.text_language(Kind::Rollout, &rollout.item.id),
            "start": self.date(rollout.start),
            "end": self.date(rollout.end()),
            "weeks": rollout.weeks,
            "weeks_text": self.edition.strings.count("rollout.weeks", u64::from(rollout.weeks)),
        }
    }

    pub(super) fn rollout_list(&self) -> Value {
        object! {
            "title": self.edition.strings.get("nav.rollouts"),
            "rollouts": self.edition.playbook.rollouts.iter().map(|r| self.rollout_summary(r)).collect::<Vec<_>>(),
        }
    }

    pub(super) fn rollout(&self, rollout: &Rollout) -> Value {
        let playbook = self.edition.playbook;
        let item = &rollout.item;
        let week_word = self.edition.strings.get("rollout.week");
        let language = self.text_language(Kind::Rollout, &item.id);
        let part_language =
            |section: Option<&Section>| self.part_language(language.as_deref(), section.is_some_and(|s| s.inherited));
        let weeks: Vec<Value> = rollout
            .schedule()
            .into_iter()
            .map(|week| {
                let section = week.section.map(|i| &item.body.sections[i]);
                let heading = section.map(|s| pack_title(&s.title)).unwrap_or_default();
                object! {
                    "number": week.number,
                    "label": format!("{week_word} {}", week.number),
                    "start": self.date(week.start),
                    "end": self.date(week.end),
                    "title": heading,
                    "html": section.map(|s| self.markdown(item, &s.events, 1, false)),
                    "lang": part_language(section),
                    "current": week.start <= playbook.today && playbook.today <= week.end,
                    "log": self.log_week(rollout, week.number, week.start),
                    "touchpoints": week.section.map(|i| self.week_touchpoints(rollout, i)).unwrap_or_default(),
                }
            })
            .collect();
        let announcement: Vec<Value> = item
            .body
            .sections
            .iter()
            .filter(|s| !s.id.starts_with("week-"))
            .map(|s| object! { "id": s.id.as_str(), "title": s.title.as_str(), "html": self.markdown(item, &s.events, 1, false), "lang": part_language(Some(s)) })
            .collect();
        let practised = rollout.practised();
        let messages: Vec<Value> = rollout
            .messages
            .iter()
            .filter_map(|m| playbook.message(&m.value))
            .map(|m| self.message_summary(m))
            .collect();
        let divisions: Vec<Value> = rollout
            .divisions
            .iter()
            .filter_map(|d| playbook.config.divisions.iter().find(|div| div.id == d.value))
            .map(|d| Value::from(d.name.as_str()))
            .collect();
        let (checkins, shared) = self.rollout_checkins(rollout);
        object! {
            "title": rollout.title.clone(),
            "notice": self.notice(Kind::Rollout, &rollout.item.id),
            "rollout": self.rollout_summary(rollout),
            "intro": self.markdown(item, &item.body.intro, 1, false),
            "intro_lang": self.part_language(language.as_deref(), item.body.intro_inherited),
            "announcement": announcement,
            "weeks": weeks,
            "touchpoints": self.cards(practised.iter(), 1),
            "schedules": self.rollout_schedules(rollout),
            "follow_up": self.follow_up_matrix(rollout),
            "checkins": checkins,
            "shared": shared,
            "messages": messages,
            "divisions": divisions,
            "upkeep": self.upkeep(item, &rollout.review),
            "effect": self.rollout_effect(rollout),
        }
    }
}

/// `Week 3: Practise the apology` → `Practise the apology`; `Week 3` → ``.
fn pack_title(heading: &str) -> String {
    let mut chars =
        heading.char_indices().skip_while(|(_, c)| !c.is_ascii_digit()).skip_while(|(_, c)| c.is_ascii_digit());
    match chars.next() {
        Some((i, _)) => heading[i..].trim_start_matches([':', '–', '—', '-', '.', '·', ',', ' ']).trim().to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_titles_drop_the_week_number() {
        assert_eq!(pack_title("Week 3: Practise the apology"), "Practise the apology");
        assert_eq!(pack_title("Uke 12 – Oppfølging"), "Oppfølging");
        assert_eq!(pack_title("Week 4"), "");
    }
}
