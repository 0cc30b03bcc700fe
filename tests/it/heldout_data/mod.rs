//! A held-out playbook (`tests/fixtures/heldout-data`) with exports as help desks write them:
//! other file names, a BOM, CRLF, semicolons and decimal commas, quoted texts with separators and
//! line breaks, extra columns, column-name variants, division rows by id and by name, months with
//! gaps, more than 12 months, and several rows of one touch point and month across categories and
//! files.
//!
//! Every expectation is worked out from the fixture's CSV rows by a plain reading of them
//! (`oracle`, with the fixture's own categories written out as a table), never copied from
//! touchbook's output: the window, contacts, shares and frequencies, every number of the charts
//! and the table, the newest comments, the promise ranking, the rollouts' before and since per
//! division, and `touchpoints.json` (`pages`); every bad row and warning at its place, and
//! exports as tools write them (`problems`).

mod oracle;
mod pages;
mod problems;
