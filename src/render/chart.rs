//! Small SVG charts drawn at build time: no chart library goes to the browser.
//!
//! A chart is a picture of numbers a page also gives as a table (for screen readers and print),
//! so the SVG is `aria-hidden`. Its colours come from the theme's CSS classes; it uses only the
//! elements and attributes `html_policy` allows the theme.

use std::fmt::Write as _;

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 150.0;
/// Room under the plot for the month labels, and left of it for the axis labels.
const BOTTOM: f64 = 20.0;
const LEFT: f64 = 34.0;
const TOP: f64 = 8.0;

/// One month of a chart: its short label and its value, if it has one.
pub(super) struct Point<'a> {
    pub label: &'a str,
    pub value: Option<f64>,
}

/// A coordinate as the SVG writes it: whole units of a 360-wide picture are fine enough, and
/// short to write on thousands of pages.
fn n(x: f64) -> i64 {
    x.round() as i64
}

/// The frame of a chart: grid lines with their axis labels, and the month labels. Elements of
/// one kind share a group that carries their class, which keeps each chart small.
fn frame(kind: &str, points: &[Point<'_>], axis: &[(f64, String)], y: impl Fn(f64) -> f64) -> String {
    let mut svg = format!(
        "<svg class=\"chart chart-of-{kind}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" aria-hidden=\"true\" focusable=\"false\"><g class=\"chart-grid\">"
    );
    for (value, _) in axis {
        let at = n(y(*value));
        let _ = write!(svg, "<line x1=\"{LEFT}\" x2=\"{WIDTH}\" y1=\"{at}\" y2=\"{at}\"></line>");
    }
    svg.push_str("</g><g class=\"chart-axis\">");
    for (value, label) in axis {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            n(LEFT - 4.0),
            n(y(*value) + 3.5),
            crate::markdown::escape(label)
        );
    }
    svg.push_str("</g><g class=\"chart-month\">");
    let slot = slot(points.len());
    for (i, point) in points.iter().enumerate() {
        let x = n(LEFT + slot * (i as f64 + 0.5));
        let _ =
            write!(svg, "<text x=\"{x}\" y=\"{}\">{}</text>", n(HEIGHT - 6.0), crate::markdown::escape(point.label));
    }
    svg.push_str("</g>");
    svg
}

fn slot(count: usize) -> f64 {
    (WIDTH - LEFT) / count.max(1) as f64
}

fn plot_height() -> f64 {
    HEIGHT - BOTTOM - TOP
}

/// Bars from zero, one per month (contact volumes); `format` writes the axis labels.
pub(super) fn bars(points: &[Point<'_>], format: impl Fn(f64) -> String) -> String {
    let max = points.iter().filter_map(|p| p.value).fold(0.0, f64::max);
    let top = nice_ceiling(max);
    let y = |v: f64| TOP + plot_height() * (1.0 - v / top);
    let axis = [(0.0, format(0.0)), (top / 2.0, format(top / 2.0)), (top, format(top))];
    let mut svg = frame("bars", points, &axis, y);
    svg.push_str("<g class=\"chart-bar\">");
    let slot = slot(points.len());
    for (i, point) in points.iter().enumerate() {
        let Some(value) = point.value else { continue };
        let (top, bottom) = (n(y(value)), n(y(0.0)));
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{top}\" width=\"{}\" height=\"{}\"></rect>",
            n(LEFT + slot * i as f64 + slot * 0.2),
            n(slot * 0.6),
            bottom - top
        );
    }
    svg.push_str("</g></svg>");
    svg
}

/// A line between the months that have a value, broken where one has none, on a fixed scale
/// from `low` to `high` (satisfaction); `format` writes the axis labels.
pub(super) fn line(points: &[Point<'_>], low: f64, high: f64, format: impl Fn(f64) -> String) -> String {
    let y = |v: f64| TOP + plot_height() * (1.0 - (v - low) / (high - low));
    let middle = (low + high) / 2.0;
    let axis = [(low, format(low)), (middle, format(middle)), (high, format(high))];
    let mut svg = frame("line", points, &axis, y);
    let slot = slot(points.len());
    let x = |i: usize| n(LEFT + slot * (i as f64 + 0.5));
    let mut run: Vec<String> = Vec::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for (i, point) in points.iter().enumerate() {
        match point.value {
            Some(value) => run.push(format!("{},{}", x(i), n(y(value)))),
            None => runs.push(std::mem::take(&mut run)),
        }
    }
    runs.push(run);
    svg.push_str("<g class=\"chart-line\">");
    for run in runs.iter().filter(|r| r.len() > 1) {
        let _ = write!(svg, "<polyline points=\"{}\"></polyline>", run.join(" "));
    }
    svg.push_str("</g><g class=\"chart-dot\">");
    for (i, point) in points.iter().enumerate() {
        if let Some(value) = point.value {
            let _ = write!(svg, "<circle cx=\"{}\" cy=\"{}\" r=\"3\"></circle>", x(i), n(y(value)));
        }
    }
    svg.push_str("</g></svg>");
    svg
}

/// The smallest round number (1, 2 or 5 times a power of ten) at or above `value`: the top of a
/// bar chart's axis.
fn nice_ceiling(value: f64) -> f64 {
    if value <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|v| *v >= value).unwrap_or(10.0 * power)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_ceiling(1240.0), 2000.0);
        assert_eq!(nice_ceiling(3.0), 5.0);
        assert_eq!(nice_ceiling(100.0), 100.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
    }

    #[test]
    fn charts_keep_to_the_theme_allow_list() {
        let points = [
            Point { label: "Jan", value: Some(3.0) },
            Point { label: "Feb", value: None },
            Point { label: "<b>", value: Some(1.0) },
        ];
        for svg in [bars(&points, |v| v.to_string()), line(&points, 1.0, 5.0, |v| v.to_string())] {
            let page = format!("<!doctype html><html><body>{svg}</body></html>");
            assert_eq!(crate::html_policy::check_page(&page), Vec::<String>::new());
            assert!(!svg.contains("<b>"));
        }
    }
}
