//! A drawing (its [`Layer`]s of [`Prim`]s) as a standalone SVG document. The page draws
//! the same elements with the same attributes (`ui::drawing`; tests/ui_render.rs compares
//! the two), and its "Download SVG" saves its own drawing as the browser serialises it:
//! this writer is the native reference (and the tests'), not in the page.
//!
//! Colours are the palette's light-theme `#RRGGBB` (upper case, as plotters wrote
//! them): the file stands alone, and the page's stylesheet maps each to a custom
//! property by these values.

use super::record::{push_int, Layer, Prim, DASHES};

/// The `<svg>` element's attributes: its size ([`super::SIZE`]) and its coordinates.
pub const WIDTH: &str = "640";
pub const HEIGHT: &str = "360";
pub const VIEW_BOX: &str = "0 0 640 360";
pub const XMLNS: &str = "http://www.w3.org/2000/svg";
/// Every text's family.
pub const FONT: &str = "sans-serif";

/// The drawing as an SVG document, one element a line.
pub fn document(layers: &[Layer]) -> String {
    let mut s = String::with_capacity(160 * 80);
    s.push_str("<svg");
    attr(&mut s, "width", WIDTH);
    attr(&mut s, "height", HEIGHT);
    attr(&mut s, "viewBox", VIEW_BOX);
    attr(&mut s, "xmlns", XMLNS);
    s.push_str(">\n");
    for p in layers.iter().flat_map(|l| l.prims.iter()) {
        element(&mut s, p);
        s.push('\n');
    }
    s.push_str("</svg>\n");
    s
}

fn element(s: &mut String, p: &Prim) {
    match p {
        Prim::Line(l) => {
            s.push_str("<polyline");
            attr(s, "fill", "none");
            attr(s, "stroke", l.colour.hex());
            int_attr(s, "stroke-width", l.width as i32);
            if l.dashed {
                attr(s, "stroke-dasharray", DASHES);
            }
            attr(s, "points", &l.points_attr());
            s.push_str("/>");
        }
        Prim::Rect(r) => {
            s.push_str("<rect");
            int_attr(s, "x", r.x);
            int_attr(s, "y", r.y);
            int_attr(s, "width", r.width);
            int_attr(s, "height", r.height);
            attr(s, "fill", r.colour.hex());
            s.push_str("/>");
        }
        Prim::Circle(c) => {
            s.push_str("<circle");
            int_attr(s, "cx", c.centre.0);
            int_attr(s, "cy", c.centre.1);
            int_attr(s, "r", c.radius as i32);
            match c.outline {
                None => attr(s, "fill", c.colour.hex()),
                Some(width) => {
                    attr(s, "fill", "none");
                    attr(s, "stroke", c.colour.hex());
                    int_attr(s, "stroke-width", width as i32);
                }
            }
            s.push_str("/>");
        }
        Prim::Text(t) => {
            s.push_str("<text");
            int_attr(s, "x", t.at.0);
            int_attr(s, "y", t.at.1);
            attr(s, "dy", t.baseline.dy());
            attr(s, "text-anchor", t.anchor.attr());
            attr(s, "font-family", FONT);
            attr(s, "font-size", &t.font_size());
            attr(s, "fill", t.colour.hex());
            if t.bold {
                attr(s, "font-weight", "bold");
            }
            if let Some(transform) = t.transform() {
                attr(s, "transform", &transform);
            }
            s.push('>');
            escape(s, &t.text);
            s.push_str("</text>");
        }
    }
}

fn attr(s: &mut String, name: &str, value: &str) {
    s.push(' ');
    s.push_str(name);
    s.push_str("=\"");
    escape(s, value);
    s.push('"');
}

fn int_attr(s: &mut String, name: &str, value: i32) {
    s.push(' ');
    s.push_str(name);
    s.push_str("=\"");
    push_int(s, value);
    s.push('"');
}

/// Text and attribute values with XML's five special characters as entities.
fn escape(s: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '&' => s.push_str("&amp;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            c => s.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_the_charts_size() {
        let (w, h) = super::super::SIZE;
        assert_eq!((WIDTH, HEIGHT, VIEW_BOX), (&*w.to_string(), &*h.to_string(), &*format!("0 0 {w} {h}")));
    }

    #[test]
    fn text_is_escaped() {
        let mut s = String::new();
        escape(&mut s, "a < b & \"c\" > 'd'");
        assert_eq!(s, "a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;");
    }
}
