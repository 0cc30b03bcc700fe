//! Contribution links: addresses of the repository host's own web editor for a content file,
//! so staff propose changes through the tool the company already uses (`[contribute]`).
//!
//! GitHub and Gitea/Forgejo open a new file with its name and text taken from the address
//! (`filename`, `value`); GitLab's new-file page ignores prefilled text, so a new file there is
//! proposed through GitLab's new-issue form, prefilled with the stub.

use url::form_urlencoded::byte_serialize;

use crate::config::{Contribute, Host};

/// The address that opens the host's editor on an existing file (`path` relative to the
/// playbook root, with `/`, e.g. `content/touchpoints/late-invoice.md`).
pub(crate) fn edit_url(contribute: &Contribute, path: &str) -> String {
    let (repo, branch, path) = (&contribute.repository, encode_path(&contribute.branch), encode_path(path));
    match contribute.host {
        Host::GitHub => format!("{repo}/edit/{branch}/{path}"),
        Host::GitLab => format!("{repo}/-/edit/{branch}/{path}"),
        Host::Gitea => format!("{repo}/_edit/{branch}/{path}"),
    }
}

/// The address that proposes a new file at `path` with `text`: the host's new-file editor
/// where it takes prefilled text, else its new-issue form with `title`, and `intro` (a
/// sentence asking for the file, in the page's language) above the stub.
pub(crate) fn new_file_url(contribute: &Contribute, path: &str, text: &str, title: &str, intro: &str) -> String {
    let repo = &contribute.repository;
    let branch = encode_path(&contribute.branch);
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let (folder, name, value) = (encode_path(folder), query(name), query(text));
    match contribute.host {
        Host::GitHub => format!("{repo}/new/{branch}/{folder}?filename={name}&value={value}"),
        Host::Gitea => format!("{repo}/_new/{branch}/{folder}?filename={name}&value={value}"),
        Host::GitLab => {
            let body = format!("{intro}\n\n```markdown\n{text}```\n");
            new_issue_url(contribute, title, &body)
        }
    }
}

/// The address of the host's new-issue form with a title and a body filled in.
pub(crate) fn new_issue_url(contribute: &Contribute, title: &str, body: &str) -> String {
    let repo = &contribute.repository;
    let (title, body) = (query(title), query(body));
    match contribute.host {
        Host::GitHub | Host::Gitea => format!("{repo}/issues/new?title={title}&body={body}"),
        Host::GitLab => format!("{repo}/-/issues/new?issue%5Btitle%5D={title}&issue%5Bdescription%5D={body}"),
    }
}

/// A query-string value, percent-encoded (spaces as `+`).
fn query(value: &str) -> String {
    byte_serialize(value.as_bytes()).collect()
}

/// A path, each segment percent-encoded and the `/` between them kept.
fn encode_path(path: &str) -> String {
    path.split('/').map(|segment| query(segment).replace('+', "%20")).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contribute(host: Host) -> Contribute {
        Contribute { repository: "https://git.example.com/service/playbook".into(), host, branch: "main".into() }
    }

    #[test]
    fn edit_urls_follow_each_host() {
        let path = "content/touchpoints/late-invoice.md";
        assert_eq!(
            edit_url(&contribute(Host::GitHub), path),
            "https://git.example.com/service/playbook/edit/main/content/touchpoints/late-invoice.md"
        );
        assert_eq!(
            edit_url(&contribute(Host::GitLab), path),
            "https://git.example.com/service/playbook/-/edit/main/content/touchpoints/late-invoice.md"
        );
        assert_eq!(
            edit_url(&contribute(Host::Gitea), path),
            "https://git.example.com/service/playbook/_edit/main/content/touchpoints/late-invoice.md"
        );
    }

    #[test]
    fn new_files_carry_name_and_text_or_fall_back_to_an_issue() {
        let (path, text) = ("content/practices/a b.md", "+++\ntitle = \"A & B\"\n+++\n");
        let github = url::Url::parse(&new_file_url(&contribute(Host::GitHub), path, text, "T", "I")).unwrap();
        assert_eq!(github.path(), "/service/playbook/new/main/content/practices");
        let pairs: Vec<(String, String)> = github.query_pairs().into_owned().collect();
        assert_eq!(pairs, [("filename".into(), "a b.md".into()), ("value".into(), text.into())]);

        let gitea = url::Url::parse(&new_file_url(&contribute(Host::Gitea), path, text, "T", "I")).unwrap();
        assert_eq!(gitea.path(), "/service/playbook/_new/main/content/practices");

        let gitlab = url::Url::parse(&new_file_url(&contribute(Host::GitLab), path, text, "Title", "Add it")).unwrap();
        assert_eq!(gitlab.path(), "/service/playbook/-/issues/new");
        let pairs: Vec<(String, String)> = gitlab.query_pairs().into_owned().collect();
        assert_eq!(pairs[0], ("issue[title]".into(), "Title".into()));
        assert!(pairs[1].1.contains(text), "the stub is in the issue body: {pairs:?}");
    }
}
