//! The one drawing routine: a [`Figure`] into an SVG string with plotters. plotters is
//! generic over coordinates and elements, so every chart goes through here with the
//! same types (f64 axes, and marks mapped to pixels and drawn on the root area as
//! paths, rectangles, circles and text), and its code is in the wasm once.
//!
//! The title and the legend are drawn here rather than with plotters' caption and
//! series labels: those measure text, which plotters does in the browser by laying out
//! a DOM element per string. Nothing here measures text; widths are estimated.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figure::{clip_bar, clip_line, inside, Axis, Colour, Figure, Mark, Shape};
use super::{format, SIZE};

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Failed<'a> = DrawingAreaErrorKind<<SVGBackend<'a> as DrawingBackend>::ErrorType>;

const MARGIN: i32 = 12;
const TITLE_PX: f64 = 20.0;
const TEXT_PX: f64 = 15.0;
const LEGEND_ROW: i32 = 19;
/// Estimated width of a legend character at [`TEXT_PX`]: plotters writes font sizes
/// ÷ 1.24, so 12.1 px, and sans-serif averages ~0.55 em.
const CHAR_PX: f64 = 6.3;
/// The legend's key: a line or a swatch this wide, then the text.
const KEY_PX: i32 = 22;
/// plotters draws no dashes: a dashed line is drawn this wide, a width nothing else
/// has, and [`render`] turns the width into a 2 px dash pattern.
const DASHED_WIDTH: u32 = 3;

fn rgb(c: Colour) -> RGBColor {
    let (r, g, b) = c.rgb();
    RGBColor(r, g, b)
}

fn text(size: f64, colour: Colour, h: HPos, v: VPos) -> TextStyle<'static> {
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal).color(&rgb(colour)).pos(Pos::new(h, v))
}

/// The figure as a standalone SVG document, `SIZE` px. A drawing error leaves a partial
/// chart; it never panics.
pub fn render(fig: &Figure) -> String {
    let mut svg = String::with_capacity(24 * 1024);
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let _ = draw(&root, fig);
        let _ = root.present();
    }
    svg.replace(DASHED, "stroke-width=\"2\" stroke-dasharray=\"6 4\"")
}

const DASHED: &str = "stroke-width=\"3\"";

fn draw<'a>(root: &Area<'a>, fig: &Figure) -> Result<(), Failed<'a>> {
    root.fill(&rgb(Colour::Bg))?;
    let title = FontDesc::new(FontFamily::SansSerif, TITLE_PX, FontStyle::Bold).color(&rgb(Colour::Fg));
    root.draw(&Text::new(fig.title.clone(), (MARGIN, MARGIN), title.pos(Pos::new(HPos::Left, VPos::Top))))?;
    let legend_top = MARGIN + TITLE_PX as i32 + 8;
    let rows = legend(root, fig, legend_top)?;
    let top = legend_top + rows * LEGEND_ROW + 4;
    let area = root.margin(top, 4, 4, MARGIN);

    let (x, y) = (&fig.x, &fig.y);
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(44)
        .y_label_area_size(if y.ticks { 62 } else { 8 })
        .build_cartesian_2d(x.min..x.max, y.min..y.max)?;
    let (x_max, y_max) = (x.min.abs().max(x.max.abs()), y.min.abs().max(y.max.abs()));
    let (x_label, y_label) = (|v: &f64| format::tick(*v, x_max), |v: &f64| format::tick(*v, y_max));
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(8)
        .y_labels(if y.ticks { 6 } else { 0 })
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_desc(x.title.as_str())
        .y_desc(y.title.as_str())
        .axis_desc_style(text(TEXT_PX, Colour::Muted, HPos::Center, VPos::Center))
        .label_style(text(14.0, Colour::Muted, HPos::Center, VPos::Center))
        .max_light_lines(0)
        .set_all_tick_mark_size(0)
        .bold_line_style(rgb(Colour::Grid))
        .axis_style(rgb(Colour::Muted));
    if !y.ticks {
        mesh.disable_y_mesh();
    }
    mesh.draw()?;

    let at = |p: (f64, f64)| chart.backend_coord(&p);
    for mark in &fig.marks {
        draw_mark(root, mark, x, y, &at)?;
    }
    if let Some(note) = &fig.note {
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let c = ((xs.start + xs.end) / 2, (ys.start + ys.end) / 2);
        root.draw(&Text::new(note.clone(), c, text(18.0, Colour::Fg, HPos::Center, VPos::Center)))?;
    }
    Ok(())
}

fn draw_mark<'a>(root: &Area<'a>, mark: &Mark, x: &Axis, y: &Axis, at: &dyn Fn((f64, f64)) -> (i32, i32)) -> Result<(), Failed<'a>> {
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

/// A polyline; a dashed one is drawn [`DASHED_WIDTH`] wide and made dashed in the text.
fn path<'a>(root: &Area<'a>, px: Vec<(i32, i32)>, colour: RGBColor, dashed: bool) -> Result<(), Failed<'a>> {
    root.draw(&PathElement::new(px, colour.stroke_width(if dashed { DASHED_WIDTH } else { 2 })))
}

/// The legend in rows under the title: a key drawn like the mark, then its text.
/// Returns the rows it took.
fn legend<'a>(root: &Area<'a>, fig: &Figure, top: i32) -> Result<i32, Failed<'a>> {
    let right = SIZE.0 as i32 - MARGIN;
    let (mut x, mut row) = (MARGIN, 0);
    for mark in &fig.marks {
        let Some(label) = &mark.legend else { continue };
        let width = KEY_PX + 6 + (label.chars().count() as f64 * CHAR_PX) as i32;
        if x > MARGIN && x + width > right {
            (x, row) = (MARGIN, row + 1);
        }
        let cy = top + row * LEGEND_ROW + LEGEND_ROW / 2;
        let colour = rgb(mark.colour);
        match &mark.shape {
            Shape::Line { dashed, .. } => path(root, vec![(x, cy), (x + KEY_PX - 2, cy)], colour, *dashed)?,
            Shape::Dots { .. } => root.draw(&Circle::new((x + KEY_PX / 2 - 1, cy), 5, colour.filled()))?,
            Shape::Bars(_) | Shape::Labels(_) => root.draw(&Rectangle::new([(x + 3, cy - 6), (x + KEY_PX - 5, cy + 6)], colour.filled()))?,
        }
        root.draw(&Text::new(label.clone(), (x + KEY_PX + 4, cy), text(TEXT_PX, Colour::Fg, HPos::Left, VPos::Center)))?;
        x += width + 14;
    }
    Ok(if x > MARGIN { row + 1 } else { row })
}
