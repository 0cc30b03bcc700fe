//! Small SVG charts drawn at build time: no chart library goes to the browser.
//!
//! A chart is a picture of numbers a page also gives as a table (for screen readers and print),
//! so the SVG is `aria-hidden`. Its colours come from the theme's CSS classes; it uses only the
//! elements and attributes `html_policy` allows the theme. Every touch point of an edition is
//! charted over the same months on the same frame, so [`Charts`] draws what they share once and
//! each chart adds only its own numbers: tens of thousands of pages carry one each.

use std::fmt::Write as _;

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 150.0;
/// Room under the plot for the month labels, and left of it for the axis labels.
const BOTTOM: f64 = 20.0;
const LEFT: f64 = 34.0;
const TOP: f64 = 8.0;

/// A coordinate as the SVG writes it: whole units of a 360-wide picture are fine enough, and
/// short to write on thousands of pages.
fn n(x: f64) -> i64 {
    x.round() as i64
}

/// Writes `<name a="1" b="2"/>`: the charts' elements are numbers in attributes, written
/// without the formatting machinery since a build writes millions of them.
fn element(out: &mut String, name: &str, attributes: &[(&str, i64)]) {
    let mut number = itoa::Buffer::new();
    out.push('<');
    out.push_str(name);
    for (attribute, value) in attributes {
        out.push(' ');
        out.push_str(attribute);
        out.push_str("=\"");
        out.push_str(number.format(*value));
        out.push('"');
    }
    out.push_str("/>");
}

fn plot_height() -> f64 {
    HEIGHT - BOTTOM - TOP
}

/// Where a value `share` of the way up the plot is drawn (0 at the bottom, 1 at the top).
fn y(share: f64) -> f64 {
    TOP + plot_height() * (1.0 - share)
}

/// The frame and months every chart of an edition shares, drawn once.
pub(super) struct Charts {
    /// The middle of each month's slot.
    xs: Vec<i64>,
    /// Each month's slot, which its bar fills the middle of.
    slot: f64,
    /// The start of a bar chart and of a line chart: the `svg` element, the grid lines at the
    /// bottom, middle and top of the plot, the month labels under it and the axis group.
    bars_open: String,
    line_open: String,
    /// The axis label elements, bottom to top, up to their text.
    axis_heads: [String; 3],
}

impl Charts {
    /// The frame for a chart of these months, labelled with their short names.
    pub(super) fn new(labels: &[&str]) -> Charts {
        let slot = (WIDTH - LEFT) / labels.len().max(1) as f64;
        let xs: Vec<i64> = (0..labels.len()).map(|i| n(LEFT + slot * (i as f64 + 0.5))).collect();
        let mut frame = String::from("<g class=\"chart-grid\">");
        for share in [0.0, 0.5, 1.0] {
            let at = n(y(share));
            element(&mut frame, "line", &[("x1", LEFT as i64), ("x2", WIDTH as i64), ("y1", at), ("y2", at)]);
        }
        frame.push_str("</g><g class=\"chart-month\">");
        for (x, label) in xs.iter().zip(labels) {
            let _ =
                write!(frame, "<text x=\"{x}\" y=\"{}\">{}</text>", n(HEIGHT - 6.0), crate::markdown::escape(label));
        }
        frame.push_str("</g><g class=\"chart-axis\">");
        let open = |kind: &str| {
            format!(
                "<svg class=\"chart chart-of-{kind}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" aria-hidden=\"true\" focusable=\"false\">{frame}"
            )
        };
        let axis_heads =
            [0.0, 0.5, 1.0].map(|share| format!("<text x=\"{}\" y=\"{}\">", n(LEFT - 4.0), n(y(share) + 3.5)));
        Charts { xs, slot, bars_open: open("bars"), line_open: open("line"), axis_heads }
    }

    /// The start of a chart: the frame, and `axis` labelling the bottom, middle and top lines.
    fn open(&self, out: &mut String, start: &str, axis: [&str; 3]) {
        out.push_str(start);
        for (head, label) in self.axis_heads.iter().zip(axis) {
            out.push_str(head);
            let _ = pulldown_cmark_escape::escape_html(&mut *out, label);
            out.push_str("</text>");
        }
        out.push_str("</g>");
    }

    /// Bars from zero to `top`, one per month that has a value (contact volumes); `axis` labels
    /// 0, half of `top` and `top`.
    pub(super) fn bars(&self, out: &mut String, values: &[Option<f64>], top: f64, axis: [&str; 3]) {
        self.open(out, &self.bars_open, axis);
        out.push_str("<g class=\"chart-bar\">");
        let (width, bottom) = (n(self.slot * 0.6), n(y(0.0)));
        for (i, value) in values.iter().enumerate().take(self.xs.len()) {
            let Some(value) = value else { continue };
            let top = n(y(value / top));
            let x = n(LEFT + self.slot * i as f64 + self.slot * 0.2);
            element(out, "rect", &[("x", x), ("y", top), ("width", width), ("height", bottom - top)]);
        }
        out.push_str("</g></svg>");
    }

    /// A line between the months that have a value, broken where one has none, with a dot on
    /// each, on a fixed scale from `low` to `high` (satisfaction) that `axis` labels.
    pub(super) fn line(&self, out: &mut String, values: &[Option<f64>], low: f64, high: f64, axis: [&str; 3]) {
        self.open(out, &self.line_open, axis);
        let at = |value: f64| n(y((value - low) / (high - low)));
        let points: Vec<Option<(i64, i64)>> =
            values.iter().zip(&self.xs).map(|(value, x)| value.map(|v| (*x, at(v)))).collect();
        out.push_str("<g class=\"chart-line\">");
        for run in points.split(Option::is_none).filter(|run| run.len() > 1) {
            let mut number = itoa::Buffer::new();
            out.push_str("<polyline points=\"");
            for (i, (x, y)) in run.iter().flatten().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(number.format(*x));
                out.push(',');
                out.push_str(number.format(*y));
            }
            out.push_str("\"/>");
        }
        out.push_str("</g><g class=\"chart-dot\">");
        for (x, y) in points.iter().flatten() {
            element(out, "circle", &[("cx", *x), ("cy", *y), ("r", 3)]);
        }
        out.push_str("</g></svg>");
    }
}

/// The smallest round number (1, 2 or 5 times a power of ten) at or above `value`: the top of a
/// bar chart's axis.
pub(super) fn nice_ceiling(value: f64) -> f64 {
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

    fn drawn(labels: &[&str], values: &[Option<f64>]) -> [String; 2] {
        let charts = Charts::new(labels);
        let (mut bars, mut line) = (String::new(), String::new());
        charts.bars(&mut bars, values, 5.0, ["0", "2.5", "5"]);
        charts.line(&mut line, values, 1.0, 5.0, ["1", "3", "5"]);
        [bars, line]
    }

    #[test]
    fn charts_keep_to_the_theme_allow_list() {
        for svg in drawn(&["Jan", "Feb", "<b>"], &[Some(3.0), None, Some(1.0)]) {
            let page = format!("<!doctype html><html><body>{svg}</body></html>");
            assert_eq!(crate::html_policy::check_page(&page), Vec::<String>::new());
            assert!(!svg.contains("<b>"));
        }
    }

    #[test]
    fn bars_and_dots_stand_where_their_values_are() {
        let [bars, line] = drawn(&["Jan", "Feb", "Mar", "Apr"], &[Some(5.0), None, Some(2.5), Some(1.0)]);
        let page = scraper::Html::parse_fragment(&format!("{bars}{line}"));
        let select = |css: &str, attribute: &str| -> Vec<i64> {
            let selector = scraper::Selector::parse(css).unwrap();
            page.select(&selector).map(|e| e.value().attr(attribute).unwrap().parse().unwrap()).collect()
        };
        // A full bar reaches the top line, half a bar half way; a month without a value has none.
        assert_eq!(select(".chart-bar rect", "height"), [122, 61, 24]);
        assert_eq!(select(".chart-bar rect", "y"), [8, 69, 106]);
        // On the 1–5 scale, 5 is at the top line and 1 at the bottom.
        assert_eq!(select(".chart-dot circle", "cy"), [8, 84, 130]);
        // The line breaks at the month without a value: of January alone no line is drawn.
        let line = scraper::Selector::parse(".chart-line polyline").unwrap();
        let pieces: Vec<&str> = page.select(&line).map(|e| e.value().attr("points").unwrap()).collect();
        assert_eq!(pieces, ["238,84 319,130"]);
    }
}
