//! What a chart is drawn as: a list of [`Prim`]s (polylines, rectangles, circles and
//! text in pixels), recorded by [`Recorder`], a plotters backend of our own. plotters
//! still does the drawing (its drawing area and elements); the list is then written as
//! a standalone SVG document ([`super::svg`]) or put into the page as elements, so an
//! edit changes only the attributes that moved.

use std::fmt;
use std::rc::Rc;

use plotters::element::{Drawable, PointCollection};
use plotters::style::{FontStyle, FontTransform, ShapeStyle};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};

use super::figure::Colour;

/// A part of a chart, drawn on its own: the page redraws only the parts that changed,
/// and a part that gains or loses an element does not shift the others.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub part: Part,
    pub prims: Rc<[Prim]>,
}

/// Which part of the chart a [`Layer`] is, in drawing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// The background and the title.
    Frame,
    /// The legend entry of the mark with this index.
    Legend(usize),
    /// The x axis's grid lines and tick labels.
    XTicks,
    /// The y axis's grid lines and tick labels.
    YTicks,
    /// The axis lines and the axes' titles.
    Axes,
    /// The mark with this index.
    Mark(usize),
    /// The note in the middle of the plot.
    Note,
}

impl Part {
    /// A number no other part of a chart has (the page's key for it).
    pub fn id(self) -> usize {
        match self {
            Part::Frame => 0,
            Part::XTicks => 1,
            Part::YTicks => 2,
            Part::Axes => 3,
            Part::Note => 4,
            Part::Legend(i) => 5 + 2 * i,
            Part::Mark(i) => 6 + 2 * i,
        }
    }
}

/// One thing drawn, in pixels of the chart's canvas.
#[derive(Debug, Clone, PartialEq)]
pub enum Prim {
    Line(Line),
    Rect(Rect),
    Circle(Circle),
    Text(Text),
}

/// A polyline.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub points: Vec<(i32, i32)>,
    pub colour: Colour,
    pub width: u32,
    /// Drawn in 6 px dashes with 4 px gaps (a reference line).
    pub dashed: bool,
}

/// A filled rectangle.
#[derive(Debug, Clone, PartialEq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
    pub colour: Colour,
}

/// A circle, filled or outlined.
#[derive(Debug, Clone, PartialEq)]
pub struct Circle {
    pub centre: (i32, i32),
    pub radius: u32,
    pub colour: Colour,
    /// None: filled; Some(width): an outline this wide.
    pub outline: Option<u32>,
}

/// A line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: String,
    pub at: (i32, i32),
    /// The font size as the drawing code gives it; [`Text::font_size`] is what is written.
    pub size: f64,
    pub colour: Colour,
    pub anchor: Anchor,
    pub baseline: Baseline,
    pub bold: bool,
    /// Clockwise, degrees: 0, 90, 180 or 270.
    pub rotate: u16,
}

/// Which end of the text is at its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// Which part of the text is at its position, vertically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    Top,
    Middle,
    Bottom,
}

/// The dash pattern of a dashed [`Line`]: 6 px dashes, 4 px gaps.
pub const DASHES: &str = "6 4";

impl Line {
    /// The `points` attribute: `x,y x,y …`.
    pub fn points_attr(&self) -> String {
        let mut s = String::with_capacity(self.points.len() * 8);
        for (i, (x, y)) in self.points.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            push_int(&mut s, *x);
            s.push(',');
            push_int(&mut s, *y);
        }
        s
    }
}

impl Text {
    /// The `font-size` attribute: plotters writes sizes ÷ 1.24 (its convention for the
    /// em box), and so do we, so the charts look as they did.
    pub fn font_size(&self) -> String {
        // To a thousandth of a pixel, in the page's own number writer.
        crate::model::figure::dec(self.size / 1.24, 3)
    }

    /// The `transform` attribute of rotated text.
    pub fn transform(&self) -> Option<String> {
        (self.rotate != 0).then(|| format!("rotate({}, {}, {})", self.rotate, self.at.0, self.at.1))
    }
}

impl Anchor {
    /// The `text-anchor` attribute.
    pub fn attr(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

impl Baseline {
    /// The `dy` attribute that puts this part of the text at its position (as plotters
    /// does: browsers differ in `dominant-baseline`).
    pub fn dy(self) -> &'static str {
        match self {
            Baseline::Top => "0.76em",
            Baseline::Middle => "0.5ex",
            Baseline::Bottom => "-0.5ex",
        }
    }
}

/// An integer in decimal ([`crate::model::decimal::push_whole`] after its sign).
pub fn push_int(s: &mut String, v: i32) {
    if v < 0 {
        s.push('-');
    }
    crate::model::decimal::push_whole(s, u64::from(v.unsigned_abs()));
}

/// An integer as a string (see [`push_int`]).
pub fn int(v: i32) -> String {
    let mut s = String::with_capacity(4);
    push_int(&mut s, v);
    s
}

/// What the recorder refuses: a colour that is not one of the palette's, fully opaque
/// (the stylesheet could not theme it), or a shape it has no primitive for.
#[derive(Debug)]
pub struct Unsupported(&'static str);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Unsupported {}

type Result = std::result::Result<(), DrawingErrorKind<Unsupported>>;

fn refuse(what: &'static str) -> Result {
    Err(DrawingErrorKind::DrawingError(Unsupported(what)))
}

fn colour(c: BackendColor) -> std::result::Result<Colour, DrawingErrorKind<Unsupported>> {
    Colour::ALL
        .into_iter()
        .find(|p| p.rgb() == c.rgb && c.alpha == 1.0)
        .ok_or(DrawingErrorKind::DrawingError(Unsupported("a colour outside the palette")))
}

/// A plotters backend that keeps what is drawn as [`Prim`]s, in a list it borrows.
pub struct Recorder<'a> {
    size: (u32, u32),
    prims: &'a mut Vec<Prim>,
}

impl<'a> Recorder<'a> {
    pub fn new(prims: &'a mut Vec<Prim>, size: (u32, u32)) -> Recorder<'a> {
        Recorder { size, prims }
    }

    fn line(&mut self, points: Vec<(i32, i32)>, style: &impl BackendStyle, dashed: bool) -> Result {
        let colour = colour(style.color())?;
        self.prims.push(Prim::Line(Line { points, colour, width: style.stroke_width(), dashed }));
        Ok(())
    }
}

impl DrawingBackend for Recorder<'_> {
    type ErrorType = Unsupported;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result {
        Ok(())
    }

    fn present(&mut self) -> Result {
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> Result {
        self.prims.push(Prim::Rect(Rect { x, y, width: 1, height: 1, colour: colour(color)? }));
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result {
        self.line(vec![from, to], style, false)
    }

    fn draw_rect<S: BackendStyle>(&mut self, (x0, y0): BackendCoord, (x1, y1): BackendCoord, style: &S, fill: bool) -> Result {
        if !fill {
            return self.line(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)], style, false);
        }
        let colour = colour(style.color())?;
        self.prims.push(Prim::Rect(Rect { x: x0, y: y0, width: x1 - x0, height: y1 - y0, colour }));
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Result {
        self.line(path.into_iter().collect(), style, false)
    }

    fn draw_circle<S: BackendStyle>(&mut self, centre: BackendCoord, radius: u32, style: &S, fill: bool) -> Result {
        let colour = colour(style.color())?;
        self.prims.push(Prim::Circle(Circle { centre, radius, colour, outline: (!fill).then(|| style.stroke_width()) }));
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, _: I, _: &S) -> Result {
        refuse("a filled polygon")
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, at: BackendCoord) -> Result {
        let pos = style.anchor();
        let anchor = match pos.h_pos {
            HPos::Left => Anchor::Start,
            HPos::Center => Anchor::Middle,
            HPos::Right => Anchor::End,
        };
        let baseline = match pos.v_pos {
            VPos::Top => Baseline::Top,
            VPos::Center => Baseline::Middle,
            VPos::Bottom => Baseline::Bottom,
        };
        let rotate = match style.transform() {
            FontTransform::None => 0,
            FontTransform::Rotate90 => 90,
            FontTransform::Rotate180 => 180,
            FontTransform::Rotate270 => 270,
        };
        let bold = match style.style() {
            FontStyle::Normal => false,
            FontStyle::Bold => true,
            FontStyle::Oblique | FontStyle::Italic => return refuse("slanted text"),
        };
        let colour = colour(style.color())?;
        self.prims.push(Prim::Text(Text { text: text.to_string(), at, size: style.size(), colour, anchor, baseline, bold, rotate }));
        Ok(())
    }
}

/// A dashed polyline: an element only the [`Recorder`] draws (plotters has no dashes).
pub struct Dashed {
    pub points: Vec<BackendCoord>,
    pub style: ShapeStyle,
}

impl<'a> PointCollection<'a, BackendCoord> for &'a Dashed {
    type Point = &'a BackendCoord;
    type IntoIter = &'a [BackendCoord];

    fn point_iter(self) -> &'a [BackendCoord] {
        &self.points
    }
}

impl<'a> Drawable<Recorder<'a>> for Dashed {
    fn draw<I: Iterator<Item = BackendCoord>>(&self, points: I, backend: &mut Recorder<'a>, _: (u32, u32)) -> Result {
        backend.line(points.collect(), &self.style, true)
    }
}

#[cfg(test)]
mod tests {
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    use super::{int, Anchor, Baseline, Colour, Dashed, Prim, Recorder, Unsupported};

    fn recorded(draw: impl FnOnce(&DrawingArea<Recorder<'_>, plotters::coord::Shift>) -> std::result::Result<(), DrawingAreaErrorKind<Unsupported>>) -> (Vec<Prim>, bool) {
        let mut prims = vec![];
        let ok = draw(&Recorder::new(&mut prims, (100, 100)).into_drawing_area()).is_ok();
        (prims, ok)
    }

    #[test]
    fn a_dashed_line_is_recorded_dashed_and_a_path_is_not() {
        let style = RGBColor(0x1b, 0x1f, 0x24).stroke_width(2);
        let (prims, ok) = recorded(|a| {
            a.draw(&Dashed { points: vec![(0, 0), (10, 0)], style })?;
            a.draw(&PathElement::new(vec![(0, 5), (10, 5)], style))
        });
        assert!(ok);
        let dashed: Vec<bool> = prims.iter().map(|p| matches!(p, Prim::Line(l) if l.dashed && l.width == 2)).collect();
        assert_eq!(dashed, [true, false]);
    }

    #[test]
    fn text_keeps_its_anchor_baseline_weight_and_rotation() {
        let (prims, _) = recorded(|a| {
            let font = FontDesc::new(FontFamily::SansSerif, 20.0, FontStyle::Bold).color(&RGBColor(0x4d, 0x56, 0x61));
            a.draw(&Text::new("y", (4, 50), font.pos(Pos::new(HPos::Right, VPos::Bottom)).transform(FontTransform::Rotate270)))
        });
        let [Prim::Text(t)] = &prims[..] else { panic!("{prims:?}") };
        assert_eq!((t.anchor, t.baseline, t.bold, t.colour), (Anchor::End, Baseline::Bottom, true, Colour::Muted));
        assert_eq!((t.font_size(), t.transform().as_deref()), ("16.129".to_string(), Some("rotate(270, 4, 50)")));
    }

    #[test]
    fn a_colour_the_stylesheet_cannot_theme_is_refused() {
        let (prims, ok) = recorded(|a| a.draw(&Circle::new((5, 5), 3, RGBColor(1, 2, 3).filled())));
        assert!(!ok && prims.is_empty());
        let (_, ok) = recorded(|a| a.draw(&Circle::new((5, 5), 3, RGBColor(0x1b, 0x1f, 0x24).mix(0.5).filled())));
        assert!(!ok, "translucent");
    }

    #[test]
    fn integers_are_written_in_decimal() {
        for v in [0, 7, -7, 10, 640, -2_147_483_648, 2_147_483_647] {
            assert_eq!(int(v), v.to_string());
        }
    }
}
