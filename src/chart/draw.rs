//! The one drawing routine: a [`Figure`] into [`Prim`]s, drawn by plotters onto our
//! [`Recorder`]. plotters is generic over coordinates and elements, so every chart goes
//! through here with the same few types (paths, rectangles, circles and text in pixels
//! on the root area), and its code is in the wasm once.
//!
//! The axes, title and legend are laid out here rather than by plotters' chart builder,
//! mesh, caption and series labels: those cost about 9 KB of wasm for what a dozen
//! lines do, and measure text, which plotters does in the browser by laying out a DOM
//! element per string. Nothing here measures text; widths are estimated.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figure::{clip_bar, clip_line, inside, Axis, Colour, Figure, Mark, Shape};
use super::record::{Dashed, Layer, Part, Recorder, Unsupported};
use super::{format, SIZE};

type Area<'a> = DrawingArea<Recorder<'a>, Shift>;
type Failed = DrawingAreaErrorKind<Unsupported>;

const MARGIN: i32 = 12;
const TITLE_PX: f64 = 20.0;
const TEXT_PX: f64 = 15.0;
const TICK_PX: f64 = 14.0;
const LEGEND_ROW: i32 = 19;
/// Estimated width of a legend character at [`TEXT_PX`]: plotters writes font sizes
/// ÷ 1.24, so 12.1 px, and sans-serif averages ~0.55 em.
const CHAR_PX: f64 = 6.3;
/// The legend's key: a line or a swatch this wide, then the text.
const KEY_PX: i32 = 22;

fn rgb(c: Colour) -> RGBColor {
    let (r, g, b) = c.rgb();
    RGBColor(r, g, b)
}

fn text(size: f64, colour: Colour, h: HPos, v: VPos) -> TextStyle<'static> {
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal).color(&rgb(colour)).pos(Pos::new(h, v))
}

/// What the figure is drawn as, part by part in drawing order, on a canvas of `SIZE`
/// px. A drawing error leaves a part unfinished; it never panics.
pub fn render(fig: &Figure) -> Vec<Layer> {
    let mut layers = Layers(Vec::with_capacity(8 + 2 * fig.marks.len()));
    draw(&mut layers, fig);
    layers.0
}

/// The parts drawn so far.
struct Layers(Vec<Layer>);

impl Layers {
    /// Draws one part on a canvas of its own (the chart's size), kept unless empty.
    fn draw<T: Default>(&mut self, part: Part, f: impl FnOnce(&Area<'_>) -> Result<T, Failed>) -> T {
        let mut prims = Vec::new();
        let out = f(&Recorder::new(&mut prims, SIZE).into_drawing_area()).unwrap_or_default();
        if !prims.is_empty() {
            self.0.push(Layer { part, prims: prims.into() });
        }
        out
    }
}

/// Where the plot goes on the canvas, px, and how data maps onto it.
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    x: (f64, f64),
    y: (f64, f64),
}

impl Plot {
    fn at(&self, (x, y): (f64, f64)) -> (i32, i32) {
        let px = self.left + (x - self.x.0) / (self.x.1 - self.x.0) * (self.right - self.left);
        let py = self.bottom - (y - self.y.0) / (self.y.1 - self.y.0) * (self.bottom - self.top);
        (px.round() as i32, py.round() as i32)
    }
}

/// Ticks at round values (1, 2, 2.5 or 5 × a power of ten) across `min..max`, at most
/// `most` of them, and the decimals their labels need.
pub fn ticks(min: f64, max: f64, most: usize) -> (Vec<f64>, usize) {
    let span = max - min;
    if !(span > 0.0 && span.is_finite()) || most == 0 {
        return (vec![], 0);
    }
    let raw = span / most as f64;
    let mut power = 1.0_f64;
    while power * 10.0 <= raw {
        power *= 10.0;
    }
    while power > raw {
        power /= 10.0;
    }
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * power).find(|&s| span / s <= most as f64).unwrap_or(10.0 * power);
    let mut decimals = 0;
    while decimals < 6 && ((step * 10f64.powi(decimals as i32)).round() - step * 10f64.powi(decimals as i32)).abs() > 1e-6 {
        decimals += 1;
    }
    let first = (min / step).ceil();
    let values = (0..=most + 1).map(|i| (first + i as f64) * step).take_while(|&v| v <= max + step * 1e-9).collect();
    (values, decimals)
}

fn draw(layers: &mut Layers, fig: &Figure) {
    let (w, h) = (SIZE.0 as i32, SIZE.1 as i32);
    layers.draw(Part::Frame, |root| {
        root.fill(&rgb(Colour::Bg))?;
        let title = FontDesc::new(FontFamily::SansSerif, TITLE_PX, FontStyle::Bold).color(&rgb(Colour::Fg));
        root.draw(&Text::new(fig.title.clone(), (MARGIN, MARGIN), title.pos(Pos::new(HPos::Left, VPos::Top))))
    });
    let legend_top = MARGIN + TITLE_PX as i32 + 8;
    let rows = legend(layers, fig, legend_top);
    let (x, y) = (&fig.x, &fig.y);
    let plot = Plot {
        left: f64::from(MARGIN + if y.ticks { 60 } else { 4 }),
        right: f64::from(w - MARGIN - 8),
        top: f64::from(legend_top + rows * LEGEND_ROW + 12),
        bottom: f64::from(h - 44),
        x: (x.min, x.max),
        y: (y.min, y.max),
    };
    axes(layers, &plot, x, y);
    for (i, mark) in fig.marks.iter().enumerate() {
        layers.draw(Part::Mark(i), |root| draw_mark(root, mark, x, y, &|p| plot.at(p)));
    }
    if let Some(note) = &fig.note {
        let c = (((plot.left + plot.right) / 2.0) as i32, ((plot.top + plot.bottom) / 2.0) as i32);
        layers.draw(Part::Note, |root| root.draw(&Text::new(note.clone(), c, text(18.0, Colour::Fg, HPos::Center, VPos::Center))));
    }
}

/// Grid lines and labels at the ticks, the axis lines, the axes' titles.
fn axes(layers: &mut Layers, plot: &Plot, x: &Axis, y: &Axis) {
    let (left, right, top, bottom) = (plot.left as i32, plot.right as i32, plot.top as i32, plot.bottom as i32);
    let label = |v: f64, decimals: usize, axis: &Axis| format::tick(v, decimals, axis.min.abs().max(axis.max.abs()));
    layers.draw(Part::XTicks, |root| {
        let (xs, x_decimals) = ticks(x.min, x.max, 8);
        for v in xs {
            let (px, _) = plot.at((v, y.min));
            root.draw(&PathElement::new(vec![(px, top), (px, bottom)], rgb(Colour::Grid)))?;
            root.draw(&Text::new(label(v, x_decimals, x), (px, bottom + 6), text(TICK_PX, Colour::Muted, HPos::Center, VPos::Top)))?;
        }
        Ok(())
    });
    if y.ticks {
        layers.draw(Part::YTicks, |root| {
            let (ys, y_decimals) = ticks(y.min, y.max, 6);
            for v in ys {
                let (_, py) = plot.at((x.min, v));
                root.draw(&PathElement::new(vec![(left, py), (right, py)], rgb(Colour::Grid)))?;
                root.draw(&Text::new(label(v, y_decimals, y), (left - 6, py), text(TICK_PX, Colour::Muted, HPos::Right, VPos::Center)))?;
            }
            Ok(())
        });
    }
    layers.draw(Part::Axes, |root| {
        root.draw(&PathElement::new(vec![(left, top), (left, bottom), (right, bottom)], rgb(Colour::Muted)))?;
        let h = SIZE.1 as i32;
        root.draw(&Text::new(x.title.clone(), ((left + right) / 2, h - 8), text(TEXT_PX, Colour::Muted, HPos::Center, VPos::Bottom)))?;
        if !y.title.is_empty() {
            let style = text(TEXT_PX, Colour::Muted, HPos::Center, VPos::Top).transform(FontTransform::Rotate270);
            root.draw(&Text::new(y.title.clone(), (MARGIN - 8, (top + bottom) / 2), style))?;
        }
        Ok(())
    });
}

fn draw_mark(root: &Area<'_>, mark: &Mark, x: &Axis, y: &Axis, at: &dyn Fn((f64, f64)) -> (i32, i32)) -> Result<(), Failed> {
    let colour = rgb(mark.colour);
    match &mark.shape {
        Shape::Line { points, dashed } => {
            for part in clip_line(points, x, y) {
                let px: Vec<(i32, i32)> = part.into_iter().map(at).collect();
                path(root, px, colour, *dashed)?;
            }
        }
        Shape::Dots { points, radius } => {
            for &p in points.iter().filter(|&&p| inside(p, x, y)) {
                root.draw(&Circle::new(at(p), *radius as i32, colour.filled()))?;
                root.draw(&Circle::new(at(p), *radius as i32, rgb(Colour::Bg).stroke_width(1)))?;
            }
        }
        Shape::Bars(bars) => {
            for b in bars.iter().filter_map(|&b| clip_bar(b, x, y)) {
                root.draw(&Rectangle::new([at((b[0], b[3])), at((b[2], b[1]))], colour.filled()))?;
            }
        }
        Shape::Labels(labels) => {
            for (lx, ly, s) in labels.iter().filter(|l| inside((l.0, l.1), x, y)) {
                let (px, py) = at((*lx, *ly));
                root.draw(&Text::new(s.clone(), (px + 6, py - 6), text(TEXT_PX, mark.colour, HPos::Left, VPos::Bottom)))?;
            }
        }
    }
    Ok(())
}

/// A polyline, 2 px wide.
fn path(root: &Area<'_>, points: Vec<(i32, i32)>, colour: RGBColor, dashed: bool) -> Result<(), Failed> {
    let style = colour.stroke_width(2);
    if dashed {
        root.draw(&Dashed { points, style })
    } else {
        root.draw(&PathElement::new(points, style))
    }
}

/// The legend in rows under the title, an entry a part: a key drawn like the mark, then
/// its text. Returns the rows it took.
fn legend(layers: &mut Layers, fig: &Figure, top: i32) -> i32 {
    let right = SIZE.0 as i32 - MARGIN;
    let (mut x, mut row) = (MARGIN, 0);
    for (i, mark) in fig.marks.iter().enumerate() {
        let Some(label) = &mark.legend else { continue };
        let width = KEY_PX + 6 + (label.chars().count() as f64 * CHAR_PX) as i32;
        if x > MARGIN && x + width > right {
            (x, row) = (MARGIN, row + 1);
        }
        let cy = top + row * LEGEND_ROW + LEGEND_ROW / 2;
        let colour = rgb(mark.colour);
        layers.draw(Part::Legend(i), |root| {
            match &mark.shape {
                Shape::Line { dashed, .. } => path(root, vec![(x, cy), (x + KEY_PX - 2, cy)], colour, *dashed)?,
                Shape::Dots { .. } => root.draw(&Circle::new((x + KEY_PX / 2 - 1, cy), 5, colour.filled()))?,
                Shape::Bars(_) | Shape::Labels(_) => root.draw(&Rectangle::new([(x + 3, cy - 6), (x + KEY_PX - 5, cy + 6)], colour.filled()))?,
            }
            root.draw(&Text::new(label.clone(), (x + KEY_PX + 4, cy), text(TEXT_PX, Colour::Fg, HPos::Left, VPos::Center)))
        });
        x += width + 14;
    }
    if x > MARGIN { row + 1 } else { row }
}

#[cfg(test)]
mod tests {
    use super::ticks;

    #[test]
    fn ticks_fall_on_round_values_inside_the_range() {
        assert_eq!(ticks(0.0, 64.0, 8), (vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0], 0));
        assert_eq!(ticks(0.0, 1.25, 6), (vec![0.0, 0.25, 0.5, 0.75, 1.0, 1.25], 2));
        let (t, decimals) = ticks(-0.6, 0.6, 6);
        assert_eq!((t.iter().map(|v| (v * 10.0).round()).collect::<Vec<_>>(), decimals), (vec![-4.0, -2.0, 0.0, 2.0, 4.0, 6.0], 1));
        assert_eq!(ticks(0.0, 1.3e8, 8).0.len(), 7);
        assert!(ticks(0.0, f64::NAN, 8).0.is_empty());
        assert!(ticks(5.0, 5.0, 8).0.is_empty());
    }
}
