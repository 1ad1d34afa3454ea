//! A chart's drawing as SVG elements in the page: the elements and attributes of
//! `chart::svg::document`, so a new plan patches only what moved (a marker's
//! position, a line's points, a label) instead of parsing the whole SVG again. A
//! component, so a chart that did not change is not even compared element by element,
//! and so is each part of a chart, keyed, so a part that gains an element (a tick) does
//! not shift the parts after it.

use std::rc::Rc;

use yew::prelude::*;

use crate::chart::record::{int, Circle, Line, Prim, Rect, Text, DASHES};
use crate::chart::svg::{FONT, HEIGHT, VIEW_BOX, WIDTH};
use crate::chart::Chart;

#[derive(Properties, PartialEq)]
pub struct DrawingProps {
    pub chart: Rc<Chart>,
}

/// The `<svg>` of a chart.
#[component]
pub fn Drawing(props: &DrawingProps) -> Html {
    html! {
        <svg width={WIDTH} height={HEIGHT} viewBox={VIEW_BOX}>
            { for props.chart.drawing.iter().map(|l| html! { <Part key={l.part.id()} prims={l.prims.clone()} /> }) }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
struct PartProps {
    /// Compared by value: a part drawn again the same is not rendered again.
    prims: Rc<[Prim]>,
}

/// A chart not drawn yet: an empty drawing of a chart's size, so nothing moves when it is.
pub fn blank() -> Html {
    html! { <figure class="chart"><svg width={WIDTH} height={HEIGHT} viewBox={VIEW_BOX} aria-hidden="true"></svg></figure> }
}

/// One part of a chart (the legend entry of a mark, the ticks of an axis, a mark…).
#[component]
fn Part(props: &PartProps) -> Html {
    props.prims.iter().map(prim).collect()
}

fn prim(p: &Prim) -> Html {
    match p {
        Prim::Line(l) => line(l),
        Prim::Rect(r) => rect(r),
        Prim::Circle(c) => circle(c),
        Prim::Text(t) => text(t),
    }
}

fn line(l: &Line) -> Html {
    html! {
        <polyline fill="none" stroke={l.colour.hex()} stroke-width={int(l.width as i32)}
            stroke-dasharray={l.dashed.then_some(DASHES)} points={l.points_attr()} />
    }
}

fn rect(r: &Rect) -> Html {
    html! { <rect x={int(r.x)} y={int(r.y)} width={int(r.width)} height={int(r.height)} fill={r.colour.hex()} /> }
}

fn circle(c: &Circle) -> Html {
    let (fill, stroke) = match c.outline {
        None => (c.colour.hex(), None),
        Some(_) => ("none", Some(c.colour.hex())),
    };
    html! {
        <circle cx={int(c.centre.0)} cy={int(c.centre.1)} r={int(c.radius as i32)} {fill} {stroke}
            stroke-width={c.outline.map(|w| int(w as i32))} />
    }
}

fn text(t: &Text) -> Html {
    html! {
        <text x={int(t.at.0)} y={int(t.at.1)} dy={t.baseline.dy()} text-anchor={t.anchor.attr()} font-family={FONT}
            font-size={t.font_size()} fill={t.colour.hex()} font-weight={t.bold.then_some("bold")} transform={t.transform()}>
            { t.text.clone() }
        </text>
    }
}
