//! Reading `data/*.csv`: the only place that reads the help desk's exports.
//!
//! A file's kind comes from its name (`volumes*.csv`, `satisfaction*.csv`, `verbatims*.csv`),
//! its columns from its header row, in any order and any case; columns touchbook does not
//! know are left alone, so an export can be used as it comes. Commas, semicolons (what
//! spreadsheets write in the Nordic countries, with decimal commas) and tabs separate fields,
//! as the header row shows or a first line `sep=;` says. Exports are taken as they come where
//! they can only mean one thing (a BOM, CRLF, a time after a date); where a guess could give
//! wrong figures (day-first dates, other encodings), the row or file is reported instead.
//! Every row is matched to a touch point of the edition it belongs to (its `division` column,
//! else the central one), by id or by one of the touch point's `categories`; every bad row is
//! reported with the line and column of the bad field, and left out.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use time::Date;

use super::figures::{EditionData, Figures, Month, Scale, Score, Verbatim, VERBATIMS_KEPT};
use crate::config::Config;
use crate::diagnostics::{did_you_mean, one_of, Diagnostic, Diagnostics, SourceText};
use crate::kind::Kind;
use crate::model::Playbook;

/// What a data file holds, by the start of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Volumes,
    Satisfaction,
    Verbatims,
}

impl FileKind {
    const ALL: [FileKind; 3] = [FileKind::Volumes, FileKind::Satisfaction, FileKind::Verbatims];

    fn prefix(self) -> &'static str {
        match self {
            FileKind::Volumes => "volumes",
            FileKind::Satisfaction => "satisfaction",
            FileKind::Verbatims => "verbatims",
        }
    }

    /// The kind of a file by the start of its (lowercased) name, and the satisfaction scale
    /// the name gives (`csat.csv`, `nps-2026.csv`): exports are named in more than one way.
    fn of(name: &str) -> Option<(FileKind, Option<Scale>)> {
        const NAMES: &[(&str, FileKind, Option<Scale>)] = &[
            ("volume", FileKind::Volumes, None),
            ("contact", FileKind::Volumes, None),
            ("satisfaction", FileKind::Satisfaction, None),
            ("csat", FileKind::Satisfaction, Some(Scale::Csat)),
            ("nps", FileKind::Satisfaction, Some(Scale::Nps)),
            ("verbatim", FileKind::Verbatims, None),
            ("comment", FileKind::Verbatims, None),
        ];
        NAMES.iter().find(|(prefix, _, _)| name.starts_with(prefix)).map(|(_, kind, scale)| (*kind, *scale))
    }

    /// Columns a file of this kind must have (the touch point column aside), for messages.
    fn required(self) -> &'static [&'static str] {
        match self {
            FileKind::Volumes => &["month", "contacts"],
            FileKind::Satisfaction => &["month", "answers"],
            FileKind::Verbatims => &["date", "channel", "text"],
        }
    }

    fn example(self) -> &'static str {
        match self {
            FileKind::Volumes => "touchpoint,month,contacts,division",
            FileKind::Satisfaction => "touchpoint,month,csat,answers,division",
            FileKind::Verbatims => "touchpoint,date,channel,text,division",
        }
    }
}

/// Reads every data file and gives back each edition's figures, in the order of `playbooks`
/// (the central edition first, then the divisions in `book.toml` order).
pub(super) fn read_folder(config: &Config, playbooks: &[&Playbook], diags: &mut Diagnostics) -> Vec<EditionData> {
    let mut data = vec![EditionData::default(); playbooks.len()];
    let files = list(config, diags);
    if files.is_empty() {
        return data;
    }
    let central = Index::new(playbooks[0], None);
    let divisions: Vec<Index> = playbooks[1..].par_iter().map(|p| Index::new(p, Some(&central.categories))).collect();
    let indexes: Vec<Index> = std::iter::once(central).chain(divisions).collect();
    for index in &indexes {
        diags.extend(index.problems.clone());
    }
    let context = Context { config, playbooks, indexes: &indexes };
    let results: Vec<FileData> =
        files.par_iter().map(|(path, rel, (kind, scale))| read_file(&context, path, rel, *kind, *scale)).collect();
    let mut scale: Option<Scale> = None;
    // Each edition's rows, file by file and piece by piece in order.
    let mut rows: Vec<Vec<Rows>> = (0..playbooks.len()).map(|_| Vec::new()).collect();
    for (parts, file_scale, local) in results {
        diags.extend(local);
        if let Some((file_scale, span, rel)) = file_scale {
            match scale {
                Some(first) if first != file_scale => {
                    let bytes = crate::paths::read_inside(&config.root, &config.root.join(&rel)).unwrap_or_default();
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    let source = SourceText::new(rel, text);
                    let message = format!(
                        "this file measures satisfaction as {}, another file as {}",
                        file_scale.name(),
                        first.name()
                    );
                    let hint = "touchbook compares one scale across the playbook: use either `csat` or `nps` in every satisfaction file";
                    diags.push(source.error(span, message).with_hint(hint));
                }
                _ => scale = Some(file_scale),
            }
        }
        for (edition, part) in rows.iter_mut().zip(parts) {
            edition.extend(part);
        }
    }
    // Each edition's figures are added up on a core of their own.
    data.par_iter_mut().zip(rows).zip(playbooks).for_each(|((edition, rows), playbook)| {
        edition.touchpoints = add_up(playbook, rows);
        edition.scale = scale;
        edition.finish();
    });
    data
}

/// A touch point's figures from its rows, in the order they were read; the newest verbatims
/// kept.
fn add_up(playbook: &Playbook, rows: Vec<Rows>) -> FxHashMap<String, Figures> {
    let mut figures: Vec<Option<Figures>> = vec![None; playbook.touchpoints.len()];
    fn at(figures: &mut [Option<Figures>], tp: u32) -> &mut Figures {
        figures[tp as usize].get_or_insert_with(Figures::default)
    }
    for part in rows {
        for (tp, month, contacts) in part.volumes {
            at(&mut figures, tp).volumes.add(month, contacts, |sum, n| *sum = sum.saturating_add(n));
        }
        for (tp, month, score) in part.satisfaction {
            at(&mut figures, tp).satisfaction.add(month, score, Score::add);
        }
        for (tp, verbatim) in part.verbatims {
            at(&mut figures, tp).verbatims.push(verbatim);
        }
    }
    let mut touchpoints = FxHashMap::default();
    for (tp, figures) in playbook.touchpoints.iter().zip(figures) {
        let Some(mut figures) = figures else { continue };
        // Newest first; rows of one day keep their order in the file.
        figures.verbatims.sort_by_key(|v| std::cmp::Reverse(v.date));
        figures.verbatims.truncate(VERBATIMS_KEPT);
        touchpoints.insert(tp.item.id.clone(), figures);
    }
    touchpoints
}

/// The CSV files under `data/`, sorted by name, each with its kind. Other CSV files are
/// reported (a misnamed export would otherwise be left out without a word); other files, such
/// as a generator script, are not data.
fn list(config: &Config, diags: &mut Diagnostics) -> Vec<(PathBuf, String, (FileKind, Option<Scale>))> {
    let folder = config.root.join(super::DATA_DIR);
    if let Err(refused) = crate::paths::check_inside(&config.root, &folder) {
        let message = format!("cannot read the data folder: {refused}");
        diags.push(Diagnostic::file_error(super::DATA_DIR, message).with_hint(crate::paths::HINT));
        return Vec::new();
    }
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(error) => {
            diags.push(Diagnostic::file_error(super::DATA_DIR, format!("cannot read the data folder: {error}")));
            return Vec::new();
        }
    };
    let mut files = Vec::new();
    for entry in entries {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{}/{name}", super::DATA_DIR);
        // Exports filed by year in folders of their own would otherwise be left out unseen;
        // hidden folders (a tool's own, such as .ipynb_checkpoints) are nobody's exports.
        let hidden = name.starts_with('.');
        if !hidden && entry.file_type().is_ok_and(|t| t.is_dir()) && holds_csv(&entry.path()) {
            let message = "touchbook reads the files directly in data/, not the CSV files in this folder";
            let hint = "move them into data/: several files of a kind add up (contacts-2025.csv, contacts-2026.csv)";
            diags.push(Diagnostic::file_error(rel, message).into_warning().with_hint(hint));
            continue;
        }
        if !name.to_ascii_lowercase().ends_with(".csv") {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        match FileKind::of(&lower) {
            Some(kind) => files.push((entry.path(), rel, kind)),
            None => {
                let names: Vec<String> = FileKind::ALL.iter().map(|k| format!("{}.csv", k.prefix())).collect();
                let message = "touchbook does not know what this data file holds: it is not read".to_string();
                let hint = format!("name it after what it holds: {} (or e.g. volumes-2026.csv)", one_of(&names));
                diags.push(Diagnostic::file_error(rel, message).into_warning().with_hint(hint));
            }
        }
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    files
}

/// Whether a folder holds CSV files (its own, not its subfolders'). A link is not followed:
/// nothing outside the playbook is looked at.
fn holds_csv(folder: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(folder) else { return false };
    entries.flatten().any(|e| e.file_name().to_string_lossy().to_ascii_lowercase().ends_with(".csv"))
}

/// How an edition finds a touch point by what an export calls it.
struct Index {
    /// Lowercased category name → touch point id, or every id listing it when there are several.
    categories: HashMap<String, Vec<String>>,
    /// Touch point id → its place in the edition's list: what a row is matched by.
    ids: FxHashMap<String, u32>,
    /// Lowercased category name → the place of the (first) touch point listing it.
    places: FxHashMap<String, u32>,
    problems: Diagnostics,
}

impl Index {
    /// The index of one edition; a division's is made with the central edition's categories,
    /// so that a category the central files already give to two touch points is reported once.
    fn new(playbook: &Playbook, central: Option<&HashMap<String, Vec<String>>>) -> Index {
        let mut problems = Diagnostics::default();
        let mut categories: HashMap<String, Vec<String>> = HashMap::new();
        for tp in &playbook.touchpoints {
            for category in &tp.categories {
                let ids = categories.entry(category.trim().to_lowercase()).or_default();
                if !ids.contains(&tp.item.id) {
                    ids.push(tp.item.id.clone());
                }
            }
        }
        // A category two touch points list cannot tell which one a row is about. The central
        // edition reports what its files do; a division only a conflict its own files make (its
        // item, or a translation listing the category), at the file that lists it.
        let mut shared: Vec<(&String, &Vec<String>)> = categories.iter().filter(|(_, ids)| ids.len() > 1).collect();
        shared.sort();
        for (category, ids) in shared {
            if central.is_some_and(|central| same_ids(central.get(category), ids)) {
                continue;
            }
            let lists_it = |id: &&String| {
                let tp = playbook.touchpoint(id)?;
                let own = playbook.division.as_ref().is_none_or(|d| {
                    tp.item.source.rel_path.starts_with(&format!("{}/", crate::layout::division_folder(&d.id)))
                });
                let span = find_quoted(&tp.item.source.text, category)?;
                own.then_some((tp, span))
            };
            let Some((tp, span)) = ids.iter().rev().find_map(|id| lists_it(&id)) else { continue };
            let Some(other) = ids.iter().find(|id| **id != tp.item.id) else { continue };
            let mut both = [&tp.item.id, other];
            both.sort_by_key(|id| ids.iter().position(|i| i == *id));
            let message = format!("category `{category}` is listed by both `{}` and `{}`", both[0], both[1]);
            let hint = "a help-desk category belongs to one touch point, so its contacts are counted once: remove it from one of them";
            problems.push(tp.item.source.error(span, message).with_hint(hint));
        }
        let ids: FxHashMap<String, u32> =
            playbook.touchpoints.iter().enumerate().map(|(i, tp)| (tp.item.id.clone(), i as u32)).collect();
        let places = categories.iter().filter_map(|(name, tps)| Some((name.clone(), *ids.get(&tps[0])?))).collect();
        Index { categories, ids, places, problems }
    }
}

/// Where `needle` is written in quotes in a file, compared without case.
fn find_quoted(text: &str, needle: &str) -> Option<Range<usize>> {
    // Every quote may open the string: an escaped quote earlier in the file would put pairs
    // out of step.
    let quotes: Vec<usize> = text.match_indices('"').map(|(at, _)| at).collect();
    quotes
        .windows(2)
        .map(|pair| pair[0] + 1..pair[1])
        .find(|inside| text[inside.clone()].trim().to_lowercase() == needle)
}

/// Whether two editions give a category to the same touch points.
fn same_ids(central: Option<&Vec<String>>, ids: &[String]) -> bool {
    central.is_some_and(|central| central.len() == ids.len() && ids.iter().all(|id| central.contains(id)))
}

/// What every file is read against.
struct Context<'a> {
    config: &'a Config,
    playbooks: &'a [&'a Playbook],
    indexes: &'a [Index],
}

impl<'a> Context<'a> {
    /// The edition a row's division column names: 0 (central) when empty.
    fn edition(&self, division: &str) -> Result<usize, (String, String)> {
        let division = division.trim();
        if division.is_empty() {
            return Ok(0);
        }
        let divisions = &self.config.divisions;
        let found = divisions.iter().position(|d| d.id == division).or_else(|| {
            let lower = division.to_lowercase();
            divisions.iter().position(|d| d.id.eq_ignore_ascii_case(&lower) || d.name.to_lowercase() == lower)
        });
        match found {
            Some(i) => Ok(i + 1),
            None => {
                let ids: Vec<&str> = self.config.divisions.iter().map(|d| d.id.as_str()).collect();
                let hint = if ids.is_empty() {
                    "book.toml has no divisions: leave the column empty".to_string()
                } else {
                    did_you_mean(division, ids.iter().copied()).unwrap_or_else(|| {
                        format!(
                            "the divisions are {} (or their names); leave it empty for the central edition",
                            one_of(&ids)
                        )
                    })
                };
                Err((format!("`{division}` is not a division in book.toml"), hint))
            }
        }
    }

    /// The place in edition `edition`'s list of the touch point a row names, by id or category.
    /// `lower` is room for the lowercased key, reused from row to row.
    fn touchpoint(&self, edition: usize, key: &str, lower: &mut String) -> Result<u32, (String, String)> {
        let playbook = self.playbooks[edition];
        let index = &self.indexes[edition];
        let key = key.trim();
        if let Some(place) = index.ids.get(key) {
            return Ok(*place);
        }
        lower.clear();
        if key.is_ascii() {
            lower.extend(key.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            lower.push_str(&key.to_lowercase());
        }
        if let Some(place) = index.places.get(lower.as_str()) {
            return Ok(*place);
        }
        let where_ = playbook.division.as_ref().map(|d| format!(" in the {} edition", d.name)).unwrap_or_default();
        if key.is_empty() {
            return Err(("the touch point is empty".into(), "write a touch point id or a help-desk category".into()));
        }
        if playbook.known.contains(&(Kind::Touchpoint, key.to_string())) {
            let message = format!("touch point `{key}` is not shown{where_} (hidden, or it has errors)");
            return Err((message, "remove its rows, or show the touch point in this edition".into()));
        }
        let message = format!("`{key}` is neither a touch point nor a category of one{where_}");
        let hint = did_you_mean(
            key,
            playbook.touchpoints.iter().map(|t| t.item.id.as_str()).chain(self.indexes[edition].categories.keys().map(String::as_str)),
        )
        .unwrap_or_else(|| {
            format!("write a touch point id, or list the help desk's category in that touch point: `categories = [\"{key}\"]`")
        });
        Err((message, hint))
    }

    /// A journey channel by id or by its label in any edition, without case.
    fn channel(&self, text: &str) -> Result<String, (String, String)> {
        let text = text.trim();
        let config = self.config;
        let labels = std::iter::once(&config.labels).chain(config.divisions.iter().map(|d| &d.labels));
        for channel in &config.channels {
            let mut names = std::iter::once(channel.clone())
                .chain(std::iter::once(config.label(channel)))
                .chain(labels.clone().filter_map(|l| l.get(channel).cloned()));
            if names.any(|name| name.to_lowercase() == text.to_lowercase()) {
                return Ok(channel.clone());
            }
        }
        let hint = did_you_mean(text, config.channels.iter().map(String::as_str))
            .unwrap_or_else(|| format!("the channels in book.toml are {}", one_of(&config.channels)));
        Err((format!("`{text}` is not a channel of the journey"), hint))
    }
}

/// What one file gave: figures per edition, the satisfaction scale with where it is named,
/// and its problems.
type FileData = (Vec<Vec<Rows>>, Option<(Scale, Range<usize>, String)>, Diagnostics);

/// The columns of a file, by position.
#[derive(Default)]
struct Columns {
    touchpoint: Option<usize>,
    month: Option<usize>,
    contacts: Option<usize>,
    score: Option<(usize, Scale)>,
    answers: Option<usize>,
    date: Option<usize>,
    channel: Option<usize>,
    text: Option<usize>,
    division: Option<usize>,
}

fn read_file(context: &Context<'_>, path: &Path, rel: &str, kind: FileKind, named: Option<Scale>) -> FileData {
    let mut diags = Diagnostics::default();
    let mut data: Vec<Vec<Rows>> = (0..context.playbooks.len()).map(|_| Vec::new()).collect();
    let cannot_read = |refused: crate::paths::Refused| {
        Diagnostic::file_error(rel, format!("cannot read: {refused}")).with_hint(crate::paths::HINT)
    };
    let opened = crate::paths::open_inside(&context.config.root, path);
    let mut pieces = match opened.and_then(|file| Pieces::open(file, rel).map_err(crate::paths::Refused::Io)) {
        Ok(pieces) => pieces,
        Err(refused) => {
            diags.push(cannot_read(refused));
            return (data, None, diags);
        }
    };
    // The first piece holds the header row, and every row of a small export.
    let mut lines = 0;
    let first = match pieces.next_piece(Vec::new(), &mut lines) {
        // The first call gives a piece even for an empty file.
        Ok(first) => first.unwrap_or_else(|| Piece {
            source: SourceText::new(rel, String::new()),
            start: 0,
            lines: 0,
            breaks: 0,
        }),
        Err(problem) => {
            diags.push(problem.diagnostic(context, path, rel));
            return (data, None, diags);
        }
    };
    let (source, header, delimiter) = (&first.source, pieces.header, pieces.delimiter);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(&source.text.as_bytes()[header..]);
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            diags.push(csv_error(source, header, &error));
            return (data, None, diags);
        }
    };
    let Some(columns) = columns(source, (header, &headers), delimiter, (kind, named), &mut diags) else {
        return (data, None, diags);
    };
    let scale =
        columns.score.map(|(i, scale)| (scale, field_span(&source.text, header, i, delimiter), rel.to_string()));
    let body = header + reader.position().byte() as usize;
    let file = FileRows { context, delimiter, fields: headers.len(), columns: &columns, kind };
    let parts = match read_pieces(&file, &mut pieces, Piece { start: body, ..first }, lines) {
        Ok(parts) => parts,
        Err(problem) => {
            diags.push(problem.diagnostic(context, path, rel));
            return (data, None, diags);
        }
    };
    for (part, local) in parts {
        diags.extend(local);
        for (edition, rows) in data.iter_mut().zip(part) {
            edition.push(rows);
        }
    }
    (data, scale, diags)
}

/// The rows of every piece of a file, `first` (read already) on: a batch of pieces is read on
/// all cores while the next batch is read from the file into the buffers of the one before.
/// `lines` counts the lines of the pieces read so far.
fn read_pieces(
    file: &FileRows<'_>,
    pieces: &mut Pieces,
    first: Piece,
    mut lines: usize,
) -> Result<Vec<(Part, Diagnostics)>, PieceProblem> {
    let ahead = 2 * rayon::current_num_threads().max(1);
    let read = |piece: Piece| {
        let (part, local) = file.read(&piece);
        (part, local.lines_after(piece.lines), piece.source.text.into_bytes())
    };
    let (mut batch, mut spare, mut parts) = (vec![first], Vec::new(), Vec::new());
    while !batch.is_empty() {
        let buffers = std::mem::take(&mut spare);
        let next = || -> Result<Vec<Piece>, PieceProblem> {
            let mut next = Vec::new();
            for buffer in buffers.into_iter().chain(std::iter::repeat_with(Vec::new)).take(ahead) {
                match pieces.next_piece(buffer, &mut lines)? {
                    Some(piece) => next.push(piece),
                    None => break,
                }
            }
            Ok(next)
        };
        let (done, following) = rayon::join(|| batch.into_par_iter().map(read).collect::<Vec<_>>(), next);
        for (part, local, buffer) in done {
            parts.push((part, local));
            spare.push(buffer);
        }
        batch = following?;
    }
    Ok(parts)
}

/// How big a piece of a file one core reads at a time.
const PIECE_BYTES: usize = 1 << 20;

/// A piece of an export as text of its own, and where it lies in the file.
struct Piece {
    source: SourceText,
    /// Where its rows start (after the header row in the first piece).
    start: usize,
    /// How many lines of the file come before it.
    lines: usize,
    /// How many line breaks it holds: no more rows than one more than that.
    breaks: usize,
}

/// Why a file could not be read to the end.
enum PieceProblem {
    Io(std::io::Error),
    /// Not UTF-8 from this byte of the file on.
    NotUtf8(usize),
}

impl PieceProblem {
    fn diagnostic(self, context: &Context<'_>, path: &Path, rel: &str) -> Diagnostic {
        match self {
            PieceProblem::Io(error) => Diagnostic::file_error(rel, format!("cannot read: {error}")),
            PieceProblem::NotUtf8(at) => {
                // Pointed at the first character that is not, usually a letter such as å that a
                // spreadsheet saved in the Windows encoding, with the line it is on.
                let mut bytes = crate::paths::read_inside(&context.config.root, path).unwrap_or_default();
                if bytes.starts_with(BOM) {
                    bytes.drain(..BOM.len());
                }
                let source = SourceText::new(rel, String::from_utf8_lossy(&bytes).into_owned());
                let message = "this file is not UTF-8 text";
                let hint = "export it as \"CSV UTF-8\" (spreadsheets offer it under Save as)";
                source.error(at..at + '\u{fffd}'.len_utf8(), message).with_hint(hint)
            }
        }
    }
}

/// A byte order mark: invisible to whoever reads the file, so positions count from after it.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// An export read a piece at a time. A piece ends at a line break outside quoted fields (or at
/// the end of the file), so that every row lies within one; each is read into the buffer of an
/// earlier piece, so that a large export never takes fresh memory of its own size.
struct Pieces {
    file: std::fs::File,
    rel: String,
    /// What was read past the end of the last piece.
    carry: Vec<u8>,
    at_end: bool,
    /// How many bytes of the file (after a byte order mark) come before the next piece.
    offset: usize,
    /// How many pieces were given: an empty file has one, empty.
    given: usize,
    /// Where the header row starts in the first piece (after a `sep=` line), and the separator.
    header: usize,
    delimiter: u8,
}

impl Pieces {
    fn open(mut file: std::fs::File, rel: &str) -> std::io::Result<Pieces> {
        let mut carry = Vec::new();
        let at_end = fill(&mut file, &mut carry, PIECE_BYTES)?;
        if carry.starts_with(BOM) {
            carry.drain(..BOM.len());
        }
        let (header, delimiter) = separator(&String::from_utf8_lossy(&carry));
        Ok(Pieces { file, rel: rel.to_string(), carry, at_end, offset: 0, given: 0, header, delimiter })
    }

    /// The next piece, read into `buffer`; `lines` counts the lines read so far. `None` once
    /// the file has been read to the end.
    fn next_piece(&mut self, mut buffer: Vec<u8>, lines: &mut usize) -> Result<Option<Piece>, PieceProblem> {
        buffer.clear();
        buffer.append(&mut self.carry);
        let mut want = PIECE_BYTES;
        loop {
            if !self.at_end {
                self.at_end = fill(&mut self.file, &mut buffer, want).map_err(PieceProblem::Io)?;
            }
            if self.at_end {
                break;
            }
            if let Some(end) = last_row_end(&buffer, self.delimiter) {
                self.carry.extend_from_slice(&buffer[end..]);
                buffer.truncate(end);
                break;
            }
            // One row longer than a piece (a very long quoted text): read on.
            want = buffer.len() * 2;
        }
        if buffer.is_empty() && self.given > 0 {
            return Ok(None);
        }
        let text = String::from_utf8(buffer)
            .map_err(|error| PieceProblem::NotUtf8(self.offset + error.utf8_error().valid_up_to()))?;
        let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        let piece = Piece { start: 0, lines: *lines, breaks, source: SourceText::new(self.rel.clone(), text) };
        self.offset += piece.source.text.len();
        self.given += 1;
        *lines += breaks;
        Ok(Some(piece))
    }
}

/// Reads `file` onto the end of `buffer` until it holds `want` bytes: true when the file ends
/// first. Room for them is made at once: grown by doubling, as `read_to_end` grows a buffer,
/// each piece's buffer would take twice its size of fresh memory, which the kernel zeroes.
fn fill(file: &mut std::fs::File, buffer: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    use std::io::Read;
    let wanted = want.saturating_sub(buffer.len());
    buffer.reserve_exact(wanted);
    let wanted = wanted as u64;
    let read = file.by_ref().take(wanted).read_to_end(buffer)? as u64;
    Ok(read < wanted)
}

/// The end of the last row of `bytes`: just after its last line break outside quoted fields.
/// Reads quotes as [`Quotes`] does, jumping from quote to quote and line break to line break:
/// a byte by byte walk over a 50 MB export costs more than reading its rows.
fn last_row_end(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let (mut end, mut at) = (None, 0);
    while let Some(found) = memchr::memchr2(b'"', b'\n', &bytes[at..]) {
        let i = at + found;
        at = i + 1;
        if bytes[i] == b'\n' {
            end = Some(i + 1);
            continue;
        }
        // A quote opens a quoted field only at the start of a field; `""` inside one is a
        // quote, and the field goes on.
        let field_start = i == 0 || matches!(bytes[i - 1], b'\n' | b'\r') || bytes[i - 1] == delimiter;
        if !field_start {
            continue;
        }
        at = loop {
            let Some(close) = memchr::memchr(b'"', &bytes[at..]) else { return end };
            let after = at + close + 1;
            if bytes.get(after) != Some(&b'"') {
                break after;
            }
            at = after + 1;
        };
    }
    end
}

/// Quotes as the CSV reader reads them, byte by byte from the start of a row: a quote opens a
/// quoted field only at the start of a field (`5" wide` is text), and `""` inside one is a
/// quote. Pieces and field spans must agree with the reader on where fields and rows end.
struct Quotes {
    quoted: bool,
    /// The next byte starts a field.
    field_start: bool,
    /// The last byte closed a quoted field: a quote now is the second of `""`.
    closed: bool,
}

impl Quotes {
    fn new() -> Quotes {
        Quotes { quoted: false, field_start: true, closed: false }
    }

    /// Takes the next byte: whether it is outside quotes, where a separator or line break ends
    /// a field.
    fn outside(&mut self, b: u8, delimiter: u8) -> bool {
        if self.quoted {
            if b == b'"' {
                (self.quoted, self.closed) = (false, true);
            }
            return false;
        }
        if b == b'"' && (self.field_start || self.closed) {
            (self.quoted, self.field_start, self.closed) = (true, false, false);
            return false;
        }
        self.field_start = matches!(b, b'\n' | b'\r') || b == delimiter;
        self.closed = false;
        true
    }
}

/// What reading the rows of one file needs.
struct FileRows<'a> {
    context: &'a Context<'a>,
    delimiter: u8,
    /// How many fields the header has: every row must have as many.
    fields: usize,
    columns: &'a Columns,
    kind: FileKind,
}

/// The rows of one piece of a file for one edition, each with the place of its touch point in
/// the edition's list: added up per edition once every file is read.
#[derive(Default)]
struct Rows {
    volumes: Vec<(u32, Month, u64)>,
    satisfaction: Vec<(u32, Month, Score)>,
    verbatims: Vec<(u32, Verbatim)>,
}

/// Adds a row to an edition's list, making room at once for every row the piece may still
/// hold: grown one row at a time, the lists of a large export are copied over and over.
fn push<T>(rows: &mut Vec<T>, row: T, left: usize) {
    if rows.len() == rows.capacity() {
        rows.reserve(left);
    }
    rows.push(row);
}

/// One piece's rows, per edition.
type Part = Vec<Rows>;

impl FileRows<'_> {
    /// Reads the rows of one piece of the file.
    fn read(&self, whole: &Piece) -> (Part, Diagnostics) {
        let (source, piece, lines) = (&whole.source, whole.start..whole.source.text.len(), whole.breaks + 1);
        let mut diags = Diagnostics::default();
        let mut data: Part = (0..self.context.playbooks.len()).map(|_| Rows::default()).collect();
        let mut recent = Recent::default();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(&source.text.as_bytes()[piece.clone()]);
        // A text record checks a row at once (ASCII is one quick look), not field by field.
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => {
                    diags.push(csv_error(source, piece.start, &error));
                    break;
                }
            }
            // The fields one after another: blank only when every field is.
            if record.as_slice().trim().is_empty() {
                continue;
            }
            let position = record.position();
            let start = row_start(&source.text, piece.start + position.map_or(0, |p| p.byte() as usize));
            // The piece's lines from this row on: no more rows than that are still to come.
            let left = lines.saturating_sub(position.map_or(0, |p| p.line() as usize).saturating_sub(1));
            let mut row = Row { source, start, left, delimiter: self.delimiter, record: &record, diags: &mut diags };
            if record.len() != self.fields {
                let message = format!("this row has {} fields, the header has {}", record.len(), self.fields);
                let hint =
                    "a text with a comma (or your file's separator) in it goes in double quotes: \"Slow, but kind\"";
                let end = source.text[start..].find('\n').map_or(source.text.len(), |n| start + n);
                row.diags.push(source.error(start..end, message).with_hint(hint));
                continue;
            }
            read_row(self.context, self.columns, self.kind, &mut row, &mut data, &mut recent);
        }
        (data, diags)
    }
}

/// Where a row begins: the CSV reader places a row after a CRLF line end at its `\n`, which
/// would put every message about a Windows export's row at the end of the line before.
fn row_start(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = at;
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    at
}

/// Where the header row starts and the separator a file uses. Excel's "CSV (semicolon)" may
/// name it on a first line of its own, `sep=;`; otherwise it is whichever of comma, semicolon
/// and tab the header row has most of.
fn separator(text: &str) -> (usize, u8) {
    let first = text.lines().next().unwrap_or_default();
    if let Some(named) = first.get(..4).filter(|s| s.eq_ignore_ascii_case("sep=")).and(first.as_bytes().get(4)) {
        let header = text.find('\n').map_or(text.len(), |n| n + 1);
        return (header, *named);
    }
    (0, delimiter(first))
}

/// Whichever of comma, semicolon and tab a header row has most of.
fn delimiter(header: &str) -> u8 {
    let count = |c: char| header.matches(c).count();
    [b',', b';', b'\t'].into_iter().max_by_key(|d| (count(char::from(*d)), *d == b',')).unwrap_or(b',')
}

/// Maps the header's names to the columns touchbook reads. `None` when a required one is missing.
fn columns(
    source: &SourceText,
    (header, headers): (usize, &csv::StringRecord),
    delimiter: u8,
    (kind, named): (FileKind, Option<Scale>),
    diags: &mut Diagnostics,
) -> Option<Columns> {
    let mut columns = Columns::default();
    let errors = diags.error_count();
    for (i, name) in headers.iter().enumerate() {
        let normal: String = name.trim().to_lowercase().chars().filter(|c| !matches!(c, ' ' | '_' | '-')).collect();
        let span = || field_span(&source.text, header, i, delimiter);
        // The names touchbook documents first, then the ones exports often use for the same.
        let slot = match (normal.as_str(), kind) {
            ("touchpoint" | "category" | "touchpointid" | "touchpointorcategory", _) => &mut columns.touchpoint,
            ("division", _) => &mut columns.division,
            ("month" | "period", FileKind::Volumes | FileKind::Satisfaction) => &mut columns.month,
            ("contacts" | "volume" | "count" | "tickets", FileKind::Volumes) => &mut columns.contacts,
            ("answers" | "responses" | "respondents", FileKind::Satisfaction) => &mut columns.answers,
            ("csat" | "csatscore" | "nps" | "npsscore" | "score", FileKind::Satisfaction) => {
                let scale = match normal.as_str() {
                    "csat" | "csatscore" => Some(Scale::Csat),
                    "nps" | "npsscore" => Some(Scale::Nps),
                    _ => named,
                };
                let Some(scale) = scale else {
                    let message = "a `score` column needs its scale";
                    let hint =
                        "name the column `csat` (1 to 5) or `nps` (-100 to 100), or the file csat.csv or nps.csv";
                    diags.push(source.error(span(), message).with_hint(hint));
                    continue;
                };
                if columns.score.is_some() {
                    let message = "a satisfaction file has one score column: `csat` or `nps`";
                    diags.push(source.error(span(), message).with_hint("split the scores into two files"));
                }
                columns.score = Some((i, scale));
                continue;
            }
            ("date", FileKind::Verbatims) => &mut columns.date,
            ("channel", FileKind::Verbatims) => &mut columns.channel,
            ("text" | "comment" | "verbatim", FileKind::Verbatims) => &mut columns.text,
            _ => continue,
        };
        if slot.is_some() {
            let hint = "rename or remove one of them: touchbook cannot tell which one to read";
            diags.push(source.error(span(), format!("the column `{}` is there twice", name.trim())).with_hint(hint));
        }
        *slot = Some(i);
    }
    let mut missing: Vec<&str> = Vec::new();
    if columns.touchpoint.is_none() {
        missing.push("touchpoint");
    }
    let have = |name: &str| match name {
        "month" => columns.month.is_some(),
        "contacts" => columns.contacts.is_some(),
        "answers" => columns.answers.is_some(),
        "date" => columns.date.is_some(),
        "channel" => columns.channel.is_some(),
        _ => columns.text.is_some(),
    };
    missing.extend(kind.required().iter().filter(|name| !have(name)));
    if kind == FileKind::Satisfaction && columns.score.is_none() {
        missing.push("csat` or `nps");
    }
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        let message = format!("the header row has no {} column", names.join(", "));
        let hint = format!(
            "the first row names the columns, e.g. `{}` (`touchpoint` may be called `category`)",
            kind.example()
        );
        let end = source.text[header..].find('\n').map_or(source.text.len(), |n| header + n);
        diags.push(source.error(header..end, message).with_hint(hint));
    }
    (diags.error_count() == errors).then_some(columns)
}

/// One row being read, and where its fields are for messages.
struct Row<'a> {
    source: &'a SourceText,
    start: usize,
    /// How many rows the piece may still hold, this one included.
    left: usize,
    delimiter: u8,
    record: &'a csv::StringRecord,
    diags: &'a mut Diagnostics,
}

impl Row<'_> {
    fn get(&self, column: Option<usize>) -> &str {
        column.and_then(|i| self.record.get(i)).unwrap_or_default()
    }

    fn error(&mut self, column: usize, (message, hint): (String, String)) {
        let span = field_span(&self.source.text, self.start, column, self.delimiter);
        self.diags.push(self.source.error(span, message).with_hint(hint));
    }

    /// The field of `column` read by `parse`, or its problem reported.
    fn field<T>(
        &mut self,
        column: Option<usize>,
        parse: impl FnOnce(&str) -> Result<T, (String, String)>,
    ) -> Option<T> {
        let column = column?;
        match parse(self.get(Some(column))) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.error(column, problem);
                None
            }
        }
    }
}

/// The division and touch point the last row named, and what they matched: an export lists a
/// touch point's months one after another (and a division's rows), so most rows name what the
/// row before did.
#[derive(Default)]
struct Recent {
    division: String,
    edition: Option<usize>,
    touchpoint: String,
    place: Option<(usize, u32)>,
    /// Room for a lowercased key, reused from row to row.
    lower: String,
}

impl Recent {
    fn edition(&mut self, context: &Context<'_>, division: &str) -> Result<usize, (String, String)> {
        if let Some(edition) = self.edition.filter(|_| same(&self.division, division)) {
            return Ok(edition);
        }
        let edition = context.edition(division)?;
        self.division.clear();
        self.division.push_str(division);
        self.edition = Some(edition);
        Ok(edition)
    }

    fn touchpoint(&mut self, context: &Context<'_>, edition: usize, key: &str) -> Result<u32, (String, String)> {
        if let Some((_, place)) = self.place.filter(|(e, _)| *e == edition && same(&self.touchpoint, key)) {
            return Ok(place);
        }
        let place = context.touchpoint(edition, key, &mut self.lower)?;
        self.touchpoint.clear();
        self.touchpoint.push_str(key);
        self.place = Some((edition, place));
        Ok(place)
    }
}

/// Whether a field says what the row before said, compared eight bytes at a time: `==` calls
/// `memcmp`, which for an id of a dozen letters costs more than the comparison, twice a row.
fn same(kept: &str, field: &str) -> bool {
    let (kept, field) = (kept.as_bytes(), field.as_bytes());
    if kept.len() != field.len() {
        return false;
    }
    let word = |bytes: &[u8]| <[u8; 8]>::try_from(bytes).map(u64::from_ne_bytes).ok();
    let (mut a, mut b) = (kept.chunks_exact(8), field.chunks_exact(8));
    (&mut a).zip(&mut b).all(|(a, b)| word(a) == word(b))
        && a.remainder().iter().zip(b.remainder()).all(|(a, b)| a == b)
}

fn read_row(
    context: &Context<'_>,
    columns: &Columns,
    kind: FileKind,
    row: &mut Row<'_>,
    data: &mut Part,
    recent: &mut Recent,
) {
    let edition = match columns.division {
        Some(_) => row.field(columns.division, |d| recent.edition(context, d)),
        None => Some(0),
    };
    let touchpoint = edition.and_then(|e| row.field(columns.touchpoint, |key| recent.touchpoint(context, e, key)));
    // A report by month lists the months nobody answered too: without a score or answers such
    // a row says nothing, and is no mistake (where its touch point and month are).
    if kind == FileKind::Satisfaction {
        let score = row.get(columns.score.map(|(i, _)| i)).trim();
        if score.is_empty() && matches!(row.get(columns.answers).trim(), "" | "0") {
            row.field(columns.month, month);
            return;
        }
    }
    match kind {
        FileKind::Volumes => {
            let month = row.field(columns.month, month);
            let contacts = row.field(columns.contacts, |t| whole(t, "a number of contacts", "1240"));
            if let (Some(e), Some(id), Some(month), Some(contacts)) = (edition, touchpoint, month, contacts) {
                push(&mut data[e].volumes, (id, month, contacts), row.left);
            }
        }
        FileKind::Satisfaction => {
            let month = row.field(columns.month, month);
            let scale = columns.score.map(|(_, s)| s);
            let score = row.field(columns.score.map(|(i, _)| i), |t| score(t, scale.unwrap_or(Scale::Csat)));
            let answers = row.field(columns.answers, |t| {
                whole(t, "a number of answers", "38").and_then(|n| {
                    if n == 0 {
                        Err(("a score needs at least one answer".into(), "leave out months without answers".into()))
                    } else {
                        Ok(n)
                    }
                })
            });
            if let (Some(e), Some(id), Some(month), Some(score), Some(answers)) =
                (edition, touchpoint, month, score, answers)
            {
                push(
                    &mut data[e].satisfaction,
                    (id, month, Score { weighted: score * answers as f64, answers }),
                    row.left,
                );
            }
        }
        FileKind::Verbatims => {
            let date = row.field(columns.date, date);
            let channel = row.field(columns.channel, |c| context.channel(c));
            let text = row.field(columns.text, |t| {
                let t = t.trim();
                if t.is_empty() {
                    Err(("the text is empty".into(), "write what the customer said, or leave the row out".into()))
                } else {
                    Ok(t.to_string())
                }
            });
            if let (Some(e), Some(id), Some(date), Some(channel), Some(text)) =
                (edition, touchpoint, date, channel, text)
            {
                push(&mut data[e].verbatims, (id, Verbatim { date, channel, text }), row.left);
            }
        }
    }
}

/// What a message calls a field's text: an empty field is said to be missing rather than quoted.
fn missing_or(text: &str, what: &str, quoted: String) -> String {
    if text.trim().is_empty() {
        format!("{what} is missing")
    } else {
        quoted
    }
}

/// A month, `2026-03`, or its first day, `2026-03-01` (with a time after it, as reports grouped
/// by month in a database write it); another day cannot stand for a month.
fn month(text: &str) -> Result<Month, (String, String)> {
    let hint = || "write the month as year-month, like 2026-03 (or its first day, 2026-03-01)".to_string();
    if let Some(month) = Month::parse(text) {
        return Ok(month);
    }
    match date(text) {
        Ok(day) if day.day() == 1 => Ok(Month::of(day)),
        Ok(_) => Err((format!("`{}` is a day, not a month", text.trim()), hint())),
        Err(_) => Err((missing_or(text, "the month", format!("`{}` is not a month", text.trim())), hint())),
    }
}

/// A date, `2026-03-14`; a time after it (`2026-03-14T09:30`, `2026-03-14 09:30`), as exports
/// of comments often have, is left aside.
fn date(text: &str) -> Result<Date, (String, String)> {
    let text = text.trim();
    let text = match text.get(10..11) {
        Some("T" | " ") => &text[..10],
        _ => text,
    };
    let parsed = (|| {
        let mut parts = text.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
        Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
    })();
    parsed.ok_or_else(|| {
        let message = missing_or(text, "the date", format!("`{text}` is not a date"));
        (message, "write the date as year-month-day, like 2026-03-14".into())
    })
}

/// The largest count one row may hold. No help desk has a trillion contacts or answers a
/// month: a number past it is another column or a typing slip, and keeping rows below it keeps
/// every sum of them far from overflowing.
const MOST_IN_A_ROW: u64 = 1_000_000_000_000;

/// A whole number, with no separators: what exports write.
fn whole(text: &str, what: &str, example: &str) -> Result<u64, (String, String)> {
    let text = text.trim();
    let too_large = || {
        let message = format!("`{text}` is too large for {what}");
        let hint =
            format!("a row holds at most {MOST_IN_A_ROW} (a trillion): check that this column holds the month's count");
        (message, hint)
    };
    let parsed = text.parse::<u64>();
    if parsed.as_ref().is_ok_and(|n| *n > MOST_IN_A_ROW) {
        return Err(too_large());
    }
    parsed.map_err(|_| {
        // Digits that do not fit a number at all.
        if !text.is_empty() && text.trim_start_matches('+').bytes().all(|b| b.is_ascii_digit()) {
            return too_large();
        }
        let hint = if text.starts_with('-') {
            "it cannot be negative".to_string()
        } else {
            format!("write a whole number without spaces or thousands separators, like {example}")
        };
        let missing = format!("{} is missing", what.replacen("a ", "the ", 1));
        let message = if text.is_empty() { missing } else { format!("`{text}` is not {what}") };
        (message, hint)
    })
}

/// A satisfaction score on its scale; a decimal comma is read as a decimal point.
fn score(text: &str, scale: Scale) -> Result<f64, (String, String)> {
    let text = text.trim();
    let (low, high) = scale.range();
    let example = match scale {
        Scale::Csat => "4.2 (the mean answer from 1 to 5)",
        Scale::Nps => "35 (promoters minus detractors, in percent)",
    };
    let parsed = if text.contains(',') { text.replace(',', ".").parse::<f64>() } else { text.parse::<f64>() };
    match parsed {
        Ok(value) if (low..=high).contains(&value) => Ok(value),
        // `NaN` and `inf` parse as numbers, but are no score a survey gives.
        Ok(value) if value.is_finite() => Err((
            format!("{} `{text}` is out of range: it goes from {low} to {high}", scale.name()),
            format!("write a score like {example}"),
        )),
        _ => {
            let what = format!("the {} score", scale.name());
            let message = missing_or(text, &what, format!("`{text}` is not a {} score", scale.name()));
            Err((message, format!("write a score like {example}")))
        }
    }
}

/// A problem the CSV reader found, at its line (its position counted from byte `base`).
fn csv_error(source: &SourceText, base: usize, error: &csv::Error) -> Diagnostic {
    let at = base + error.position().map_or(0, |p| p.byte() as usize);
    let message = match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "this row is not UTF-8 text".to_string(),
        _ => format!("this row cannot be read as CSV: {error}"),
    };
    source
        .error(at..at, message)
        .with_hint("check the quotes: a quoted field ends with a double quote before the separator")
}

/// Where field `index` of the row starting at byte `start` is (quotes included), for
/// messages: the CSV reader gives fields' text, not their place in the file.
fn field_span(text: &str, start: usize, index: usize, delimiter: u8) -> Range<usize> {
    let bytes = text.as_bytes();
    let (mut field, mut field_start, mut quotes) = (0, start, Quotes::new());
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        if quotes.outside(b, delimiter) && (b == delimiter || b == b'\n' || b == b'\r') {
            if field == index {
                return field_start..i;
            }
            if b != delimiter {
                break;
            }
            field += 1;
            field_start = i + 1;
        }
        i += 1;
    }
    if field == index {
        field_start..i
    } else {
        start..start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_where_they_are_written() {
        let text = "a,b,c\nx,\"y, z\",w\n";
        assert_eq!(&text[field_span(text, 6, 0, b',')], "x");
        assert_eq!(&text[field_span(text, 6, 1, b',')], "\"y, z\"");
        assert_eq!(&text[field_span(text, 6, 2, b',')], "w");
        assert_eq!(&text[field_span(text, 0, 2, b',')], "c");
        let text = "a,5\" wide,\"say \"\"hi\"\", then\",2026-13\n";
        assert_eq!(&text[field_span(text, 0, 3, b',')], "2026-13");
    }

    #[test]
    fn pieces_end_at_line_breaks_outside_quotes() {
        fn end(text: &str, delimiter: u8) -> Option<&str> {
            last_row_end(text.as_bytes(), delimiter).map(|end| &text[..end])
        }
        assert_eq!(end("h\na,\"x\ny\"\nb,c", b','), Some("h\na,\"x\ny\"\n"));
        assert_eq!(end("h\na,\"x\ny", b','), Some("h\n"));
        assert_eq!(end("h", b','), None);
        // A quote inside a field is text, and `""` in a quoted field is a quote: neither may
        // put a later quoted line break out of step.
        assert_eq!(end("a,5\" wide\nb;\"x\ny", b';'), Some("a,5\" wide\n"));
        assert_eq!(end("c;\"say \"\"hi\"\"\n!\"\nd", b';'), Some("c;\"say \"\"hi\"\"\n!\"\n"));
    }

    #[test]
    fn a_field_is_the_same_as_the_last_row_s_exactly_when_equal() {
        let mut texts: Vec<String> = ["å", "ä", "division-å", "division-ä"].map(String::from).to_vec();
        for len in 0..20 {
            let base: String = "situation-0004217ab".chars().cycle().take(len).collect();
            for at in 0..len {
                let mut bytes = base.clone().into_bytes();
                bytes[at] ^= 1;
                texts.push(String::from_utf8(bytes).unwrap());
            }
            texts.push(base);
        }
        for a in &texts {
            for b in &texts {
                assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    /// [`last_row_end`] against a byte by byte walk with [`Quotes`], over texts made of the
    /// bytes that matter, in every arrangement up to a length.
    #[test]
    fn pieces_agree_with_quotes_read_byte_by_byte() {
        fn walked(text: &str, delimiter: u8) -> Option<usize> {
            let mut quotes = Quotes::new();
            let outside = text.bytes().enumerate().filter(|(_, b)| quotes.outside(*b, delimiter) && *b == b'\n');
            outside.map(|(i, _)| i + 1).last()
        }
        let alphabet = ['"', '\n', '\r', ',', ';', 'a'];
        for length in 0..=8 {
            for mut n in 0..alphabet.len().pow(length) {
                let text: String = (0..length)
                    .map(|_| {
                        let c = alphabet[n % alphabet.len()];
                        n /= alphabet.len();
                        c
                    })
                    .collect();
                for delimiter in [b',', b';'] {
                    assert_eq!(last_row_end(text.as_bytes(), delimiter), walked(&text, delimiter), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn the_separator_is_read_from_the_header() {
        assert_eq!(separator("touchpoint;month;contacts\n"), (0, b';'));
        assert_eq!(separator("touchpoint,month,contacts\n"), (0, b','));
        assert_eq!(separator("touchpoint\tmonth\n"), (0, b'\t'));
        assert_eq!(separator("touchpoint\n"), (0, b','));
        assert_eq!(separator("sep=;\r\ntouchpoint,month;contacts\r\n"), (7, b';'));
        assert_eq!(separator("SEP=,\ntouchpoint;month;contacts\n"), (6, b','));
    }

    #[test]
    fn extreme_numbers_months_and_dates_are_refused_with_a_reason() {
        let contacts = |t| whole(t, "a number of contacts", "1240");
        assert_eq!(contacts("1000000000000"), Ok(MOST_IN_A_ROW));
        for huge in ["1000000000001", "18446744073709551615", "99999999999999999999", "+99999999999999999999"] {
            assert!(contacts(huge).unwrap_err().0.contains("is too large"), "{huge}");
        }
        assert_eq!(contacts("-5").unwrap_err().1, "it cannot be negative");
        assert_eq!(contacts("").unwrap_err().0, "the number of contacts is missing");
        for bad in ["NaN", "nan", "inf", "-inf", "infinity", "1e400"] {
            assert!(score(bad, Scale::Csat).unwrap_err().0.contains("is not a csat score"), "{bad}");
        }
        assert!(score("-1e400", Scale::Nps).unwrap_err().0.contains("is not a nps score"));
        assert!(score("1e308", Scale::Nps).unwrap_err().0.contains("out of range"));
        for bad in ["0000-00", "2026-00", "2026-13", "+202-03", "0000-00-00", "-001-01"] {
            assert!(month(bad).is_err(), "{bad}");
        }
        assert_eq!(month("0000-01").unwrap().to_string(), "0000-01");
        assert_eq!(month("9999-12-01 23:59").unwrap().to_string(), "9999-12");
        for bad in ["0000-00-00", "2026-02-30", "-001-01-01", "2026-03-1\u{e6}", "2026-03-14\u{e6}"] {
            assert!(date(bad).is_err(), "{bad}");
        }
        assert_eq!(date("9999-12-31").unwrap(), Date::from_calendar_date(9999, time::Month::December, 31).unwrap());
        assert_eq!(date("0000-01-01T").unwrap().year(), 0);
    }

    #[test]
    fn scores_keep_to_their_scale() {
        assert_eq!(score("4,2", Scale::Csat).unwrap(), 4.2);
        assert!(score("5.5", Scale::Csat).is_err());
        assert_eq!(score("-35", Scale::Nps).unwrap(), -35.0);
        assert!(score("101", Scale::Nps).is_err());
        assert!(score("good", Scale::Csat).is_err());
    }
}
