//! Charts: plotters drawing into SVG strings, one function per chart. No yew: the
//! UI puts the string into the page, tests read it natively.

pub mod workers;

pub use workers::workers_vs_cores;

/// Size of every chart, px (the SVG scales to its container).
pub const SIZE: (u32, u32) = (640, 360);

/// Colours of the series, chosen to read on light and dark backgrounds.
pub mod palette {
    use plotters::style::RGBColor;
    pub const RULE: RGBColor = RGBColor(0x1f, 0x77, 0xb4);
    pub const CAPPED: RGBColor = RGBColor(0xd6, 0x27, 0x28);
    pub const PLAN: RGBColor = RGBColor(0x2c, 0xa0, 0x2c);
    pub const AXIS: RGBColor = RGBColor(0x55, 0x5f, 0x6b);
}
