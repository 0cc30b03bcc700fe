//! "Log this week" in `serve`'s editor: the check-in form of a division's rollout page, and its
//! write (`edit::checkin`). The form offers only what the playbook allows (the rollout's weeks
//! and touch points, the division's teams); what it sends is checked as `check` would before
//! anything is written.

use axum::http::StatusCode;
use toml_edit::{DocumentMut, Item};

use super::editor::Editor;
use crate::edit::{self, checkin, Refused};
use crate::kind::Kind;
use crate::markdown::escape;

/// The longest text field taken: a sentence, not a report.
const TEXT_LIMIT: usize = 500;

impl Editor {
    /// The check-in form for a division's rollout page (`/_edit/checkin?page=/norge/rollouts/x.html`).
    pub(crate) fn log_week_page(&self, query: Option<&str>) -> Result<String, Refused> {
        let page = page_of(query)?;
        let (config, divisions) = self.config()?;
        let (division_id, rollout, _) = checkin::file_of(self.root(), &divisions, &page)?;
        let division = config
            .divisions
            .iter()
            .find(|d| d.id == division_id)
            .ok_or_else(|| Refused::new("not-a-rollout").with("page", &page))?;
        let t = self.strings_in(Some(&config), &division.language);
        let e = |key: &str| escape(t.text(key));
        let file = |kind, division: Option<&str>, id: &str| self.root().join(crate::layout::file(kind, division, id));
        let rollout_files = [file(Kind::Rollout, Some(&division_id), &rollout), file(Kind::Rollout, None, &rollout)];
        let title = self.first_string(&rollout_files, "title").unwrap_or_else(|| rollout.clone());
        let weeks = self.first_value(&rollout_files, |d| d.get("weeks").and_then(Item::as_integer)).unwrap_or(16);
        let touchpoints: Vec<String> = self.practised(&division_id, &rollout).unwrap_or_else(|| {
            self.first_value(&rollout_files, |d| {
                let ids = d.get("touchpoints")?.as_array()?;
                Some(ids.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            })
            .unwrap_or_default()
        });

        let week_options: String = (1..=weeks.clamp(1, 104))
            .map(|n| format!("<option value=\"{n}\">{} {n}</option>", e("rollout.week")))
            .collect();
        let team = if division.teams.is_empty() {
            String::new()
        } else {
            // A team by its label where book.toml gives one, else its id as words (`oslo-desk` → "Oslo desk").
            let name = |team: &String| division.labels.get(team).cloned().unwrap_or_else(|| config.label(team));
            let options: String = division
                .teams
                .iter()
                .map(|team| format!("<option value=\"{}\">{}</option>", escape(team), escape(&name(team))))
                .collect();
            format!(
                "<p><label for=\"log-team\">{}</label><br><select id=\"log-team\" name=\"team\"><option value=\"\">{}</option>{options}</select></p>\n",
                e("editor.log-team"),
                e("editor.log-whole-division")
            )
        };
        let practised = if touchpoints.is_empty() {
            String::new()
        } else {
            let boxes: String = touchpoints
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let files = [file(Kind::Touchpoint, Some(&division_id), id), file(Kind::Touchpoint, None, id)];
                    let title = self.first_string(&files, "title").unwrap_or_else(|| id.clone());
                    format!(
                        "<li><input type=\"checkbox\" id=\"log-tp-{i}\" name=\"practised\" value=\"{}\"> <label for=\"log-tp-{i}\">{}</label></li>",
                        escape(id),
                        escape(&title)
                    )
                })
                .collect();
            format!(
                "<fieldset><legend>{}</legend><ul class=\"plain\">{boxes}</ul></fieldset>\n",
                e("followup.practised")
            )
        };
        let obstacle_options: String =
            (1..=5).map(|n| format!("<option value=\"{n}\">{n}</option>")).collect::<Vec<_>>().join("");
        let today = crate::build::today();
        let page_attr = escape(&page);
        let body = format!(
            r##"<form id="log-week" data-page="{page_attr}" data-saved="{saved}" data-failed="{failed}" data-logged="{logged}">
<p><label for="log-number">{week}</label><br><select id="log-number" name="number" required>{week_options}</select></p>
<p><label for="log-held-on">{held_on}</label><br><input type="date" id="log-held-on" name="held-on" required value="{today}"></p>
{team}<p><label for="log-attendees">{attendees}</label><br><input type="number" id="log-attendees" name="attendees" min="0" max="10000" inputmode="numeric"></p>
{practised}<p><label for="log-action">{action}</label><br><textarea id="log-action" name="action" rows="2" cols="80" maxlength="{TEXT_LIMIT}"></textarea></p>
<p><label for="log-obstacle">{obstacle}</label><br><select id="log-obstacle" name="obstacle" aria-describedby="log-obstacle-scale"><option value="">{blank}</option>{obstacle_options}</select> <span id="log-obstacle-scale" class="note">{scale}</span></p>
<p><label for="log-obstacle-note">{note}</label><br><textarea id="log-obstacle-note" name="obstacle-note" rows="2" cols="80" maxlength="{TEXT_LIMIT}"></textarea></p>
<p><input type="checkbox" id="log-share" name="share"> <label for="log-share">{share}</label></p>
<p><button type="submit">{save}</button></p>
<p><output id="log-status" aria-live="polite"></output></p>
<pre id="log-diagnostics" hidden></pre>
</form>
"##,
            saved = e("editor.log-saved"),
            logged = e("editor.log-logged"),
            failed = e("editor.failed"),
            week = e("rollout.week"),
            held_on = e("followup.held-on"),
            attendees = e("followup.attendees"),
            action = e("followup.action"),
            obstacle = e("followup.obstacle"),
            blank = e("editor.log-obstacle-blank"),
            scale = e("editor.log-obstacle-scale"),
            note = e("editor.log-obstacle-note"),
            share = e("editor.log-share"),
            save = e("editor.log-save"),
        );
        let heading = format!("{}: {}", e("followup.log"), escape(&title));
        Ok(self.page_shell(&division.language, &heading, &heading, &page, &e("editor.back"), &body))
    }

    /// Appends the week to the division's check-in file, or creates the file; refused when
    /// `check` would report an error in it (a week outside the programme, a day before the
    /// division's start), with check's words.
    pub(super) fn log_week(&self, page: &str, week: &checkin::Week) -> (StatusCode, String) {
        let too_long = [&week.action, &week.obstacle_note, &week.team].iter().any(|t| t.chars().count() > TEXT_LIMIT);
        let control = [&week.action, &week.obstacle_note, &week.team, &week.held_on]
            .iter()
            .any(|t| t.chars().any(|c| c.is_control() || crate::diagnostics::reorders_text(c)));
        if too_long || control {
            return self.refuse(StatusCode::UNPROCESSABLE_ENTITY, page, &Refused::new("one-line"));
        }
        let found = self.config().and_then(|(_, divisions)| checkin::file_of(self.root(), &divisions, page));
        let path = match found {
            Ok((_, _, path)) => path,
            Err(refused) => return self.refuse(StatusCode::UNPROCESSABLE_ENTITY, page, &refused),
        };
        let existing = if path.exists() {
            match edit::read_text(self.root(), &path) {
                Ok(text) => Some(text),
                Err(refused) => return self.refuse(StatusCode::UNPROCESSABLE_ENTITY, page, &refused),
            }
        } else {
            None
        };
        if existing.as_deref().and_then(edit::front_matter).is_some_and(|d| checkin::is_logged(&d, week)) {
            let why = self.words(page, &checkin::logged(week));
            let answer = serde_json::json!({ "ok": false, "logged": true, "error": why });
            return (StatusCode::CONFLICT, answer.to_string());
        }
        let text = match checkin::append(existing.as_deref(), week) {
            Ok(text) => text,
            Err(refused) => return self.refuse(StatusCode::UNPROCESSABLE_ENTITY, page, &refused),
        };
        let options = crate::build::BuildOptions::new(self.root().to_path_buf(), crate::build::today());
        let report = match crate::build::check_draft_file(&options, &self.relative(&path), &text) {
            Ok(report) => report,
            Err(error) => return self.refuse(StatusCode::UNPROCESSABLE_ENTITY, page, &Refused::failed(&error)),
        };
        let (diagnostics, errors) = self.diagnostics_in(&report, &path);
        if errors {
            let answer = serde_json::json!({ "ok": false, "error": "", "diagnostics": diagnostics });
            return (StatusCode::UNPROCESSABLE_ENTITY, answer.to_string());
        }
        let written = match &existing {
            Some(old) => edit::save(self.root(), &path, &text, &edit::fingerprint(old)).map_err(|e| match e {
                edit::NotSaved::Conflict { .. } => Refused::new("checkin-changed"),
                edit::NotSaved::Refused(refused) => refused,
            }),
            None => edit::create(self.root(), &path, &text),
        };
        match written {
            Ok(()) => {
                let answer =
                    serde_json::json!({ "ok": true, "file": self.relative(&path), "diagnostics": diagnostics });
                (StatusCode::OK, answer.to_string())
            }
            Err(refused) => self.refuse(StatusCode::UNPROCESSABLE_ENTITY, page, &refused),
        }
    }

    /// The touch points the division's edition of the rollout practises (`Rollout::practised`:
    /// its `touchpoints` and those its weeks' packs link to), that the edition has; `None` when
    /// the playbook cannot be read as it is now.
    fn practised(&self, division: &str, rollout: &str) -> Option<Vec<String>> {
        let options = crate::build::BuildOptions::new(self.root().to_path_buf(), crate::build::today());
        let mut report = crate::build::Report::default();
        let loaded = crate::build::load(&options, &mut report).ok().flatten()?;
        let edition =
            loaded.editions.divisions.iter().find(|p| p.division.as_ref().is_some_and(|d| d.id == division))?;
        let practised = edition.rollout(rollout)?.practised();
        Some(practised.into_iter().filter(|id| edition.contains(Kind::Touchpoint, id)).collect())
    }

    /// A string key of the first of `files` that sets it (a division's file before the central one).
    fn first_string(&self, files: &[std::path::PathBuf], key: &str) -> Option<String> {
        self.first_value(files, |d| d.get(key).and_then(Item::as_str).map(str::to_string))
    }

    fn first_value<T>(&self, files: &[std::path::PathBuf], get: impl Fn(&DocumentMut) -> Option<T>) -> Option<T> {
        files.iter().filter(|f| f.is_file()).find_map(|file| {
            let text = edit::read_text(self.root(), file).ok()?;
            get(&edit::front_matter(&text)?)
        })
    }
}

/// The `page` parameter of an editor page's address.
pub(super) fn page_of(query: Option<&str>) -> Result<String, Refused> {
    query
        .into_iter()
        .flat_map(|q| url::form_urlencoded::parse(q.as_bytes()))
        .find(|(key, _)| key == "page")
        .map(|(_, value)| value.into_owned())
        .ok_or_else(|| Refused::new("which-page"))
}
