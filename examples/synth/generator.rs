//! The synthetic playbook generator, shared by the `synth` example and the stage benchmarks
//! (`benches/stages.rs`).

use std::fmt::Write as _;
use std::path::Path;

const STAGES: &[&str] = &["first-contact", "onboarding", "delivery", "support", "renewal"];
const CHANNELS: &[&str] = &["phone", "email", "chat", "on-site", "meeting"];
const LANGUAGES: &[(&str, &str)] = &[("nb", "Situasjon"), ("da", "Situation"), ("sv", "Situation")];
const WORDS: &[&str] = &[
    "customer",
    "invoice",
    "delivery",
    "contract",
    "service",
    "desk",
    "ticket",
    "update",
    "network",
    "server",
    "account",
    "password",
    "outage",
    "renewal",
    "meeting",
    "promise",
    "apology",
    "escalation",
    "manager",
    "deadline",
    "colleague",
    "handover",
    "status",
    "licence",
    "backup",
    "printer",
    "office",
    "migration",
    "supplier",
    "priority",
    "listen",
    "explain",
    "confirm",
    "follow",
    "call",
    "write",
    "agree",
    "check",
    "offer",
    "thank",
    "quickly",
    "clearly",
    "calmly",
    "honestly",
    "today",
    "tomorrow",
    "always",
    "never",
    "before",
    "after",
    "the",
    "a",
    "we",
    "they",
    "our",
    "their",
    "with",
    "about",
    "when",
    "because",
];

/// Syllables for made-up domain words: real text has a long tail of rare words (product names,
/// places, jargon), and a search index behaves very differently on it than on a tiny vocabulary.
const SYLLABLES: &[&str] = &[
    "ka", "ro", "li", "ne", "sta", "vik", "mar", "den", "tor", "sen", "bo", "ra", "fjell", "ås", "lin", "dal", "nor",
    "vest", "ost", "sund", "berg", "holm", "strand", "by", "gard", "lund", "ved", "sol", "ko", "pa",
];

/// A word: often a common one, otherwise one of a few thousand rarer ones (Zipf-like).
fn word(rng: &mut fastrand::Rng) -> String {
    if rng.f32() < 0.55 {
        return WORDS[rng.usize(..WORDS.len())].to_string();
    }
    // Low ranks are drawn far more often than high ones, as in natural text.
    let rank = (rng.f64().powi(3) * 4000.0) as usize;
    let mut word = String::new();
    let mut n = rank + 1;
    while n > 0 {
        word.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
    }
    word
}

fn sentence(rng: &mut fastrand::Rng, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        let word = word(rng);
        let word = word.as_str();
        if i == 0 {
            let mut chars = word.chars();
            let first = chars.next().unwrap().to_uppercase();
            text.extend(first.chain(chars));
        } else {
            text.push(' ');
            text.push_str(word);
        }
    }
    text.push('.');
    text
}

fn paragraph(rng: &mut fastrand::Rng, sentences: usize) -> String {
    (0..sentences)
        .map(|_| {
            let words = rng.usize(8..16);
            sentence(rng, words)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn tp_id(i: usize) -> String {
    format!("situation-{i:05}")
}

/// Writes a playbook of `touchpoints` touch points and `divisions` divisions to `out`
/// (replacing whatever is there), the same for the same seed; with `data_months` above 0, also
/// `data/` with that many months of help-desk data for the centre and every division.
pub(crate) fn write_playbook(
    out: &Path,
    touchpoints: usize,
    divisions: usize,
    data_months: usize,
    seed: u64,
) -> String {
    let rng = &mut fastrand::Rng::with_seed(seed);
    if out.exists() {
        std::fs::remove_dir_all(out).unwrap();
    }
    let n = touchpoints;
    let messages = 10.min(n.max(1));
    let mut frequencies = Vec::with_capacity(n);

    let mut config = String::from("[book]\ntitle = \"Synthetic Playbook\"\nlanguage = \"en\"\n\n[build]\nsite-url = \"https://playbook.example\"\n\n");
    writeln!(config, "[journey]\nstages = {STAGES:?}\nchannels = {CHANNELS:?}\n").unwrap();
    if data_months > 0 {
        writeln!(config, "[data]\nfrequency-shares = {:?}\n", frequency_shares(touchpoints)).unwrap();
    }
    for d in 0..divisions {
        let (language, _) = LANGUAGES[d % LANGUAGES.len()];
        writeln!(config, "[divisions.division-{d}]\nname = \"Division {d}\"\nlanguage = \"{language}\"\n").unwrap();
    }
    write(&out.join("book.toml"), &config);

    for m in 0..messages {
        let text = format!(
            "+++\ntitle = \"Message {m}\"\npromise = \"{}\"\n\n[campaign]\nname = \"Campaign {m}\"\nstart = 2026-{:02}-01\nend = 2026-{:02}-28\n+++\n\n{}\n",
            sentence(rng, 10),
            1 + m % 12,
            1 + m % 12,
            paragraph(rng, 6)
        );
        write(&out.join(format!("content/messages/message-{m}.md")), &text);
    }
    for i in 0..n {
        let stage = STAGES[rng.usize(..STAGES.len())];
        let channels: Vec<&str> = CHANNELS.iter().copied().filter(|_| rng.bool()).collect();
        let related: Vec<String> =
            (0..rng.usize(0..3)).map(|_| tp_id(rng.usize(..n))).filter(|r| *r != tp_id(i)).collect();
        let link = tp_id(rng.usize(..n));
        let mut text = String::new();
        writeln!(text, "+++\ntitle = \"Situation {i}: {}\"", sentence(rng, 5).trim_end_matches('.')).unwrap();
        writeln!(text, "summary = \"{}\"\nstage = \"{stage}\"\nchannels = {channels:?}", sentence(rng, 14)).unwrap();
        let frequency = rng.u8(1..=5);
        frequencies.push(frequency);
        writeln!(text, "frequency = {frequency}\ndifficulty = {}", rng.u8(1..=5)).unwrap();
        writeln!(text, "messages = [\"message-{}\"]\nrelated = {related:?}", rng.usize(..messages)).unwrap();
        writeln!(
            text,
            "tags = [\"{}\", \"{}\"]\nowner = \"Team {}\"\nreviewed = 2026-{:02}-15\n+++\n",
            WORDS[rng.usize(..20)],
            WORDS[rng.usize(..20)],
            i % 7,
            // March to October 2026: some reviews due, none in the future.
            3 + i % 8
        )
        .unwrap();
        writeln!(text, "## Situation\n\n{}\n\n{}\n", paragraph(rng, 6), paragraph(rng, 6)).unwrap();
        writeln!(text, "## Expected behaviour\n").unwrap();
        for _ in 0..4 {
            writeln!(text, "- Do: {}", sentence(rng, 12)).unwrap();
        }
        for _ in 0..3 {
            writeln!(text, "- Don't: {}", sentence(rng, 12)).unwrap();
        }
        writeln!(text, "\n## Say it like this\n\n> \"{}\"\n\n> \"{}\"\n", sentence(rng, 14), sentence(rng, 12))
            .unwrap();
        writeln!(text, "## Role play\n\n{}\n", paragraph(rng, 5)).unwrap();
        writeln!(text, "## Why it matters\n\n{} See [a related case]({link}.md).", paragraph(rng, 4)).unwrap();
        write(&out.join(format!("content/touchpoints/{}.md", tp_id(i))), &text);
    }
    for s in 0..(n / 10).max(1) {
        let text = format!(
            "+++\ntitle = \"Story {s}\"\ntouchpoints = [\"{}\"]\nauthor = \"Colleague {s}\"\ndate = 2026-{:02}-{:02}\n+++\n\n{}\n",
            tp_id(rng.usize(..n)),
            1 + s % 10,
            1 + s % 28,
            paragraph(rng, 8)
        );
        write(&out.join(format!("content/practices/story-{s}.md")), &text);
    }
    let mut rollout = format!(
        "+++\ntitle = \"Programme\"\nstart = 2026-09-07\nmessages = [\"message-0\"]\ntouchpoints = [\"{}\"]\n+++\n\n{}\n\n",
        tp_id(0),
        paragraph(rng, 5)
    );
    for week in 1..=16 {
        writeln!(rollout, "## Week {week}: {}\n\n{}\n", sentence(rng, 4).trim_end_matches('.'), paragraph(rng, 5))
            .unwrap();
    }
    write(&out.join("content/rollouts/programme.md"), &rollout);

    for d in 0..divisions {
        let (_, situation) = LANGUAGES[d % LANGUAGES.len()];
        // One in five touch points is translated; the hash is left stale on purpose so the
        // status work is exercised too.
        for i in (0..n).filter(|i| (i + d) % 5 == 0) {
            let text = format!(
                "+++\nlocalised-from = \"0000000000\"\ntitle = \"Situasjon {i}\"\n+++\n\n## {situation}\n\n{}\n",
                paragraph(rng, 6)
            );
            write(&out.join(format!("content/divisions/division-{d}/touchpoints/{}.md", tp_id(i))), &text);
        }
        let own = format!(
            "+++\ntitle = \"Only in division {d}\"\nsummary = \"{}\"\nstage = \"support\"\nfrequency = 3\ndifficulty = 3\n+++\n\n## {situation}\n\n{}\n\n## {{#behaviour}}\n\n- Do: {}\n",
            sentence(rng, 10),
            paragraph(rng, 4),
            sentence(rng, 8)
        );
        write(&out.join(format!("content/divisions/division-{d}/touchpoints/local-{d}.md")), &own);
    }
    if data_months > 0 {
        write_data(out, &frequencies, divisions, data_months, rng);
    }
    format!("wrote {n} touch points, {messages} messages and {divisions} divisions to {}", out.display())
}

/// Contacts of a touch point relative to the others, by its declared frequency: each step
/// doubles, so the data gives back the declared frequency (give or take one step of noise).
const WEIGHTS: [f64; 5] = [0.3, 0.7, 1.4, 2.8, 5.6];

/// `[data] frequency-shares` (percent) halfway between the steps' weights, for `n` touch points.
fn frequency_shares(n: usize) -> [f64; 4] {
    let mean = WEIGHTS.iter().sum::<f64>() / WEIGHTS.len() as f64;
    [0.5, 1.0, 2.0, 4.0].map(|w| (w / (n.max(1) as f64 * mean) * 100.0 * 10_000.0).round() / 10_000.0)
}

/// `data/volumes.csv`, `satisfaction.csv` and `verbatims.csv`: every touch point in every month
/// up to November 2026, for the centre and each division (whose own touch point is in its rows
/// too), and one verbatim per touch point and edition.
fn write_data(out: &Path, frequencies: &[u8], divisions: usize, months: usize, rng: &mut fastrand::Rng) {
    let months: Vec<String> = (0..months)
        .rev()
        .map(|back| 2026 * 12 + 10 - back as i64)
        .map(|m| format!("{}-{:02}", m / 12, m % 12 + 1))
        .collect();
    let (mut volumes, mut scores, mut verbatims) = (
        String::from("touchpoint,month,contacts,division\n"),
        String::from("touchpoint,month,csat,answers,division\n"),
        String::from("touchpoint,date,channel,text,division\n"),
    );
    let editions: Vec<String> =
        std::iter::once(String::new()).chain((0..divisions).map(|d| format!("division-{d}"))).collect();
    for (e, division) in editions.iter().enumerate() {
        let own = (e > 0).then(|| (format!("local-{}", e - 1), 3u8));
        let all = frequencies.iter().enumerate().map(|(i, f)| (tp_id(i), *f)).chain(own);
        for (id, frequency) in all {
            let weight = WEIGHTS[usize::from(frequency - 1)] * 40.0;
            for month in &months {
                let contacts = (weight * (0.9 + rng.f64() * 0.2)).round() as u64;
                writeln!(volumes, "{id},{month},{contacts},{division}").unwrap();
                let answers = (contacts / 12).max(1);
                writeln!(scores, "{id},{month},{:.2},{answers},{division}", 3.2 + rng.f64() * 1.6).unwrap();
            }
            let month = &months[rng.usize(..months.len())];
            let channel = CHANNELS[rng.usize(..CHANNELS.len())];
            writeln!(verbatims, "{id},{month}-{:02},{channel},\"{}\",{division}", rng.u8(1..=28), sentence(rng, 12))
                .unwrap();
        }
    }
    write(&out.join("data/volumes.csv"), &volumes);
    write(&out.join("data/satisfaction.csv"), &scores);
    write(&out.join("data/verbatims.csv"), &verbatims);
}
