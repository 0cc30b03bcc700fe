//! Editions published on their own: `site-url` per edition, and a link checker over every
//! file of every build, full or of one division alone.
//!
//! Each edition is deployed from its folder: the central site (with the folders of the
//! divisions that have no `site-url` of their own) at the central `site-url`, a division with
//! its own `site-url` from `site/<id>/` alone. So a relative link must stay within what is
//! deployed with its page, and an absolute link to an edition must name a page that edition
//! has (in a full build).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::support::*;

/// A division's own `site-url`.
type Own<'a> = (&'a str, &'a str);

/// The division fixture with `site-url`s: the central one always, and these divisions' own.
fn playbook(central: Option<&str>, own: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = fixture("divisions");
    let path = dir.path().join("book.toml");
    let mut config = read(&path);
    config = match central {
        Some(url) => config.replace("site-url = \"https://playbook.test\"", &format!("site-url = \"{url}\"")),
        None => config.replace("site-url = \"https://playbook.test\"\n", ""),
    };
    for (division, url) in own {
        let table = format!("[divisions.{division}]\n");
        config = config.replace(&table, &format!("{table}site-url = \"{url}\"\n"));
    }
    std::fs::write(&path, config).unwrap();
    dir
}

/// Where each edition is published (prefix → address), longest address first, as book.toml
/// says: the rule the test holds the site to, written out independently of touchbook's.
fn addresses(central: Option<&str>, own: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut list = Vec::new();
    for division in ["norge", "sverige"] {
        match own.iter().find(|(d, _)| *d == division) {
            Some((_, url)) => list.push((format!("{division}/"), url.to_string())),
            None => {
                if let Some(url) = central {
                    list.push((format!("{division}/"), format!("{url}/{division}")));
                }
            }
        }
    }
    if let Some(url) = central {
        list.push((String::new(), url.to_string()));
    }
    list.sort_by_key(|(_, url)| std::cmp::Reverse(url.len()));
    list
}

/// Every `href` and `src` of an HTML page, read with an HTML parser.
fn html_links(html: &str) -> Vec<String> {
    let found = select(html, "[href], [src]");
    found.into_iter().flat_map(|mut e| [e.attributes.remove("href"), e.attributes.remove("src")]).flatten().collect()
}

/// Every address in a feed (`link/@href`) or sitemap (`loc`), read as XML.
fn xml_links(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    doc.descendants()
        .filter_map(|node| match node.tag_name().name() {
            "link" => node.attribute("href").map(str::to_string),
            "loc" => node.text().map(|t| t.trim().to_string()),
            _ => None,
        })
        .collect()
}

/// The folder a file of the site is deployed with: a division published apart, or the
/// central site.
fn deployed_with<'a>(path: &str, apart: &'a [String]) -> &'a str {
    apart.iter().find(|prefix| path.starts_with(prefix.as_str())).map_or("", String::as_str)
}

/// `a/b/../c` → `a/c`; `None` when it climbs above the site's root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir if !out.pop() => return None,
            Component::Normal(part) => out.push(part),
            _ => {}
        }
    }
    Some(out)
}

/// Every link of every HTML and XML file of `site` that leads nowhere: relative links must
/// find their file among what is deployed with the page, absolute links to an edition must
/// find the page in `full` (a full build of the same playbook).
fn dead_links(site: &Path, full: &Path, addresses: &[(String, String)], apart: &[String]) -> Vec<String> {
    let exists = |root: &Path, file: &str| {
        let target = root.join(file);
        target.is_file()
            || (target.is_dir() || file.is_empty() || file.ends_with('/')) && target.join("index.html").is_file()
    };
    let mut dead = Vec::new();
    for (path, bytes) in tree(site) {
        let read_links: fn(&str) -> Vec<String> = if path.ends_with(".html") {
            html_links
        } else if path.ends_with(".xml") {
            xml_links
        } else {
            continue;
        };
        let links = read_links(&String::from_utf8(bytes).unwrap());
        for link in links {
            let file = link.split(['#', '?']).next().unwrap();
            if link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            if file.contains("://") {
                // Absolute: to one of the editions, else outside the playbook (not ours to check).
                let Some((prefix, url)) = addresses.iter().find(|(_, url)| file.starts_with(&format!("{url}/"))) else {
                    continue;
                };
                let within = &file[url.len() + 1..];
                if !exists(full, &format!("{prefix}{within}")) {
                    dead.push(format!("{path}: {link} (no such page in that edition)"));
                }
                continue;
            }
            let from = Path::new(&path).parent().unwrap_or(Path::new(""));
            let Some(target) = normalise(&from.join(file)) else {
                dead.push(format!("{path}: {link} (above the site)"));
                continue;
            };
            let target = target.to_string_lossy().replace('\\', "/");
            if deployed_with(&target, apart) != deployed_with(&path, apart) {
                dead.push(format!("{path}: {link} (into an edition published elsewhere)"));
            } else if !exists(site, &target) {
                dead.push(format!("{path}: {link}"));
            }
        }
    }
    dead
}

/// Builds `dir` with `args` into a folder of its own.
fn build(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut all = vec!["build", "--no-search", "--output", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = run(dir, &all);
    assert!(output.status.success(), "{}", stderr(&output));
    out
}

/// Every way of publishing the fixture: no addresses, the central one only, a division with
/// its own, every division with its own. Full builds and each division alone.
#[test]
fn no_build_links_to_a_page_it_does_not_contain() {
    let norge = [("norge", "https://handbok.test")];
    let both = [("norge", "https://handbok.test"), ("sverige", "https://handbok.test/sv")];
    let cases: [(Option<&str>, &[Own]); 5] = [
        (None, &[]),
        (Some("https://playbook.test"), &[]),
        (Some("https://playbook.test"), &norge),
        (Some("https://playbook.test/playbook"), &both),
        (None, &norge),
    ];
    for (central, own) in cases {
        let dir = playbook(central, own);
        let addresses = addresses(central, own);
        let apart: Vec<String> = own.iter().map(|(d, _)| format!("{d}/")).collect();
        let full = build(dir.path(), "full", &[]);
        let dead = dead_links(&full, &full, &addresses, &apart);
        assert_eq!(dead, Vec::<String>::new(), "full build, {central:?} {own:?}");
        for division in ["norge", "sverige"] {
            let alone = build(dir.path(), division, &["--division", division]);
            assert!(!alone.join("index.html").exists(), "only the division's edition is built");
            // Built alone, the division's folder is all there is to deploy.
            let only: Vec<String> = vec![format!("{division}/")];
            let dead = dead_links(&alone, &full, &addresses, &only);
            assert_eq!(dead, Vec::<String>::new(), "{division} alone, {central:?} {own:?}");
        }
    }
}

/// The links of a page's language switch: the linked edition's language (`hreflang`) → address.
/// The current edition, and editions without the page, are named without a link.
fn switch(html: &str) -> BTreeMap<String, String> {
    let links = select(html, "nav.language-switch a[href]").into_iter().map(|mut a| {
        let language = a.attributes.remove("hreflang").expect("a link in the switch says its language");
        (language, a.attributes.remove("href").unwrap())
    });
    links.collect()
}

#[test]
fn the_language_switch_hreflang_feed_and_sitemap_use_each_editions_address() {
    let dir = playbook(Some("https://playbook.test"), &[("norge", "https://handbok.test")]);
    let full = build(dir.path(), "full", &[]);
    let alpha = read(full.join("norge/touchpoints/alpha.html"));
    let links = switch(&alpha);
    assert_eq!(links.get("en").map(String::as_str), Some("https://playbook.test/touchpoints/alpha.html"), "{links:?}");
    assert_eq!(links.get("sv").map(String::as_str), Some("https://playbook.test/sverige/touchpoints/alpha.html"));
    assert!(!links.contains_key("nb"), "the current edition is not a link");
    let alternate = one(&alpha, "head link[rel=alternate][hreflang=en]");
    assert_eq!(alternate.attr("href"), Some("https://playbook.test/touchpoints/alpha.html"));
    let central = switch(&read(full.join("touchpoints/alpha.html")));
    assert_eq!(central.get("nb").map(String::as_str), Some("https://handbok.test/touchpoints/alpha.html"));
    assert_eq!(
        central.get("sv").map(String::as_str),
        Some("../sverige/touchpoints/alpha.html"),
        "built with it: relative"
    );
    let feed = xml_links(&read(full.join("norge/feed.xml")));
    assert!(!feed.is_empty() && feed.iter().all(|l| l.starts_with("https://handbok.test/")), "{feed:?}");
    let sitemap = xml_links(&read(full.join("norge/sitemap.xml")));
    assert!(sitemap.contains(&"https://handbok.test/touchpoints/only-norge.html".to_string()), "{sitemap:?}");
    let central_sitemap = xml_links(&read(full.join("sitemap.xml")));
    assert!(central_sitemap.iter().all(|l| l.starts_with("https://playbook.test/")), "{central_sitemap:?}");

    // Built alone and without addresses, an edition has no language switch at all.
    let bare = playbook(None, &[]);
    let alone = build(bare.path(), "alone", &["--division", "norge"]);
    let html = read(alone.join("norge/touchpoints/alpha.html"));
    assert!(select(&html, ".language-switch").is_empty(), "{:?}", switch(&html));
    assert!(select(&html, "[hreflang]").is_empty(), "no edition named as another language's version");
}
