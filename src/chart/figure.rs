//! A chart as data: axes, marks in the axes' units, a legend, a note. Every chart is a
//! [`Figure`] drawn by the one routine of [`super::draw`], so plotters is instantiated
//! once for all of them.

/// A colour of the palette. Each is a fixed light-theme colour in the SVG (so a
/// downloaded file stands alone); the page's stylesheet maps it to a `--chart-…`
/// custom property so the inline chart follows the theme (`styles/main.css`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// Text: the title, the legend. `--chart-fg`
    Fg,
    /// Axes, tick labels, axis titles. `--chart-muted`
    Muted,
    /// Grid lines. `--chart-grid`
    Grid,
    /// The background. `--chart-bg`
    Bg,
    /// Series colours, `--chart-1` … `--chart-6`.
    C1,
    C2,
    C3,
    C4,
    C5,
    C6,
}

impl Colour {
    pub const ALL: [Colour; 10] =
        [Colour::Fg, Colour::Muted, Colour::Grid, Colour::Bg, Colour::C1, Colour::C2, Colour::C3, Colour::C4, Colour::C5, Colour::C6];

    /// The light-theme colour.
    pub fn rgb(self) -> (u8, u8, u8) {
        match self {
            Colour::Fg => (0x1b, 0x1f, 0x24),
            Colour::Muted => (0x4d, 0x56, 0x61),
            Colour::Grid => (0xdd, 0xe1, 0xe6),
            Colour::Bg => (0xff, 0xff, 0xff),
            Colour::C1 => (0x1f, 0x5f, 0xa8),
            Colour::C2 => (0xc2, 0x41, 0x0c),
            Colour::C3 => (0x1e, 0x7b, 0x34),
            Colour::C4 => (0x7b, 0x3f, 0xb8),
            Colour::C5 => (0xa1, 0x62, 0x07),
            Colour::C6 => (0x0e, 0x74, 0x90),
        }
    }

    /// `#RRGGBB` as it stands in the SVG: [`Colour::rgb`] in upper-case hex (a test
    /// checks they agree).
    pub fn hex(self) -> &'static str {
        match self {
            Colour::Fg => "#1B1F24",
            Colour::Muted => "#4D5661",
            Colour::Grid => "#DDE1E6",
            Colour::Bg => "#FFFFFF",
            Colour::C1 => "#1F5FA8",
            Colour::C2 => "#C2410C",
            Colour::C3 => "#1E7B34",
            Colour::C4 => "#7B3FB8",
            Colour::C5 => "#A16207",
            Colour::C6 => "#0E7490",
        }
    }

    /// The CSS custom property the page maps this colour to.
    pub fn var(self) -> &'static str {
        match self {
            Colour::Fg => "--chart-fg",
            Colour::Muted => "--chart-muted",
            Colour::Grid => "--chart-grid",
            Colour::Bg => "--chart-bg",
            Colour::C1 => "--chart-1",
            Colour::C2 => "--chart-2",
            Colour::C3 => "--chart-3",
            Colour::C4 => "--chart-4",
            Colour::C5 => "--chart-5",
            Colour::C6 => "--chart-6",
        }
    }
}

/// One axis: its title with the unit, its range, and whether it has numbered ticks
/// (a bar chart's category axis has none: its bars are named in the plot).
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub title: String,
    pub min: f64,
    pub max: f64,
    pub ticks: bool,
}

impl Axis {
    /// A numbered axis over `min..max`; a range that is empty, reversed or not finite
    /// becomes one that is (0..1 at worst), so no NaN reaches the SVG.
    pub fn new(title: impl Into<String>, min: f64, max: f64) -> Axis {
        let min = if min.is_finite() { min } else { 0.0 };
        let max = if max.is_finite() && max > min { max } else { min + min.abs().max(1.0) };
        Axis { title: title.into(), min, max, ticks: true }
    }

    /// An axis of named bars: no ticks, `n` bars at 0, 1, … from the top.
    pub fn bars(n: usize) -> Axis {
        Axis { title: String::new(), min: -0.6, max: n.max(1) as f64 - 0.4, ticks: false }
    }

    fn contains(&self, v: f64) -> bool {
        let slack = (self.max - self.min) * 1e-9;
        v >= self.min - slack && v <= self.max + slack
    }
}

/// What a mark draws, in the axes' units.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A polyline (cut where it leaves the axes).
    Line { points: Vec<(f64, f64)>, dashed: bool },
    /// A dot at each point.
    Dots { points: Vec<(f64, f64)>, radius: u32 },
    /// Filled rectangles `[x0, y0, x1, y1]`.
    Bars(Vec<[f64; 4]>),
    /// Text starting just right of and above each point.
    Labels(Vec<(f64, f64, String)>),
}

/// A series or a reference line: a shape, its colour and its legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub shape: Shape,
    pub colour: Colour,
    /// The legend entry; None for marks the legend does not list (labels).
    pub legend: Option<String>,
}

impl Mark {
    pub fn line(colour: Colour, legend: impl Into<String>, points: Vec<(f64, f64)>) -> Mark {
        Mark { shape: Shape::Line { points, dashed: false }, colour, legend: Some(legend.into()) }
    }

    pub fn dashed(colour: Colour, legend: impl Into<String>, points: Vec<(f64, f64)>) -> Mark {
        Mark { shape: Shape::Line { points, dashed: true }, colour, legend: Some(legend.into()) }
    }

    pub fn dots(colour: Colour, legend: impl Into<String>, radius: u32, points: Vec<(f64, f64)>) -> Mark {
        Mark { shape: Shape::Dots { points, radius }, colour, legend: Some(legend.into()) }
    }

    pub fn bars(colour: Colour, legend: impl Into<String>, bars: Vec<[f64; 4]>) -> Mark {
        Mark { shape: Shape::Bars(bars), colour, legend: Some(legend.into()) }
    }

    pub fn labels(colour: Colour, labels: Vec<(f64, f64, String)>) -> Mark {
        Mark { shape: Shape::Labels(labels), colour, legend: None }
    }

    /// A vertical reference line at `x` across the y axis.
    pub fn at_x(colour: Colour, legend: impl Into<String>, x: f64, y: &Axis) -> Mark {
        Mark::dashed(colour, legend, vec![(x, y.min), (x, y.max)])
    }

    /// A horizontal reference line at `y` across the x axis.
    pub fn at_y(colour: Colour, legend: impl Into<String>, y: f64, x: &Axis) -> Mark {
        Mark::dashed(colour, legend, vec![(x.min, y), (x.max, y)])
    }
}

/// A whole chart as data.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub title: String,
    pub x: Axis,
    pub y: Axis,
    pub marks: Vec<Mark>,
    /// Said in the middle of the plot, for a chart that has nothing to draw.
    pub note: Option<String>,
}

impl Figure {
    /// The mark whose legend entry starts with `legend` (for tests and summaries).
    pub fn mark(&self, legend: &str) -> Option<&Mark> {
        self.marks.iter().find(|m| m.legend.as_deref().is_some_and(|l| l.starts_with(legend)))
    }
}

/// The parts of a polyline inside the axes' box, each cut at the box's edges
/// (Liang–Barsky per segment); a point that is not finite breaks the line.
// Source: Liang & Barsky, "A new concept and method for line clipping", ACM TOG 3(1) 1984.
pub fn clip_line(points: &[(f64, f64)], x: &Axis, y: &Axis) -> Vec<Vec<(f64, f64)>> {
    let mut parts: Vec<Vec<(f64, f64)>> = vec![];
    let mut open = false;
    for w in points.windows(2) {
        match clip_segment(w[0], w[1], x, y) {
            Some((a, b)) => {
                let joined = open && parts.last().and_then(|p| p.last()) == Some(&a);
                if !joined {
                    parts.push(vec![a]);
                }
                if let Some(p) = parts.last_mut() {
                    p.push(b);
                }
                // The segment continues the line only if it was not cut at its end.
                open = b == w[1];
            }
            None => open = false,
        }
    }
    if points.len() == 1 && inside(points[0], x, y) {
        parts.push(vec![points[0]]);
    }
    parts
}

fn clip_segment(a: (f64, f64), b: (f64, f64), x: &Axis, y: &Axis) -> Option<((f64, f64), (f64, f64))> {
    if ![a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
        return None;
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [(-dx, a.0 - x.min), (dx, x.max - a.0), (-dy, a.1 - y.min), (dy, y.max - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| if t == 0.0 { a } else if t == 1.0 { b } else { (a.0 + t * dx, a.1 + t * dy) };
    Some((at(t0), at(t1)))
}

/// Whether a point is inside the axes' box (and finite).
pub fn inside(p: (f64, f64), x: &Axis, y: &Axis) -> bool {
    x.contains(p.0) && y.contains(p.1)
}

/// A bar cut to the axes' box; None when nothing of it is inside or it is not finite.
pub fn clip_bar(b: [f64; 4], x: &Axis, y: &Axis) -> Option<[f64; 4]> {
    if !b.iter().all(|v| v.is_finite()) {
        return None;
    }
    let (x0, x1) = (b[0].min(b[2]).max(x.min), b[0].max(b[2]).min(x.max));
    let (y0, y1) = (b[1].min(b[3]).max(y.min), b[1].max(b[3]).min(y.max));
    (x0 <= x1 && y0 <= y1).then_some([x0, y0, x1, y1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit() -> Axis {
        Axis::new("", 0.0, 1.0)
    }

    #[test]
    fn a_line_leaving_the_box_is_cut_at_its_edge() {
        let parts = clip_line(&[(0.0, 0.0), (0.5, 0.5), (1.0, 2.0)], &unit(), &unit());
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0][..2], [(0.0, 0.0), (0.5, 0.5)]);
        let end = parts[0][2];
        assert!((end.1 - 1.0).abs() < 1e-12 && (end.0 - 2.0 / 3.0).abs() < 1e-12, "{end:?}");
    }

    #[test]
    fn a_line_that_leaves_and_comes_back_is_two_lines() {
        let parts = clip_line(&[(0.0, 0.5), (0.5, 3.0), (1.0, 0.5)], &unit(), &unit());
        assert_eq!(parts.len(), 2);
    }

    #[test]
    fn nan_and_infinity_never_reach_a_line() {
        let parts = clip_line(&[(0.0, 0.0), (f64::NAN, 0.5), (0.5, f64::INFINITY), (0.6, 0.6), (0.7, 0.7)], &unit(), &unit());
        assert_eq!(parts, vec![vec![(0.6, 0.6), (0.7, 0.7)]]);
    }

    #[test]
    fn an_empty_or_broken_range_becomes_a_usable_one() {
        let a = Axis::new("", f64::NAN, f64::INFINITY);
        assert_eq!((a.min, a.max), (0.0, 1.0));
        let a = Axis::new("", 5.0, 5.0);
        assert_eq!((a.min, a.max), (5.0, 10.0));
    }

    #[test]
    fn each_colours_hex_is_its_rgb() {
        for c in Colour::ALL {
            let (r, g, b) = c.rgb();
            assert_eq!(c.hex(), format!("#{r:02X}{g:02X}{b:02X}"), "{c:?}");
        }
    }

    #[test]
    fn bars_are_cut_to_the_box() {
        assert_eq!(clip_bar([-1.0, 0.2, 3.0, 0.4], &unit(), &unit()), Some([0.0, 0.2, 1.0, 0.4]));
        assert_eq!(clip_bar([2.0, 0.2, 3.0, 0.4], &unit(), &unit()), None);
        assert_eq!(clip_bar([0.0, 0.2, f64::NAN, 0.4], &unit(), &unit()), None);
    }
}
