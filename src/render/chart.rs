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
pub struct Point<'a> {
    pub label: &'a str,
    pub value: Option<f64>,
}

/// The frame of a chart: plot area, axis labels and month labels.
fn frame(kind: &str, points: &[Point<'_>], axis: &[(f64, String)], y: impl Fn(f64) -> f64) -> String {
    let mut svg = format!(
        "<svg class=\"chart chart-of-{kind}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" aria-hidden=\"true\" focusable=\"false\">"
    );
    for (value, label) in axis {
        let at = y(*value);
        let _ = write!(
            svg,
            "<line class=\"chart-grid\" x1=\"{LEFT}\" x2=\"{WIDTH}\" y1=\"{at:.1}\" y2=\"{at:.1}\"></line><text class=\"chart-axis\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            LEFT - 4.0,
            at + 3.5,
            crate::markdown::escape(label)
        );
    }
    let slot = slot(points.len());
    for (i, point) in points.iter().enumerate() {
        let x = LEFT + slot * (i as f64 + 0.5);
        let _ = write!(
            svg,
            "<text class=\"chart-month\" x=\"{x:.1}\" y=\"{:.1}\">{}</text>",
            HEIGHT - 6.0,
            crate::markdown::escape(point.label)
        );
    }
    svg
}

fn slot(count: usize) -> f64 {
    (WIDTH - LEFT) / count.max(1) as f64
}

fn plot_height() -> f64 {
    HEIGHT - BOTTOM - TOP
}

/// Bars from zero, one per month (contact volumes); `format` writes the axis labels.
pub fn bars(points: &[Point<'_>], format: impl Fn(f64) -> String) -> String {
    let max = points.iter().filter_map(|p| p.value).fold(0.0, f64::max);
    let top = nice_ceiling(max);
    let y = |v: f64| TOP + plot_height() * (1.0 - v / top);
    let axis = [(0.0, format(0.0)), (top / 2.0, format(top / 2.0)), (top, format(top))];
    let mut svg = frame("bars", points, &axis, y);
    let slot = slot(points.len());
    for (i, point) in points.iter().enumerate() {
        let Some(value) = point.value else { continue };
        let height = plot_height() * value / top;
        let _ = write!(
            svg,
            "<rect class=\"chart-bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\"></rect>",
            LEFT + slot * i as f64 + slot * 0.2,
            y(value),
            slot * 0.6
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A line between the months that have a value, broken where one has none, on a fixed scale
/// from `low` to `high` (satisfaction); `format` writes the axis labels.
pub fn line(points: &[Point<'_>], low: f64, high: f64, format: impl Fn(f64) -> String) -> String {
    let y = |v: f64| TOP + plot_height() * (1.0 - (v - low) / (high - low));
    let middle = (low + high) / 2.0;
    let axis = [(low, format(low)), (middle, format(middle)), (high, format(high))];
    let mut svg = frame("line", points, &axis, y);
    let slot = slot(points.len());
    let x = |i: usize| LEFT + slot * (i as f64 + 0.5);
    let mut run: Vec<String> = Vec::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for (i, point) in points.iter().enumerate() {
        match point.value {
            Some(value) => run.push(format!("{:.1},{:.1}", x(i), y(value))),
            None => runs.push(std::mem::take(&mut run)),
        }
    }
    runs.push(run);
    for run in runs.iter().filter(|r| r.len() > 1) {
        let _ = write!(svg, "<polyline class=\"chart-line\" points=\"{}\"></polyline>", run.join(" "));
    }
    for (i, point) in points.iter().enumerate() {
        if let Some(value) = point.value {
            let _ =
                write!(svg, "<circle class=\"chart-dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"></circle>", x(i), y(value));
        }
    }
    svg.push_str("</svg>");
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
